"""site/catalog.json carries exactly what content/ says, in the shape the API reads."""

from __future__ import annotations

import json

from sitegen.models import AUDIENCE_CODES


def test_catalog_matches_content(built_site) -> None:
    catalog, site = built_site
    document = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    assert document["portal"]["default_region"] == catalog.default_region().code
    assert [region["code"] for region in document["regions"]] == [region.code for region in catalog.regions]
    for region, exported in zip(catalog.regions, document["regions"]):
        assert {dept["code"] for dept in exported["departments"]} == {d.code for d in catalog.departments_of(region)}
        subitems = {sub["code"]: sub for sub in exported["subitems"]}
        assert set(subitems) == {sub.code for sub in catalog.subitems(region)}
        for sub in catalog.subitems(region):
            entry = subitems[sub.code]
            guide = sub.guide
            assert entry["name"] == guide.name
            assert entry["department"] == sub.item.department.code
            assert entry["audiences"] == [AUDIENCE_CODES[a] for a in guide.audiences]
            assert entry["online"] is guide.online
            assert [field["name"] for field in entry["fields"]] == [field.name for field in guide.form_fields]
            assert [field["type"] for field in entry["fields"]] == [field.type for field in guide.form_fields]
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
