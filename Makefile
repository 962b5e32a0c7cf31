# The two commands a new user needs: `make dev` and `make test`. Each sets up .venv itself.
# `make check` is the quick inner loop: static checks and the tests that need no browser, server or npm.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
UV_VERSION := 0.9.30
# Python's bytecode cache is on for every command here, even where the environment turns it off: without it
# each test process compiles every module again (6 s of a test run's collection).
unexport PYTHONDONTWRITEBYTECODE
# Serving needs only the portal's own dependencies; the test extras (moto, cfn-lint, playwright, schemathesis)
# are installed the first time the tests run.
DEV_STAMP := $(VENV)/.installed-dev
STAMP := $(VENV)/.installed-test

.PHONY: build dev check test golden schema clean

# uv (from PyPI, pinned) fills the venv several times faster than pip; where it cannot be had, pip does the same.
$(VENV)/.uv:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION) || echo "uv unavailable: using pip"
	touch $@

INSTALL = sh -c 'if "$(PY)" -m uv --version >/dev/null 2>&1; then exec "$(PY)" -m uv pip install --quiet \
	--python "$(PY)" "$$@"; else exec "$(PY)" -m pip install --quiet --disable-pip-version-check "$$@"; fi' install

# Reinstall whenever the pinned dependencies change.
$(DEV_STAMP): pyproject.toml $(VENV)/.uv
	$(INSTALL) -e .
	touch $@

$(STAMP): pyproject.toml $(DEV_STAMP)
	$(INSTALL) -e '.[test]'
	touch $@

# SITE_URL=https://… builds for that address (sitemap.xml, canonical links); without it portal.yaml's preview
# address, which build.py warns about and tools/deploy_site.py refuses to upload.
SITE_URL ?=
build: $(DEV_STAMP)
	$(PY) build.py $(if $(SITE_URL),--site-url "$(SITE_URL)")

# Site and API on one origin with the local backend (SQLite + files under .data/, kept across restarts).
# SMS texts go to http://127.0.0.1:$(PORT)/api/dev/outbox instead of a phone.
# tools/dev.py builds first, then rebuilds on every save of content/ or templates/ and reloads the open pages.
dev: $(DEV_STAMP)
	@echo "辽宁政务服务网（本地）：http://127.0.0.1:$(PORT)/   短信发件箱：http://127.0.0.1:$(PORT)/api/dev/outbox"
	PORTAL_BACKEND=local $(PY) tools/dev.py --host 127.0.0.1 --port $(PORT)

# The whole suite, both storage backends: the README's test command and what CI runs.
test: $(STAMP)
	$(PY) -m pytest

# The quick tier: ruff, mypy, import contracts (tests/test_static_checks.py) and every test that needs neither a
# browser, nor a server, nor npm, and is not in a slow module (tests/conftest.py: many PDF renders, repeated builds
# with search, the API fuzzer); the API on the local backend only, the storage contract suite on both (so the
# backends still agree); tests/conftest.py marks the tiers. Spread over the cores by pytest-xdist, an idle worker
# taking tests from a busy one (worksteal: no worker is left holding a long module). The API tests hash passwords at
# argon2id's smallest cost (tests/domain checks the production parameters in every tier); `make test` runs them all,
# at full cost.
CHECK_TIER := not browser and not server and not npm and not slow and not aws
check: $(STAMP)
	PORTAL_TEST_LIGHT_HASHES=1 $(PY) -m pytest -q -n auto --dist worksteal -m "$(CHECK_TIER)"

# Re-record the expected output of the golden test after an intended template change.
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(PY) -m pytest tests/build/test_golden.py

# Re-write content/schemas/ (editors' completion and checks while typing) after changing sitegen/models.py.
schema: $(DEV_STAMP)
	$(PY) tools/content_schema.py

# --- AWS (see README, "Deploying to AWS") -------------------------------------------------------------------
STAGE ?= dev
REGION ?= ap-southeast-1
OSLS := node_modules/.bin/osls
NODE_STAMP := node_modules/.installed
# Packaging is offline by design: no credentials, so nothing in it can quietly depend on an AWS account.
WITHOUT_AWS := env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE \
	-u AWS_DEFAULT_PROFILE -u AWS_WEB_IDENTITY_TOKEN_FILE -u AWS_CONTAINER_CREDENTIALS_FULL_URI \
	-u AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
	AWS_EC2_METADATA_DISABLED=true

.PHONY: package deploy

# The deployment tool (osls, pinned by package-lock.json), installed into node_modules/, never globally.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Site, Lambda bundle (build/lambda.zip) and the CloudFormation template (.serverless/), without AWS credentials.
package: build $(NODE_STAMP)
	$(PY) tools/build_lambda_bundle.py
	$(WITHOUT_AWS) $(OSLS) package --stage $(STAGE) --region $(REGION)

# Needs AWS credentials: deploys the packaged stack, then uploads site/ and invalidates CloudFront.
# The site is built again for the stack's own address (its SiteUrl output, known once the stack exists).
deploy: package
	$(OSLS) deploy --stage $(STAGE) --region $(REGION) --package .serverless
	$(PY) build.py --site-url "$$($(PY) tools/deploy_site.py --stage $(STAGE) --region $(REGION) --site-url)"
	$(PY) tools/deploy_site.py --stage $(STAGE) --region $(REGION)

clean:
	rm -rf site .pytest_cache node_modules .serverless
