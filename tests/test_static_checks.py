"""Static checks that run with the suite: ruff's lint rules and its formatting (pyproject.toml [tool.ruff]) over all
Python code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ["build.py", "functions", "sitegen", "tools", "bench", "tests"]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing() -> None:
    result = _run("ruff", "check", "--no-cache", "--output-format", "concise", *CHECKED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted_by_ruff() -> None:
    """`ruff format` is the formatting; a diff here means a file was not run through it."""
    result = _run("ruff", "format", "--check", "--no-cache", *CHECKED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing() -> None:
    """pyproject.toml [tool.mypy]: every module checked, strict for the domain, the build and the repositories."""
    result = _run("mypy")  # incremental: its cache (.mypy_cache) is keyed by file contents
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_hold() -> None:
    """DESIGN's dependency rules, as import-linter contracts (pyproject.toml [tool.importlinter])."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
