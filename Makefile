# The two commands a new user needs: `make dev` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: build dev test golden clean

# Reinstall whenever the pinned dependencies change.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(PY) build.py

# Site and API on one origin with the local backend (SQLite + files under .data/, kept across restarts).
# SMS texts go to http://127.0.0.1:$(PORT)/api/dev/outbox instead of a phone.
dev: build
	@echo "辽宁政务服务网（本地）：http://127.0.0.1:$(PORT)/   短信发件箱：http://127.0.0.1:$(PORT)/api/dev/outbox"
	PORTAL_BACKEND=local $(PY) -m uvicorn --factory functions.dev_server:create_dev_app --host 127.0.0.1 --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest

# Re-record the expected output of the golden test after an intended template change.
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(PY) -m pytest tests/build/test_golden.py

clean:
	rm -rf site .pytest_cache
