"""The deployment, checked offline: `make package` without AWS credentials, then its template and bundle.

The package is built once per session. Without Node.js (osls's runtime) the checks are skipped on a developer's
machine and fail in CI (CI=true), like the browser tests without Chromium.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tools import build_lambda_bundle

ROOT = Path(__file__).resolve().parents[2]
STAGE = "prod"  # the stage with the strictest settings (deletion protection, retained data)
REGION = "ap-southeast-1"
TEMPLATE = ROOT / ".serverless" / "cloudformation-template-update-stack.json"
MIN_NODE = (20, 19)  # osls 3.x's engines field
# What packaging must not see: any way to reach AWS credentials.
AWS_CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
)


@dataclass(frozen=True)
class Package:
    """What `make package` produced: the CloudFormation template (parsed) and the Lambda bundle."""

    template: dict[str, Any]
    template_path: Path
    bundle: Path
    site: Path
    """A copy of the site it built, safe from anyone rebuilding site/ meanwhile."""

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return self.template["Resources"]

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {name: resource for name, resource in self.resources.items() if resource["Type"] == resource_type}


def _require_node() -> None:
    problem = None
    if not (shutil.which("node") and shutil.which("npm")):
        problem = "Node.js and npm are not installed"
    else:
        version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
        found = tuple(int(part) for part in re.findall(r"\d+", version)[:2])
        if found < MIN_NODE:
            problem = f"Node.js {version} is older than osls needs ({'.'.join(map(str, MIN_NODE))}+)"
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the deployment checks, but {problem}")
    pytest.skip(f"{problem}; deployment checks skipped on this machine")


def without_aws_credentials() -> dict[str, str]:
    """This process's environment with every credential source removed or pointed at nothing."""
    environment = {name: value for name, value in os.environ.items() if name not in AWS_CREDENTIAL_VARIABLES}
    # No shared config either, and no instance metadata service to fall back on.
    environment.update(
        AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull, AWS_EC2_METADATA_DISABLED="true"
    )
    return environment


def run(command: list[str], environment: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="session")
def package(tmp_path_factory) -> Package:
    """`make package` for the prod stage, run without AWS credentials."""
    _require_node()
    # -o: the venv running these tests counts as installed; make must not rebuild it under our feet.
    result = run(
        ["make", "-o", ".venv/.installed-dev", "package", f"STAGE={STAGE}", f"REGION={REGION}"],
        without_aws_credentials(),
    )
    assert "build/lambda.zip:" in result.stdout and "MiB zipped" in result.stdout  # the size is printed
    site = tmp_path_factory.mktemp("packaged") / "site"
    shutil.copytree(ROOT / "site", site)
    return Package(json.loads(TEMPLATE.read_text(encoding="utf-8")), TEMPLATE, ROOT / "build" / "lambda.zip", site)


@pytest.fixture(scope="session")
def dev_table(package) -> dict[str, Any]:
    """The table as a non-prod stage resolves it (osls print: no packaging, .serverless/ stays prod's)."""
    result = run(
        [
            "node_modules/.bin/osls",
            "print",
            "--stage",
            "dev",
            "--region",
            REGION,
            "--format",
            "json",
            "--path",
            "resources.Resources.PortalTable",
        ],
        without_aws_credentials(),
    )
    return json.loads(result.stdout)


@pytest.fixture(scope="session")
def host_bundle(package) -> Path:
    """The bundle with the same file selection but dependencies for this interpreter (see the bundler)."""
    return build_lambda_bundle.build_bundle(build_lambda_bundle.TARGETS["host"])
