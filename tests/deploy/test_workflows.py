""".github/workflows: actionlint finds nothing, and the deploy keeps to the rules README promises.

actionlint (a pinned test dependency) checks the syntax, the expressions, the inputs of known actions and, when
shellcheck is on PATH, the `run:` scripts. Without the binary the lint is skipped on a developer's machine and
fails in CI (CI=true), like the other deployment checks.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$")


def actionlint() -> str:
    # The venv's bin/ need not be on PATH when pytest runs as .venv/bin/python -m pytest.
    beside = Path(sys.executable).with_name("actionlint")
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("CI must lint the workflows, but actionlint is not installed (pip install -e '.[test]')")
    pytest.skip("actionlint is not installed; workflow lint skipped on this machine")


def workflow(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def triggers(parsed: dict[str, Any]) -> dict[str, Any]:
    return parsed.get("on", parsed.get(True))  # YAML 1.1 reads a bare `on` as true


def steps(parsed: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in parsed["jobs"].values() for step in job["steps"]]


def test_actionlint_finds_nothing() -> None:
    files = sorted(str(path) for path in WORKFLOWS.glob("*.y*ml"))
    assert files, "no workflows found"
    result = subprocess.run([actionlint(), "-no-color", *files], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"actionlint:\n{result.stdout}{result.stderr}"


def test_actions_are_pinned_at_least_by_major_version() -> None:
    for path in sorted(WORKFLOWS.glob("*.y*ml")):
        for step in steps(workflow(path.name)):
            if "uses" in step:
                assert PINNED.match(step["uses"]), f"{path.name}: {step['uses']} is not pinned to a version"


def test_pull_requests_are_validated_with_annotations_then_built() -> None:
    content = workflow("content.yml")
    assert "pull_request" in triggers(content)
    commands = [step.get("run", "") for step in steps(content)]
    assert "python build.py --check --error-format github" in commands
    assert any(command.startswith("python build.py --no-search") for command in commands)
    assert content["permissions"] == {"contents": "read"}


def test_deploy_runs_on_main_one_at_a_time_with_oidc_credentials_only() -> None:
    deploy = workflow("deploy.yml")
    assert triggers(deploy)["push"] == {"branches": ["main"]}
    assert deploy["concurrency"]["cancel-in-progress"] is False
    job = deploy["jobs"]["deploy"]
    assert job["permissions"]["id-token"] == "write"
    credentials = next(
        step for step in job["steps"] if step.get("uses", "").startswith("aws-actions/configure-aws-credentials@")
    )
    assert credentials["with"]["role-to-assume"] == "${{ vars.AWS_DEPLOY_ROLE_ARN }}"
    text = (WORKFLOWS / "deploy.yml").read_text(encoding="utf-8")
    assert "secrets." not in text and "aws-access-key-id" not in text  # no stored keys
    assert job["env"] == {
        "STAGE": "${{ vars.DEPLOY_STAGE || 'prod' }}",
        "REGION": "${{ vars.DEPLOY_REGION || 'ap-southeast-1' }}",
    }


def test_third_party_code_is_installed_before_credentials_exist() -> None:
    names = [step.get("name") or step["uses"] for step in workflow("deploy.yml")["jobs"]["deploy"]["steps"]]
    credentials = next(index for index, name in enumerate(names) if name.startswith("aws-actions/"))
    assert names.index("Install the project and osls") < credentials
