from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # build.py is a script at the top level, not part of an installed package

import build  # noqa: E402

# Every response and log line of the suite is scanned for the test accounts' full ID numbers and phones.
pytest_plugins = ["tests.pii_scan"]

FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content"
TEMPLATES = ROOT / "templates"


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A private copy of the tiny fixture catalogue, to break in one way per test."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    return target


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory):
    """The real sample content, built once with its search index: (catalog, site folder)."""
    out = tmp_path_factory.mktemp("portal") / "site"
    catalog = build.build(ROOT / "content", TEMPLATES, out)
    return catalog, out
