"""The front-end's checks, through the pinned package.json: eslint (eslint.config.js) over the modules and the
JS tests, and the unit tests of the pure helpers (tests/js/*.test.mjs) under `node --test`.

They need node_modules: installed here with `npm ci` as the Makefile's $(NODE_STAMP) rule does, when npm is
there; without npm (or node) the tests skip locally but fail under CI=true, where nothing may be skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ESLINT = ROOT / "node_modules" / ".bin" / "eslint"
NODE_STAMP = ROOT / "node_modules" / ".installed"
LINTED = ["templates/static/js", "tests/js", "eslint.config.js"]


def _missing(tool: str) -> None:
    message = f"{tool} is not installed: the front-end checks need Node 20 and npm"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def node_modules() -> Path:
    """node_modules as `make` installs it: npm ci from package-lock.json, stamped once done."""
    lock = ROOT / "package-lock.json"
    pinned = max(lock.stat().st_mtime, (ROOT / "package.json").stat().st_mtime)
    fresh = NODE_STAMP.exists() and ESLINT.exists() and NODE_STAMP.stat().st_mtime >= pinned
    if not fresh:
        if shutil.which("npm") is None:
            _missing("npm")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True)
        NODE_STAMP.touch()
    return ROOT / "node_modules"


def test_eslint_finds_nothing(node_modules: Path) -> None:
    result = subprocess.run([str(ESLINT), *LINTED], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_js_unit_tests_pass() -> None:
    node = shutil.which("node")
    if node is None:
        _missing("node")
    result = subprocess.run([node, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
