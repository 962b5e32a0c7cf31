"""The record of staff opening sealed personal data: who, when, which application, which field.

Entries are kept per department (the staff of the department and the operators read them), newest first, and
never expire; they name the field, never its value.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..services import Services


def _partition(region: str, department: str) -> str:
    return f"AUDIT#{region}#{department}"


def record(services: Services, region: str, department: str, entry: dict[str, Any]) -> None:
    """Append an entry ({"at", "staff_id", "staff_name", "application_id", "number", "subitem_name", "field",
    "field_label"}); the sort key orders by time, the id keeps two entries of one second apart."""
    services.table.put({"pk": _partition(region, department), "sk": f"{entry['at']:012d}#{uuid.uuid4().hex}", **entry})


def list_for_department(
    services: Services, region: str, department: str, limit: int, start_after: str | None = None
) -> list[dict[str, Any]]:
    return services.table.query(_partition(region, department), descending=True, limit=limit, start_after=start_after)
