"""make dev's rebuilds (tools/dev.py): a broken file leaves the last good site and says where; the search
index stays while the pages are rebuilt without it, and is replaced once it has caught up."""

from __future__ import annotations

import shutil
from pathlib import Path

import jinja2
import pytest

from sitegen.errors import ContentError, ContentErrors
from tests.conftest import FIXTURE_CONTENT, TEMPLATES
from tools.dev import DevSite, SitePaths, describe_failure, served_origin
from tools.dev_reload import ReloadHub

ITEM = Path("regions/alpha/items/pet-licence/item.yaml")
GUIDE_PAGE = Path("alpha/guide/210300-XK-0001-01/index.html")


@pytest.fixture
def paths(tmp_path: Path) -> SitePaths:
    shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return SitePaths(tmp_path / "content", tmp_path / "templates", tmp_path / "site", tmp_path / "cache")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_content_error_names_file_field_and_line_when_known() -> None:
    error = ContentError(
        "content/regions/alpha/items/pet-licence/item.yaml", "guide_defaults.handling_type", "'限时件' 不是允许的取值"
    )
    failure = describe_failure(ContentErrors([error]), TEMPLATES)
    assert failure.title == "内容有错误，页面未更新："
    [problem] = failure.problems
    assert (problem.path, problem.field, problem.text) == (error.path, error.field, error.line)
    error.line_number = 6  # type: ignore[attr-defined] - what the build's line tracking adds
    assert describe_failure(ContentErrors([error]), TEMPLATES).problems[0].line_number == 6


def test_a_template_error_names_the_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "guide.html").write_text("<h1>\n{{ guide.name }\n</h1>\n", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path / "templates"))
    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        env.get_template("guide.html")
    [problem] = describe_failure(raised.value, tmp_path / "templates").problems
    assert (problem.path, problem.line_number) == ("templates/guide.html", 2)


def test_a_broken_save_keeps_the_site_and_the_fix_rebuilds_it(paths: SitePaths) -> None:
    hub = ReloadHub()
    site = DevSite(paths, hub)
    assert site.build_first()
    page = (paths.out / GUIDE_PAGE).read_text(encoding="utf-8")

    _edit(paths.content / ITEM, "handling_type: 承诺件", "handling_type: 限时件")
    assert not site.rebuild([str(paths.content / ITEM)])
    [problem] = hub.problems()
    assert problem["path"] == f"content/{ITEM.as_posix()}"
    assert problem["field"] == "guide_defaults.handling_type"
    assert (paths.out / GUIDE_PAGE).read_text(encoding="utf-8") == page

    _edit(paths.content / ITEM, "handling_type: 限时件", "handling_type: 承诺件")
    _edit(paths.content / ITEM, "location: 甲市政务服务中心", "location: 甲市政务服务中心东厅")
    assert site.rebuild([str(paths.content / ITEM)])
    assert hub.problems() == []
    assert "甲市政务服务中心东厅" in (paths.out / GUIDE_PAGE).read_text(encoding="utf-8")


def _search_entries(site: Path) -> list[Path]:
    """The search index's entry files, wherever the build puts them (site/pagefind/ or per region)."""
    return sorted(path.relative_to(site) for path in site.rglob("pagefind-entry.json"))


def test_the_old_search_index_serves_until_the_new_one_is_in(paths: SitePaths) -> None:
    hub = ReloadHub()
    site = DevSite(paths, hub)
    site.build_first()
    entries = _search_entries(paths.out)
    assert entries
    _edit(paths.content / "regions/alpha/items/pet-licence/first.md", "办理前请先为犬只", "办理前请带好犬只")
    assert site.rebuild()
    assert _search_entries(paths.out) == entries
    assert hub.search_index_state == "updating" and site.index_wanted.is_set()

    assert site.update_search_index()
    assert hub.search_index_state == "fresh"
    assert _search_entries(paths.out) == entries
    assert not [path.name for path in paths.out.parent.iterdir() if path.name.startswith(".site-")]


def test_a_rebuild_after_a_save_keeps_the_search_index_until_it_catches_up(paths: SitePaths) -> None:
    site = DevSite(paths, ReloadHub())
    assert site.build_first()
    index = paths.out / "alpha" / "pagefind" / "pagefind-entry.json"
    before = index.read_bytes()
    (paths.content / "regions/alpha/items/pet-licence/cancel.md").unlink()
    assert site.rebuild()
    assert index.read_bytes() == before  # the pages changed, the index lags (the search page says so)
    assert site.update_search_index()
    assert index.read_bytes() != before


def test_a_first_build_that_fails_serves_a_placeholder_page(paths: SitePaths) -> None:
    _edit(paths.content / ITEM, "handling_type: 承诺件", "handling_type: 限时件")
    hub = ReloadHub()
    assert not DevSite(paths, hub).build_first()
    assert "</head>" in (paths.out / "index.html").read_text(encoding="utf-8")
    assert (paths.out / "404.html").is_file()
    assert hub.problems()[0]["field"] == "guide_defaults.handling_type"


def test_the_dev_site_names_the_origin_it_is_served_on(paths: SitePaths) -> None:
    """make dev on PORT=8123: sitemap.xml and the canonical link say that origin, not portal.yaml's."""
    assert served_origin("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert served_origin("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert served_origin("::1", 8000) == "http://[::1]:8000"
    assert served_origin("127.0.0.1", 0) is None  # a free port, known only once bound
    site = DevSite(paths, ReloadHub(), site_url=served_origin("127.0.0.1", 8123))
    assert site.build_first()
    assert "Sitemap: http://127.0.0.1:8123/sitemap.xml" in (paths.out / "robots.txt").read_text(encoding="utf-8")
    assert 'rel="canonical" href="http://127.0.0.1:8123/' in (paths.out / "index.html").read_text(encoding="utf-8")
