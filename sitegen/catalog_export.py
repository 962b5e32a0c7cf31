"""site/catalog.json: the only contract between the build and the API (DESIGN.md, data flow step 2)."""

from __future__ import annotations

import json
from typing import Any

from .catalog import Catalog, DepartmentEntry, SubItemEntry
from .models import Material, Region

FORMAT_VERSION = 1


def catalog_json(catalog: Catalog) -> str:
    document = {
        "version": FORMAT_VERSION,
        "portal": {"name": catalog.portal.name, "default_region": catalog.default_region().code},
        "regions": [_region(catalog, region) for region in catalog.regions],
    }
    # Sorted keys and fixed indentation keep the file diffable and the golden test stable.
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _region(catalog: Catalog, region: Region) -> dict[str, Any]:
    return {
        "code": region.code,
        "name": region.name,
        "slug": region.slug,
        "site_name": region.site_name,
        "departments": [_department(dept) for dept in catalog.departments_of(region)],
        "subitems": [_subitem(sub) for sub in catalog.subitems(region)],
    }


def _department(dept: DepartmentEntry) -> dict[str, Any]:
    return {
        "code": dept.code,
        "name": dept.spec.name,
        "full_name": dept.full_name,
        "parent": dept.parent.code if dept.parent else None,
    }


def _subitem(sub: SubItemEntry) -> dict[str, Any]:
    guide = sub.guide
    return {
        "code": guide.code,
        "name": guide.name,
        "item_code": sub.item.code,
        "item_name": sub.item.spec.name,
        "department": sub.item.department.code,
        "item_type": guide.item_type,
        "audiences": sub.audience_codes,
        "online": guide.online,
        "handling_type": guide.handling_type,
        "legal_time_limit": guide.legal_time_limit,
        "promised_time_limit": guide.promised_time_limit,
        "guide_url": sub.url,
        "fields": [field.model_dump(exclude_defaults=False) for field in guide.form_fields],
        "materials": [_material(material) for material in guide.materials],
    }


def _material(material: Material) -> dict[str, Any]:
    return {
        "id": material.id,
        "name": material.name,
        "kind": material.kind,
        "copies": material.copies,
        "required": material.required,
        "formats": list(material.formats),
        "max_size": material.max_size_mb * 1024 * 1024,
        "blank_form": f"/files/{material.blank_form}" if material.blank_form else None,
        "sample": f"/files/{material.sample}" if material.sample else None,
        "notes": material.notes,
    }
