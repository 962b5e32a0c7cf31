"""The site's own address (sitemap.xml, robots.txt, the canonical link): --site-url over portal.yaml's, and a build
for this machine's address says loudly that it is no build to deploy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import build
from tests.conftest import TEMPLATES
from tests.factories import edit_yaml


def _build(content: Path, out: Path, *extra: str) -> int:
    return build.main(["--content", str(content), "--templates", str(TEMPLATES), "--out", str(out), *extra])


def _addresses(site: Path) -> set[str]:
    """Every origin the built site names as its own."""
    texts = [site / "robots.txt", site / "sitemap.xml", *(site / "sitemaps").glob("*.xml"), site / "index.html"]
    found = set()
    for path in texts:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"<loc>(https?://[^/<]+)", text))
        found |= set(re.findall(r"Sitemap: (https?://[^/\s]+)", text))
        found |= set(re.findall(r'rel="canonical" href="(https?://[^/"]+)', text))
    return found


def test_site_url_option_sets_every_absolute_address(content_copy: Path, tmp_path: Path, capsys) -> None:
    assert _build(content_copy, tmp_path / "site", "--site-url", "https://d1234.cloudfront.net/") == 0
    assert _addresses(tmp_path / "site") == {"https://d1234.cloudfront.net"}
    assert "警告" not in capsys.readouterr().err


def test_a_build_for_this_machine_warns_that_it_is_not_for_deploying(
    content_copy: Path, tmp_path: Path, capsys
) -> None:
    edit_yaml(content_copy / "portal.yaml", lambda portal: portal.update(site_url="http://127.0.0.1:8000"))
    assert _build(content_copy, tmp_path / "site") == 0
    err = capsys.readouterr().err
    assert "警告：站点地址为本机地址 http://127.0.0.1:8000" in err and "--site-url" in err
    # Again with nothing to do: still said.
    assert _build(content_copy, tmp_path / "site") == 0
    assert "警告：站点地址为本机地址" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://127.0.0.1:8000", True),
        ("http://localhost:8001", True),
        ("http://[::1]:8000", True),
        ("http://0.0.0.0:8000", True),
        ("https://d1234.cloudfront.net", False),
        ("https://zwfw.ln.gov.cn", False),
    ],
)
def test_local_addresses_are_recognised(url: str, local: bool) -> None:
    assert build.is_local_site_url(url) is local
