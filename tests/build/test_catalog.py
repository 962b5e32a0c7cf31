"""The catalogue the API reads (format version 2): catalog.json and its shards carry exactly what content/ says."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from sitegen import catalog_export
from sitegen.catalog_export import (
    FORMAT_VERSION,
    catalog_files,
    shard_count,
    shard_index,
    shard_paths,
    shard_text,
    split_into_shards,
)
from sitegen.loading import load_catalog
from sitegen.models import AUDIENCE_CODES
from tests.conftest import FIXTURE_CONTENT


def _json(site: Path, relative: str) -> dict:
    return json.loads((site / relative).read_text(encoding="utf-8"))


def _subitems(site: Path, region: dict) -> dict[str, dict]:
    """A region's sub-items from all its shards, each checked to sit in the shard crc32 names."""
    found: dict[str, dict] = {}
    shards = region["subitem_shards"]
    for number, relative in enumerate(shards):
        shard = _json(site, relative)
        assert shard["version"] == FORMAT_VERSION and shard["region"] == region["code"]
        for code in shard["subitems"]:
            assert zlib.crc32(code.encode("utf-8")) % len(shards) == number, code
        found |= shard["subitems"]
    return found


def test_entry_point_names_each_regions_files(built_site) -> None:
    catalog, site = built_site
    document = _json(site, "catalog.json")
    assert document["version"] == 2
    assert document["portal"] == {"name": catalog.portal.name, "default_region": catalog.default_region().code}
    assert [region["code"] for region in document["regions"]] == [region.code for region in catalog.regions]
    for region, exported in zip(catalog.regions, document["regions"], strict=True):
        assert {key: exported[key] for key in ("name", "slug", "site_name")} == {
            "name": region.name,
            "slug": region.slug,
            "site_name": region.site_name,
        }
        assert exported["departments"] == f"catalog/{region.code}/departments.json"
        assert exported["subitem_shards"] == shard_paths(region.code, shard_count(len(catalog.subitems(region))))
        assert "subitems" not in exported  # the entry point stays small however many sub-items there are
    on_disk = {path.relative_to(site).as_posix() for path in (site / "catalog").rglob("*") if path.is_file()}
    assert on_disk == {document["documents"]} | {
        path for region in document["regions"] for path in [region["departments"], *region["subitem_shards"]]
    }


def test_catalogue_matches_content(built_site) -> None:
    catalog, site = built_site
    for region, exported in zip(catalog.regions, _json(site, "catalog.json")["regions"], strict=True):
        departments = _json(site, exported["departments"])
        assert departments["version"] == FORMAT_VERSION and departments["region"] == region.code
        assert {d["code"]: d["full_name"] for d in departments["departments"]} == {
            d.code: d.full_name for d in catalog.departments_of(region)
        }
        subitems = _subitems(site, exported)
        assert set(subitems) == {sub.code for sub in catalog.subitems(region)}
        for sub in catalog.subitems(region):
            entry = subitems[sub.code]
            guide = sub.guide
            assert entry["code"] == sub.code and entry["name"] == guide.name
            assert entry["department"] == sub.item.department.code
            assert entry["audiences"] == [AUDIENCE_CODES[a] for a in guide.audiences]
            assert entry["online"] is guide.online
            assert [field["name"] for field in entry["fields"]] == [field.name for field in guide.form_fields]
            assert [field["type"] for field in entry["fields"]] == [field.type for field in guide.form_fields]
            assert [(field["not_before"], field["not_after"]) for field in entry["fields"]] == [
                (field.not_before, field.not_after) for field in guide.form_fields
            ]
            assert [m["id"] for m in entry["materials"]] == [m.id for m in guide.materials]
            assert [m["max_size"] for m in entry["materials"]] == [m.max_size_mb * 1048576 for m in guide.materials]
            assert [m["required"] for m in entry["materials"]] == [m.required for m in guide.materials]
            for material in entry["materials"]:
                for download in (material["blank_form"], material["sample"]):
                    assert download is None or (site / download.lstrip("/")).is_file()


def test_sample_content_is_substantial(built_site) -> None:
    """The issue's floor for the sample catalogue: three regions, both columns, enough items to browse."""
    catalog, _ = built_site
    assert {region.code for region in catalog.regions} >= {"210300", "210100", "210200"}
    assert catalog.default_region().code == "210300"
    for region in catalog.regions:
        assert len([dept for dept in catalog.departments_of(region) if catalog.items_of(dept)]) >= 2, region.name
    assert len(catalog.items) >= 12
    assert len(catalog.subitems()) >= 30
    audiences = {audience for sub in catalog.subitems() for audience in sub.guide.audiences}
    assert audiences == {"自然人", "法人"}
    anshan_departments = {dept.full_name for dept in catalog.departments_of(catalog.region("anshan"))}
    assert "鞍山市行政审批局社会事务科" in anshan_departments


