"""The names index of 站内搜索 (sitegen.names_index): every guide of a region is in the bucket of each of its
names' character pairs, the page computes the same bucket as the build, and a rebuild rewrites only the
buckets of the guides that changed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sitegen import names_index
from sitegen.names_index import bigrams, bucket_count, bucket_of, normalise
from tests.build.test_incremental import EDITS, FIRST, Workspace, report_paths
from tests.conftest import ROOT, missing_tool

NAMES_JS = ROOT / "templates/static/js/search/names.js"


def _index(site: Path, slug: str) -> tuple[dict, list[list[list]]]:
    manifest = json.loads((site / slug / "names/index.json").read_text(encoding="utf-8"))
    folder = site / slug / "names" / str(manifest["buckets"])
    files = sorted(folder.iterdir(), key=lambda path: int(path.stem, 16))
    return manifest, [json.loads(path.read_text(encoding="utf-8"))["guides"] for path in files]


def test_normalise_folds_width_case_and_spaces() -> None:
    assert normalise("公共场所卫生许可（新办）") == "公共场所卫生许可(新办)"
    assert normalise(" ＩＣＰ 备案 ") == "icp备案"
    assert bigrams("出生 登记") == {"出生", "生登", "登记"}


def test_bucket_count_grows_by_powers_of_two() -> None:
    assert bucket_count(0) == 1 and bucket_count(200) == 1
    assert bucket_count(201) == 2
    assert bucket_count(40_000) == 256  # ~3,000 guides of ~14 characters: a city's catalogue


def test_every_guide_is_in_the_bucket_of_each_of_its_pairs(built_site) -> None:
    catalog, site = built_site
    for region in catalog.regions:
        manifest, buckets = _index(site, region.slug)
        subs = catalog.subitems(region)
        assert manifest["guides"] == len(subs) and len(buckets) == manifest["buckets"]
        for sub in subs:
            for pair in bigrams(sub.listing.name):
                listed = {guide[1] for guide in buckets[bucket_of(pair, manifest["buckets"])]}
                assert sub.url in listed, (region.slug, sub.listing.name, pair)


def test_a_record_holds_what_a_result_shows(built_site) -> None:
    catalog, site = built_site
    anshan = catalog.region("anshan")
    _, buckets = _index(site, "anshan")
    records = {guide[1]: guide for bucket in buckets for guide in bucket}
    assert set(records) == {sub.url for sub in catalog.subitems(anshan)}  # this region's guides, no other's
    birth = next(sub for sub in catalog.subitems(anshan) if sub.listing.name == "出生登记")
    assert records[birth.url] == ["出生登记", birth.url, birth.item.department.full_name, ["自然人"], 1]


def test_the_manifest_lists_the_departments_with_guides_in_catalogue_order(built_site) -> None:
    catalog, site = built_site
    anshan = catalog.region("anshan")
    manifest, _ = _index(site, "anshan")
    with_guides = {sub.item.department.full_name for sub in catalog.subitems(anshan)}
    in_order = [dept.full_name for dept in catalog.departments_of(anshan) if dept.full_name in with_guides]
    assert manifest["departments"] == in_order and in_order


def test_the_page_computes_the_builds_buckets() -> None:
    node = shutil.which("node")
    if node is None:
        missing_tool("node")
    pairs = ["社会", "登记", "(新", "icp", "𠀀办", "a1"]
    script = (
        f"import {{ bucketOf, lookupPair }} from {json.dumps(NAMES_JS.as_uri())};"
        f"const pairs = {json.dumps(pairs, ensure_ascii=False)};"
        "console.log(JSON.stringify({buckets: pairs.map((p) => [7, 64, 4096].map((n) => bucketOf(p, n))),"
        "pair: lookupPair('公共场所 卫生许可（新办）')}));"
    )
    result = subprocess.run(
        [node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True, encoding="utf-8"
    )
    answer = json.loads(result.stdout)
    assert answer["buckets"] == [[bucket_of(pair, n) for n in (7, 64, 4096)] for pair in pairs]
    assert answer["pair"] == "卫生"  # the longest word's first pair: 卫生许可(新办) has seven characters


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    space = Workspace(tmp_path)
    space.rebuild()
    return space


def _names_written(workspace: Workspace) -> list[str]:
    return [path for path in report_paths(workspace, workspace.rebuild()) if "/names/" in path]


def test_a_guide_text_edit_writes_no_names_file(workspace: Workspace) -> None:
    EDITS["guide text"][0](workspace)
    assert _names_written(workspace) == []


def test_a_renamed_guide_rewrites_only_the_buckets_of_its_old_and_new_names(workspace: Workspace) -> None:
    manifest, _ = _index(workspace.site, "alpha")
    count = manifest["buckets"]
    workspace.edit(FIRST, "name: 养犬首次登记", "name: 养犬初次登记")
    touched = {bucket_of(pair, count) for name in ("养犬首次登记", "养犬初次登记") for pair in bigrams(name)}
    expected = sorted(names_index.bucket_path(_region(workspace), count, bucket) for bucket in touched)
    assert _names_written(workspace) == expected
    _, buckets = _index(workspace.site, "alpha")
    names = {guide[0] for bucket in buckets for guide in bucket}
    assert "养犬初次登记" in names and "养犬首次登记" not in names


def _region(workspace: Workspace):
    from sitegen.loading import load_catalog

    return load_catalog(workspace.content).region("alpha")
