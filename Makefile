# The two commands a new user needs: `make dev` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: build dev test golden schema clean

# Reinstall whenever the pinned dependencies change.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(PY) build.py

# Site and API on one origin with the local backend (SQLite + files under .data/, kept across restarts).
# SMS texts go to http://127.0.0.1:$(PORT)/api/dev/outbox instead of a phone.
# tools/dev.py builds first, then rebuilds on every save of content/ or templates/ and reloads the open pages.
dev: $(STAMP)
	@echo "辽宁政务服务网（本地）：http://127.0.0.1:$(PORT)/   短信发件箱：http://127.0.0.1:$(PORT)/api/dev/outbox"
	PORTAL_BACKEND=local $(PY) tools/dev.py --host 127.0.0.1 --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest

# Re-record the expected output of the golden test after an intended template change.
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(PY) -m pytest tests/build/test_golden.py

# Re-write content/schemas/ (editors' completion and checks while typing) after changing sitegen/models.py.
schema: $(STAMP)
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
deploy: package
	$(OSLS) deploy --stage $(STAGE) --region $(REGION) --package .serverless
	$(PY) tools/deploy_site.py --stage $(STAGE) --region $(REGION)

clean:
	rm -rf site .pytest_cache node_modules .serverless
