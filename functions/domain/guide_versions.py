"""The version of a sub-item's guide an application was started (or last submitted) under, and what changed since.

An application keeps this snapshot, so showing it never depends on the sub-item still being in the catalogue,
and a submission can tell when an editor changed the form or the materials under the applicant's feet.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

# What a submission is checked against; a changed help text or note does not make the applicant start over.
FIELD_RULES = ("name", "label", "type", "required", "options")
MATERIAL_RULES = ("id", "name", "required", "formats", "max_size")


def snapshot(
    subitem_name: str, guide_url: str, fields: Sequence[Mapping[str, Any]], materials: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    """The guide as an application records it: its fields, its materials, a link, and a version digest."""
    fields, materials = [dict(field) for field in fields], [dict(material) for material in materials]
    return {
        "version": digest(fields, materials),
        "subitem_name": subitem_name,
        "guide_url": guide_url,
        "fields": fields,
        "materials": materials,
    }


def digest(fields: Sequence[Mapping[str, Any]], materials: Sequence[Mapping[str, Any]]) -> str:
    rules = {
        "fields": [{key: field.get(key) for key in FIELD_RULES} for field in fields],
        "materials": [{key: material.get(key) for key in MATERIAL_RULES} for material in materials],
    }
    return hashlib.sha256(json.dumps(rules, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:16]


def changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """In Chinese, what the new guide asks differently from the old one, field by field, material by material."""
    notes = _compare(old.get("fields", []), new.get("fields", []), "name", "label", "申请表", _field_change)
    return notes + _compare(
        old.get("materials", []), new.get("materials", []), "id", "name", "申请材料", _material_change
    )


def _compare(
    old: Sequence[Mapping[str, Any]],
    new: Sequence[Mapping[str, Any]],
    key: str,
    label: str,
    part: str,
    describe: Callable[[Mapping[str, Any], Mapping[str, Any]], list[str]],
) -> list[str]:
    before = {item[key]: item for item in old}
    after = {item[key]: item for item in new}
    notes = [
        f"{part}新增“{item[label]}”" + ("（必填）" if item.get("required") else "")
        for name, item in after.items()
        if name not in before
    ]
    notes += [f"{part}不再需要“{item[label]}”" for name, item in before.items() if name not in after]
    for name in (name for name in after if name in before):
        notes += describe(before[name], after[name])
    return notes


def _field_change(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    name = new["label"]
    notes: list[str] = []
    if new.get("required") and not old.get("required"):
        notes.append(f"申请表“{name}”改为必填")
    if old.get("type") != new.get("type") or old.get("options") != new.get("options"):
        notes.append(f"申请表“{name}”的填写要求已调整")
    if old.get("label") != new.get("label"):
        notes.append(f"申请表“{old['label']}”更名为“{name}”")
    return notes


def _material_change(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    name = new["name"]
    notes: list[str] = []
    if new.get("required") and not old.get("required"):
        notes.append(f"申请材料“{name}”改为必须提交")
    if old.get("formats") != new.get("formats") or (new.get("max_size") or 0) < (old.get("max_size") or 0):
        notes.append(f"申请材料“{name}”的文件格式或大小要求已调整")
    if old.get("name") != new.get("name"):
        notes.append(f"申请材料“{old['name']}”更名为“{name}”")
    return notes
