"""An incremental rebuild gives exactly the site a clean full build gives, for every kind of edit, while
writing only what the edit touched. A rebuild that misses a change is a bug."""

from __future__ import annotations

import filecmp
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import build
from tests.conftest import FIXTURE_CONTENT, TEMPLATES

ALPHA = Path("regions/alpha")
FIRST = ALPHA / "items/pet-licence/first.md"
CANCEL = ALPHA / "items/pet-licence/cancel.md"
ITEM = ALPHA / "items/pet-licence/item.yaml"
FIRST_PAGE = "alpha/guide/210300-XK-0001-01/index.html"


class Workspace:
    """Content and templates an editor changes, one site kept up to date incrementally."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.content = root / "content"
        self.templates = root / "templates"
        shutil.copytree(FIXTURE_CONTENT, self.content)
        shutil.copytree(TEMPLATES, self.templates)
        self.site = root / "site"
        self.cache = root / "cache"

    def rebuild(self, search: bool = False, **options) -> build.BuildReport:
        return build.run_build(self.content, self.templates, self.site, cache_dir=self.cache, search=search, **options)

    def clean_build(self) -> Path:
        fresh = self.root / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        build.build(self.content, self.templates, fresh, search=False)
        return fresh

    def edit(self, relative: Path | str, old: str, new: str, folder: Path | None = None) -> None:
        path = (folder or self.content) / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, (relative, old)
        path.write_text(text.replace(old, new), encoding="utf-8")


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def assert_same_site(incremental: Path, fresh: Path) -> None:
    assert tree(incremental) == tree(fresh)
    different = [
        name for name in sorted(tree(fresh)) if not filecmp.cmp(incremental / name, fresh / name, shallow=False)
    ]
    assert not different, different


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    space = Workspace(tmp_path)
    first = space.rebuild()
    assert first.written > 0 and first.unchanged == 0
    return space


def test_no_change_writes_nothing(workspace: Workspace) -> None:
    report = workspace.rebuild()
    assert report.catalog is None  # told by the files' stat alone, before any parsing
    assert (report.written, report.removed) == (0, 0)
    assert report.unchanged == len(tree(workspace.site))


def test_touching_a_file_without_changing_it_writes_nothing(workspace: Workspace) -> None:
    path = workspace.content / FIRST
    path.write_bytes(path.read_bytes())
    report = workspace.rebuild()
    assert (report.written, report.removed) == (0, 0)


# Each edit, and the files the rebuild must (re)write because of it (at least these; the comparison with a
# clean build proves nothing else changed and nothing was missed).
EDITS: dict[str, tuple[Callable[[Workspace], None], set[str]]] = {
    "guide text": (lambda w: w.edit(FIRST, "办理前请先为犬只", "办理前请务必为犬只"), {FIRST_PAGE}),
    "material": (
        lambda w: w.edit(FIRST, "name: 免疫证明", "name: 狂犬病免疫证明"),
        {FIRST_PAGE, "catalog/210300/subitems-00.json"},
    ),
    "item name on list pages": (
        lambda w: w.edit(ITEM, "name: 养犬登记", "name: 犬只登记"),
        {FIRST_PAGE, "alpha/personal/index.html", "alpha/personal/bureau-social/index.html"},
    ),
    "department rename": (
        lambda w: w.edit(ALPHA / "departments.yaml", "name: 社会事务科", "name: 社会服务科"),
        {FIRST_PAGE, "alpha/index.html", "catalog/210300/departments.json"},
    ),
    "region contacts": (
        lambda w: w.edit(ALPHA / "region.yaml", "phone: 0412-5591290", "phone: 0412-5591299"),
        {FIRST_PAGE, "alpha/contact/index.html"},
    ),
    "sub-item name": (
        lambda w: w.edit(FIRST, "name: 养犬首次登记", "name: 养犬初次登记"),
        {FIRST_PAGE, "alpha/personal/bureau-social/index.html", "catalog/210300/subitems-00.json"},
    ),
    "inherited default": (
        lambda w: w.edit(ITEM, "location: 甲市政务服务中心", "location: 甲市政务服务中心一楼"),
        {FIRST_PAGE},
    ),
    "portal name": (
        lambda w: w.edit(
            "portal.yaml",
            "name: ",
            "name: 新",
        ),
        {"index.html", FIRST_PAGE},
    ),
    "template": (lambda w: w.edit("guide.html", "服务指南", "办事指南", folder=w.templates), {FIRST_PAGE}),
    "default result document": (
        lambda w: w.edit("documents/denied.md", "意见：{comment}", "理由：{comment}"),
        {"catalog/documents.json"},
    ),
    "item's result document": (
        lambda w: w.edit(ALPHA / "items/pet-licence/documents/approved.md", "请于十日内", "请于十五日内"),
        {"catalog/210300/subitems-00.json"},
    ),
    "item's result document removed": (
        lambda w: w.edit(ITEM, "result_documents:\n  approved: documents/approved.md\n", ""),
        {"catalog/210300/subitems-00.json"},
    ),
    "blank form file": (
        lambda w: (w.content / "files/alpha/form.pdf").write_bytes(b"%PDF-1.4 changed\n"),
        {"files/alpha/form.pdf"},
    ),
}


@pytest.mark.parametrize("kind", EDITS)
def test_every_kind_of_edit_gives_the_clean_build(workspace: Workspace, kind: str) -> None:
    change, must_write = EDITS[kind]
    change(workspace)
    report = workspace.rebuild()
    assert_same_site(workspace.site, workspace.clean_build())
    written = set(report_paths(workspace, report))
    assert must_write <= written, must_write - written


def test_a_text_edit_rewrites_only_its_page(workspace: Workspace) -> None:
    EDITS["guide text"][0](workspace)
    report = workspace.rebuild()
    assert report_paths(workspace, report) == [FIRST_PAGE]


def test_a_default_result_document_edit_rewrites_only_its_file(workspace: Workspace) -> None:
    EDITS["default result document"][0](workspace)
    report = workspace.rebuild()
    assert report_paths(workspace, report) == ["catalog/documents.json"]  # not every shard of the province


def test_removing_a_guide_removes_its_page(workspace: Workspace) -> None:
    (workspace.content / CANCEL).unlink()
    report = workspace.rebuild()
    assert report.removed == 1
    assert not (workspace.site / "alpha/guide/210300-XK-0001-02").exists()  # the emptied folder goes too
    assert_same_site(workspace.site, workspace.clean_build())


def test_adding_a_guide(workspace: Workspace) -> None:
    text = (workspace.content / CANCEL).read_text(encoding="utf-8").replace("210300-XK-0001-02", "210300-XK-0001-03")
    (workspace.content / CANCEL).with_name("third.md").write_text(text, encoding="utf-8")
    workspace.rebuild()
    assert (workspace.site / "alpha/guide/210300-XK-0001-03/index.html").is_file()
    assert_same_site(workspace.site, workspace.clean_build())


def test_a_content_error_leaves_the_site_as_it_was(workspace: Workspace) -> None:
    before = {name: (workspace.site / name).read_bytes() for name in tree(workspace.site)}
    workspace.edit(FIRST, "办理前请先为犬只", "办理前请务必为犬只")  # a good edit beside the bad ones
    workspace.edit(ITEM, "handling_type: 承诺件", "handling_type: 马上办")
    workspace.edit(CANCEL, "code: ", "summary_typo: x\ncode: ")
    with pytest.raises(build.ContentErrors):
        workspace.rebuild()
    assert {name: (workspace.site / name).read_bytes() for name in tree(workspace.site)} == before


def test_a_whole_build_that_fails_half_way_is_not_trusted_later(workspace: Workspace, monkeypatch) -> None:
    from sitegen import outputs

    EDITS["guide text"][0](workspace)
    real_write = outputs.write_if_changed

    def failing(path: Path, data: bytes) -> bool:
        if path.name == "robots.txt":  # written after every page
            raise OSError("设备上没有空间")
        return real_write(path, data)

    monkeypatch.setattr(outputs, "BATCH", 1)
    monkeypatch.setattr(outputs, "write_if_changed", failing)
    with pytest.raises(OSError):
        workspace.rebuild(full=True)  # the new guide page was written to the staging folder, then dropped
    monkeypatch.setattr(outputs, "write_if_changed", real_write)
    workspace.rebuild()
    assert_same_site(workspace.site, workspace.clean_build())


def test_a_site_changed_behind_the_cache_is_rebuilt_whole(workspace: Workspace) -> None:
    shutil.rmtree(workspace.site)
    workspace.site.mkdir()
    report = workspace.rebuild()
    assert report.unchanged == 0
    assert_same_site(workspace.site, workspace.clean_build())


@pytest.mark.server  # the build's worker processes
def test_parallel_workers_build_the_same_site(workspace: Workspace, monkeypatch) -> None:
    from sitegen import loading, outputs

    monkeypatch.setattr(loading, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(outputs, "PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr(outputs, "BATCH", 3)
    site = workspace.root / "parallel-site"
    report = build.run_build(
        workspace.content, workspace.templates, site, cache_dir=workspace.root / "cache2", search=False, workers=2
    )
    assert report.written > 10
    assert_same_site(site, workspace.clean_build())
    EDITS["sub-item name"][0](workspace)
    report = build.run_build(
        workspace.content, workspace.templates, site, cache_dir=workspace.root / "cache2", search=False, workers=2
    )
    assert_same_site(site, workspace.clean_build())


def report_paths(workspace: Workspace, report: build.BuildReport) -> list[str]:
    return sorted(report.written_paths)


def page_count(site: Path, region: str) -> int:
    import json

    entry = json.loads((site / region / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return entry["languages"]["zh-cn"]["page_count"]


def test_search_reindexes_only_the_regions_whose_guides_changed(workspace: Workspace) -> None:
    assert workspace.rebuild(search=True).reindexed == ["alpha", "beta"]  # no index yet
    assert workspace.rebuild(search=True).reindexed == []
    EDITS["guide text"][0](workspace)
    assert workspace.rebuild(search=True).reindexed == ["alpha"]
    # A template edit that changes no page's bytes re-indexes nothing.
    workspace.edit("guide.html", "{% extends", "{# 注释 #}\n{% extends", folder=workspace.templates)
    assert workspace.rebuild(search=True).reindexed == []


def test_a_site_first_built_without_search_gets_its_index_later(workspace: Workspace) -> None:
    assert workspace.rebuild(search=True).reindexed == ["alpha", "beta"]


def test_a_change_built_without_search_is_indexed_by_the_next_search_build(workspace: Workspace) -> None:
    workspace.rebuild(search=True)
    (workspace.content / CANCEL).unlink()
    assert workspace.rebuild(search=False).reindexed == []
    assert page_count(workspace.site, "alpha") == 2  # lags, as make dev's search page says
    assert workspace.rebuild(search=True).reindexed == ["alpha"]
    assert page_count(workspace.site, "alpha") == 1


def test_list_pages_read_listings_not_guides() -> None:
    """List pages are rebuilt when a listing changes, not a guide's text: a list template that read a guide
    (`sub.guide.…`) would show text its page is not rebuilt for."""
    for name in ("home.html", "column.html", "department.html"):
        assert ".guide." not in (TEMPLATES / name).read_text(encoding="utf-8"), name
