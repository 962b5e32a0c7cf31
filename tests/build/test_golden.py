"""Golden output (as Pelican's tests do): the tiny fixture catalogue must build to the checked-in site.

After an intended change to templates or rendering, run `make golden` and review the diff.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from pathlib import Path

import build
from tests.conftest import FIXTURE_CONTENT, TEMPLATES

EXPECTED = Path(__file__).resolve().parents[1] / "fixtures" / "expected-site"


# Copied verbatim (static assets, blank forms): their copying is tested in test_site.py, and keeping
# them here would make every stylesheet edit a golden-file change.
COPIES = ("static/", "files/")


def _files(root: Path) -> set[str]:
    names = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    return {name for name in names if not name.startswith(COPIES)}


def test_fixture_builds_to_expected_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    # The search index is pagefind's output, tested separately; the rest is ours and deterministic.
    build.build(FIXTURE_CONTENT, TEMPLATES, out, search=False)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        shutil.copytree(out, EXPECTED, ignore=lambda folder, names: [n for n in names if n in ("static", "files")])
    assert _files(out) == _files(EXPECTED)
    different = [name for name in sorted(_files(out)) if not filecmp.cmp(out / name, EXPECTED / name, shallow=False)]
    assert not different, f"differs from tests/fixtures/expected-site (run `make golden` if intended): {different}"
