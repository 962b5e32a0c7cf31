"""我的材料: which of a user's kept files may be attached again to a material, and in what order.

Pure rules over plain records, so the offer list, the reuse check and the page agree: a kept file fits a
material when the material takes its format and size and neither the file's own validity (the material it was
uploaded for) nor the new material's `valid_days` has run out since the upload.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

Entry = TypeVar("Entry", bound=Mapping[str, Any])

DAY_SECONDS = 86400


def valid_until(uploaded_at: int, valid_days: int | None) -> int | None:
    """When a file uploaded at `uploaded_at` stops being valid for a material of `valid_days`; None: never."""
    return uploaded_at + valid_days * DAY_SECONDS if valid_days else None


def expired(entry: Mapping[str, Any], now: int) -> bool:
    until = entry.get("valid_until")
    return until is not None and now >= until


def misfit(
    entry: Mapping[str, Any], content_types: set[str], max_size: int, valid_days: int | None, now: int
) -> str | None:
    """Why the kept file cannot be attached to a material taking these types and size; None if it fits."""
    if entry["content_type"] not in content_types:
        return "文件格式不符合该材料的要求"
    if entry["size"] > max_size:
        return f"文件超过该材料的大小上限 {max_size // 1048576} MB"
    if expired(entry, now):
        return "文件已超过有效期，请重新上传"
    limit = valid_until(entry["uploaded_at"], valid_days)
    if limit is not None and now >= limit:
        return "文件上传时间已超过该材料的有效期，请重新上传"
    return None


def _closeness(kept_as: str, wanted: str) -> int:
    """0: kept for a material of the same name; 1: one name contains the other (营业执照 / 营业执照正副本); 2: other."""
    if kept_as == wanted:
        return 0
    return 1 if kept_as in wanted or wanted in kept_as else 2


def ranked(entries: Iterable[Entry], material_name: str) -> list[Entry]:
    """The files kept for a material of the same name first, then related names, each group newest first."""
    return sorted(entries, key=lambda entry: (_closeness(entry["material_name"], material_name), -entry["uploaded_at"]))
