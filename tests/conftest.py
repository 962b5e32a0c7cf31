from __future__ import annotations

import os
import shutil
import subprocess
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

# The test tiers (pyproject.toml's markers): `make check` runs every test that needs neither a browser, nor a server,
# nor npm, and is not slow, on the local backend; `make test` runs them all. A test is marked by where it lives or by what it asks for.
TIERS_BY_PATH = {
    "tests/browser/": "browser",
    "tests/concurrency/": "server",
    "tests/api/test_moto_server.py": "server",
    "tests/storage/test_moto_server.py": "server",
    "tests/test_js_checks.py": "npm",
    # Each renders many 结果文书 (~0.6 s a PDF, most of it parsing the CJK font), builds the site with search again
    # and again (test_incremental, test_dev: make dev's rebuilds and search index), or fuzzes every operation as every role: `make test` runs them (the fuzzer at its full budget); in
    # `make check` they would take half of its time.
    "tests/api/test_evaluations.py": "slow",
    "tests/api/test_documents_issued.py": "slow",
    "tests/api/test_result_documents.py": "slow",
    "tests/build/test_incremental.py": "slow",
    "tests/tools/test_dev.py": "slow",
    "tests/api/test_fuzz.py": "slow",
}
TIERS_BY_FIXTURE = {
    "browser": "browser",  # Chromium (tests/browser)
    "in_browser": "browser",  # Chromium in a thread (tests/deploy/test_csp.py)
    "live_server": "server",  # uvicorn on loopback (tests/tools/test_dev_reload.py)
    "moto_endpoint": "server",  # a moto server over HTTP
    "package": "npm",  # `make package`: osls from node_modules (tests/deploy)
    "node_modules": "npm",  # eslint, axe-core (tests/test_js_checks.py, tests/browser/test_axe.py)
    "pdftoppm": "server",  # poppler's pdftoppm in a subprocess (tests/api/test_result_documents.py)
}
# The fixtures that run an API test once per storage backend; their "aws" variant is marked `aws`. The storage
# contract suite's `stores` is not among them: it runs on both backends in every tier, proving that they agree.
BACKEND_FIXTURES = ("services", "world")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = item.path.relative_to(ROOT).as_posix()
        tiers = {tier for prefix, tier in TIERS_BY_PATH.items() if path.startswith(prefix)}
        tiers |= {tier for fixture, tier in TIERS_BY_FIXTURE.items() if fixture in item.fixturenames}
        params = getattr(item, "callspec", None)
        if params is not None and any(params.params.get(name) == "aws" for name in BACKEND_FIXTURES):
            tiers.add("aws")
        for tier in sorted(tiers):
            item.add_marker(tier)


def missing_tool(tool: str) -> None:
    """Skip without a Node tool locally; under CI=true, where nothing may be skipped, fail."""
    message = f"{tool} is not installed: the front-end checks need Node 20 and npm"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """node_modules as `make` installs it: npm ci from package-lock.json, stamped once done (the Makefile's
    $(NODE_STAMP)), again whenever package.json or the lock file is newer than the stamp."""
    stamp = ROOT / "node_modules" / ".installed"
    pinned = max((ROOT / "package-lock.json").stat().st_mtime, (ROOT / "package.json").stat().st_mtime)
    if not (stamp.exists() and stamp.stat().st_mtime >= pinned):
        if shutil.which("npm") is None:
            missing_tool("npm")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ROOT, check=True)
        stamp.touch()
    return ROOT / "node_modules"


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
