"""The record of staff opening sealed personal data: who, when, which application, which field.

Entries are kept per department (the staff of the department and the operators read them), newest first, and
never expire; they name the field, never its value.
"""

from __future__ import annotations

import uuid
from typing import Any

from ..storage.interface import Table


def _partition(region: str, department: str) -> str:
    return f"AUDIT#{region}#{department}"


class AuditLog:
    def __init__(self, table: Table) -> None:
        self._table = table

    def record(self, region: str, department: str, entry: dict[str, Any]) -> None:
        """Append an entry ({"at", "staff_id", "staff_name", "application_id", "number", "subitem_name", "field",
        "field_label"}); the sort key orders by time, the id keeps two entries of one second apart."""
        sk = f"{entry['at']:012d}#{uuid.uuid4().hex}"
        self._table.put({"pk": _partition(region, department), "sk": sk, **entry})

    def list_for_department(
        self, region: str, department: str, limit: int, start_after: str | None = None
    ) -> list[dict[str, Any]]:
        return self._table.query(_partition(region, department), descending=True, limit=limit, start_after=start_after)