@pytest.mark.parametrize(
    "n_subitems, count",
    [
        (0, 1),
        (1, 1),
        (64, 1),
        (65, 2),
        (128, 2),
        (129, 4),
        (1000, 16),
        (100_000, 2048),
    ],
)
def test_shard_count_is_a_power_of_two_of_about_64_each(n_subitems, count) -> None:
    assert shard_count(n_subitems) == count
    assert count & (count - 1) == 0 and n_subitems / count <= catalog_export.SUBITEMS_PER_SHARD


def test_shard_names_are_zero_padded_hex() -> None:
    assert shard_paths("210300", 1) == ["catalog/210300/subitems-00.json"]
    assert shard_paths("210300", 256)[-1] == "catalog/210300/subitems-ff.json"
    assert shard_paths("210300", 512)[0] == "catalog/210300/subitems-000.json"
    assert shard_paths("210300", 4096)[-1] == "catalog/210300/subitems-fff.json"


def test_records_land_in_the_shard_crc32_names() -> None:
    codes = [f"210300-XK-{number:04d}-01" for number in range(300)]
    count = shard_count(len(codes))
    shards = split_into_shards({code: {"code": code} for code in codes}, count)
    assert count == 8 and len(shards) == 8
    for number, shard in enumerate(shards):
        assert all(zlib.crc32(code.encode("utf-8")) % 8 == number == shard_index(code, 8) for code in shard)
        assert 0 < len(shard) < 2 * catalog_export.SUBITEMS_PER_SHARD  # crc32 spreads them about evenly
    assert sum(len(shard) for shard in shards) == 300


def test_shards_are_compact_sorted_and_unescaped() -> None:
    text = shard_text("210300", {"b": {"name": "乙", "code": "b"}, "a": {"code": "a"}})
    assert text == '{"region":"210300","subitems":{"a":{"code":"a"},"b":{"code":"b","name":"乙"}},"version":2}\n'


def test_catalog_files_of_the_fixture() -> None:
    """What build.py writes: the entry point, then each region's departments and its single small shard."""
    files = catalog_files(load_catalog(FIXTURE_CONTENT))
    assert sorted(files) == [
        "catalog.json",
        "catalog/210100/departments.json",
        "catalog/210100/subitems-00.json",
        "catalog/210300/departments.json",
        "catalog/210300/subitems-00.json",
        "catalog/documents.json",
    ]
    assert files["catalog.json"].startswith('{\n "documents"')  # indented: the one file people read in a diff
    for path, text in files.items():
        assert json.loads(text)["version"] == FORMAT_VERSION, path
        if path != "catalog.json":
            assert "\n" not in text.rstrip("\n"), path


def test_default_result_documents_are_stored_once(built_site) -> None:
    catalog, site = built_site
    document = _json(site, "catalog.json")
    assert document["documents"] == "catalog/documents.json"
    defaults = _json(site, document["documents"])
    assert defaults["version"] == FORMAT_VERSION
    assert {kind: entry["title"] for kind, entry in defaults["documents"].items()} == {
        "approved": "准予行政许可决定书",
        "denied": "不予行政许可决定书",
        "rejected": "不予受理通知书",
    }
    assert "第三十二条" in defaults["documents"]["rejected"]["body"]
    assert "{comment}" in defaults["documents"]["denied"]["body"]
    # ... and only an item's overrides travel in its sub-items' records.
    overridden = {}
    for exported in document["regions"]:
        for code, entry in _subitems(site, exported).items():
            if "result_documents" in entry:
                overridden[code] = {kind: doc["title"] for kind, doc in entry["result_documents"].items()}
    assert overridden == {
        sub.code: {"approved": "准予公共场所卫生许可决定书"}
        for sub in catalog.subitems(catalog.region("anshan"))
        if sub.item.code == "210300-XK-0106"
    }
    assert len(overridden) == 3


def test_records_carry_the_legal_basis_documents_cite(built_site) -> None:
    _catalog, site = built_site
    region = next(r for r in _json(site, "catalog.json")["regions"] if r["code"] == "210300")
    entry = _subitems(site, region)["210300-XK-0106-01"]
    assert entry["legal_basis"][0] == "《公共场所卫生管理条例》第四条、第八条"
