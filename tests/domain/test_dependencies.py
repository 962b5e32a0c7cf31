"""DESIGN's dependency rule for domain modules, and their cold-start cost."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "functions" / "domain"
FORBIDDEN = {"fastapi", "starlette", "boto3", "botocore", "mangum", "sqlite3"}


def imported_top_level_names(path: Path) -> set[str]:
    """The top-level package of every import in a module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_domain_modules_import_neither_web_framework_nor_aws():
    modules = sorted(DOMAIN.glob("*.py"))
    assert modules
    for module in modules:
        assert not imported_top_level_names(module) & FORBIDDEN, module.name


def test_importing_the_domain_loads_no_heavy_library():
    code = (
        "import sys, functions.domain.validators, functions.domain.passwords, functions.domain.masking;"
        "heavy = {'phonenumbers', 'email_validator', 'stdnum', 'argon2'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=DOMAIN.parents[1]
    )
    assert result.stdout.strip() == "[]"


ROOT = DOMAIN.parents[1]
STORAGE_DRIVERS = {"boto3", "botocore", "sqlite3"}
BACKENDS = {ROOT / "functions" / "storage" / "aws.py", ROOT / "functions" / "storage" / "local.py"}


def _python_files(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (ROOT / folder).rglob("*.py"))


def test_the_build_and_the_api_never_import_each_other():
    """site/catalog.json and its shards are their only contract (DESIGN, dependency rules)."""
    for module in _python_files("functions"):
        assert not imported_top_level_names(module) & {"sitegen", "build"}, module
    for module in [*_python_files("sitegen"), ROOT / "build.py"]:
        assert "functions" not in imported_top_level_names(module), module


def test_only_the_two_storage_backends_import_boto3_or_sqlite3():
    for module in _python_files("functions"):
        if module not in BACKENDS:
            assert not imported_top_level_names(module) & STORAGE_DRIVERS, module.relative_to(ROOT)
