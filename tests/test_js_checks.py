"""The front-end's checks, through the pinned package.json: eslint (eslint.config.js) over the modules and the
JS tests, and the unit tests of the pure helpers (tests/js/*.test.mjs) under `node --test`.

They need node_modules (tests/conftest.py's node_modules fixture: `npm ci` as the Makefile's $(NODE_STAMP) rule
does, when npm is there); without npm (or node) the tests skip locally but fail under CI=true.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import ROOT, missing_tool

ESLINT = ROOT / "node_modules" / ".bin" / "eslint"
LINTED = ["templates/static/js", "tests/js", "eslint.config.js"]


def test_eslint_finds_nothing(node_modules: Path) -> None:
    result = subprocess.run([str(ESLINT), *LINTED], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_js_unit_tests_pass() -> None:
    node = shutil.which("node")
    if node is None:
        missing_tool("node")
    result = subprocess.run([node, "--test", "tests/js/"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
