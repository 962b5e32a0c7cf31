"""The catalogue the API reads: the only contract between the build and the API (DESIGN.md, data flow step 2).

Format version 2, sharded so a cold Lambda reads kilobytes, not the whole province:

- `catalog.json`: the portal and each region, naming its departments file and its sub-item shards;
- `catalog/<region code>/departments.json`: the region's departments;
- `catalog/<region code>/subitems-<NN>.json`: the sub-items whose code hashes to shard NN
  (`zlib.crc32(code) % shard count`), the count a power of two so that a shard holds about 64 or fewer;
- `catalog/documents.json`: the portal's default 结果文书 template of each decision kind, stored once; a sub-item
  whose item overrides one carries only that one, in its record's `result_documents`.

Every piece is a pure function returning text, so an incremental build can rewrite one shard alone;
`catalog_files` assembles them all for a full build. Nothing here touches the disk.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from .catalog import Catalog, DepartmentEntry, SubItemEntry
from .models import Material, Region
from .parsing import ResultTemplate
from .urls import file_url

FORMAT_VERSION = 2
INDEX_PATH = "catalog.json"
SHARDS_DIR = "catalog"
DOCUMENTS_PATH = f"{SHARDS_DIR}/documents.json"
SUBITEMS_PER_SHARD = 64
"""The most sub-items a shard holds on average: a request parses one small file, and even a region of
100,000 sub-items is 2,048 files, not 100,000."""

Record = dict[str, Any]


# --- records: what the API knows of each department and sub-item ---------------------------------------


def subitem_record(sub: SubItemEntry) -> Record:
    guide = sub.guide
    record: Record = {
        "code": guide.code,
        "name": guide.name,
        "item_code": sub.item.code,
        "item_name": sub.item.spec.name,
        "department": sub.item.department.code,
        "item_type": guide.item_type,
        "audiences": sub.audience_codes,
        "online": guide.online,
        "appointment": sub.bookable,
        "handling_type": guide.handling_type,
        "legal_time_limit": guide.legal_time_limit,
        "promised_time_limit": guide.promised_time_limit,
        "guide_url": sub.url,
        "fields": [field.model_dump(exclude_defaults=False) for field in guide.form_fields],
        "materials": [_material(material) for material in guide.materials],
        "legal_basis": [f"{basis.law}{basis.provision}" for basis in guide.legal_basis],
    }
    if sub.item.documents:  # only overrides: the defaults are in documents.json once, not in 100,000 records
        record["result_documents"] = template_records(sub.item.documents)
    return record


def template_records(templates: dict[str, ResultTemplate]) -> dict[str, Record]:
    return {kind: {"title": template.title, "body": template.body} for kind, template in templates.items()}


def _material(material: Material) -> Record:
    return {
        "id": material.id,
        "name": material.name,
        "kind": material.kind,
        "copies": material.copies,
        "required": material.required,
        "formats": list(material.formats),
        "max_size": material.max_size_mb * 1024 * 1024,
        "valid_days": material.valid_days,
        "blank_form": file_url(material.blank_form) if material.blank_form else None,
        "sample": file_url(material.sample) if material.sample else None,
        "notes": material.notes,
    }


def department_records(catalog: Catalog, region: Region) -> list[Record]:
    return [_department(dept) for dept in catalog.departments_of(region)]


def _department(dept: DepartmentEntry) -> Record:
    return {
        "code": dept.code,
        "name": dept.spec.name,
        "full_name": dept.full_name,
        "parent": dept.parent.code if dept.parent else None,
        "document_prefix": dept.spec.document_prefix,
    }


# --- sharding ------------------------------------------------------------------------------------------


def shard_count(n_subitems: int) -> int:
    """The smallest power of two that keeps shards at SUBITEMS_PER_SHARD or fewer on average (1 for a small region)."""
    count = 1
    while count * SUBITEMS_PER_SHARD < n_subitems:
        count *= 2
    return count


def shard_index(code: str, count: int) -> int:
    """The shard a sub-item code belongs to; the API computes the same to read only that shard."""
    return zlib.crc32(code.encode("utf-8")) % count


def split_into_shards(records: dict[str, Record], count: int) -> list[dict[str, Record]]:
    """records (code -> record) grouped by shard_index; every shard present, empty ones too."""
    shards: list[dict[str, Record]] = [{} for _ in range(count)]
    for code, record in records.items():
        shards[shard_index(code, count)][code] = record
    return shards


def departments_path(region_code: str) -> str:
    return f"{SHARDS_DIR}/{region_code}/departments.json"


def shard_paths(region_code: str, count: int) -> list[str]:
    """The shard files of a region, relative to site/: subitems-00.json ... in hex, as wide as count-1 needs."""
    width = max(2, len(f"{count - 1:x}"))
    return [f"{SHARDS_DIR}/{region_code}/subitems-{index:0{width}x}.json" for index in range(count)]


# --- file texts ----------------------------------------------------------------------------------------


def _compact(document: dict[str, Any]) -> str:
    # sort_keys makes a shard's bytes depend only on its records, so an unchanged shard is never rewritten.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def shard_text(region_code: str, records: dict[str, Record]) -> str:
    return _compact({"version": FORMAT_VERSION, "region": region_code, "subitems": records})


def departments_text(region_code: str, records: list[Record]) -> str:
    return _compact({"version": FORMAT_VERSION, "region": region_code, "departments": records})


def documents_text(templates: dict[str, ResultTemplate]) -> str:
    return _compact({"version": FORMAT_VERSION, "documents": template_records(templates)})


def index_text(catalog: Catalog, shard_counts: dict[str, int]) -> str:
    """catalog.json: shard_counts maps each region code to the number of sub-item shards it was written with."""
    document = {
        "version": FORMAT_VERSION,
        "portal": {"name": catalog.portal.name, "default_region": catalog.default_region().code},
        "documents": DOCUMENTS_PATH,
        "regions": [_region_ref(region, shard_counts[region.code]) for region in catalog.regions],
        "holidays": {
            "holidays": [day.isoformat() for day in catalog.portal.holidays.holidays],
            "workdays": [day.isoformat() for day in catalog.portal.holidays.workdays],
        },
    }
    # The entry point stays indented: small, and diffable by whoever reviews a build.
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _region_ref(region: Region, count: int) -> Record:
    return {
        "code": region.code,
        "name": region.name,
        "slug": region.slug,
        "site_name": region.site_name,
        "departments": departments_path(region.code),
        "subitem_shards": shard_paths(region.code, count),
        "appointment": _appointment_rules(region),
    }


def _appointment_rules(region: Region) -> Record | None:
    """预约办理 at the region's service centre, for the API to cut into slots; None where it takes none."""
    centre = region.service_centre
    rules = centre.appointment
    if rules is None:
        return None
    return {
        "sessions": [list(session) for session in rules.sessions],
        "slot_capacity": rules.slot_capacity,
        "days_ahead": rules.days_ahead,
        "location": f"{centre.name}（{centre.address}）",
    }


def catalog_files(catalog: Catalog) -> dict[str, str]:
    """Every file of the catalogue: path relative to site/ -> text."""
    files: dict[str, str] = {}
    shard_counts: dict[str, int] = {}
    for region in catalog.regions:
        records = {sub.code: subitem_record(sub) for sub in catalog.subitems(region)}
        count = shard_counts[region.code] = shard_count(len(records))
        files[departments_path(region.code)] = departments_text(region.code, department_records(catalog, region))
        for path, shard in zip(shard_paths(region.code, count), split_into_shards(records, count), strict=True):
            files[path] = shard_text(region.code, shard)
    files[DOCUMENTS_PATH] = documents_text(catalog.documents)
    files[INDEX_PATH] = index_text(catalog, shard_counts)
    return files
