"""Questions the API asks of site/catalog.json (the build's output, its only view of the catalogue)."""

from __future__ import annotations

from typing import Any

Subitem = dict[str, Any]
Region = dict[str, Any]


def find_region(catalog: dict, region_code: str) -> Region | None:
    return next((region for region in catalog["regions"] if region["code"] == region_code), None)


def find_subitem(catalog: dict, region_code: str, code: str) -> tuple[Region, Subitem] | None:
    region = find_region(catalog, region_code)
    if region is None:
        return None
    subitem = next((sub for sub in region["subitems"] if sub["code"] == code), None)
    return (region, subitem) if subitem else None


def department_name(region: Region, department_code: str) -> str:
    return next((d["full_name"] for d in region["departments"] if d["code"] == department_code), department_code)


def material(subitem: Subitem, material_id: str) -> dict[str, Any] | None:
    return next((m for m in subitem["materials"] if m["id"] == material_id), None)
