"""Upload records: where a file was asked to go, what it turned out to be, and who claimed it."""

from __future__ import annotations

import secrets
from typing import Any

from ..services import Services

Upload = dict[str, Any]
# An upload nobody claims (a registration given up half-way) disappears after a day.
QUARANTINE_SECONDS = 86400


def _key(upload_id: str) -> tuple[str, str]:
    return f"UPLOAD#{upload_id}", "UPLOAD"


def create(services: Services, purpose: str, content_type: str, max_size: int, filename: str,
           owner: str | None, extension: str, declared_size: int, application_id: str | None = None,
           material_id: str | None = None) -> Upload:
    upload_id = secrets.token_hex(16)  # hex: safe as a path segment on every store
    now = int(services.clock())
    upload = {
        "id": upload_id, "purpose": purpose, "content_type": content_type, "max_size": max_size,
        "declared_size": declared_size, "filename": filename, "owner": owner, "status": "pending", "created_at": now,
    }
    if application_id:
        # A material belongs to its application from the start; it stays with it, no quarantine.
        upload |= {"key": f"materials/{application_id}/{material_id}/{upload_id}{extension}",
                   "application_id": application_id, "material_id": material_id}
    else:
        upload |= {"key": f"quarantine/{upload_id}{extension}", "expires_at": now + QUARANTINE_SECONDS}
    services.table.put({"pk": _key(upload_id)[0], "sk": "UPLOAD", **upload})
    return upload


def get(services: Services, upload_id: str) -> Upload | None:
    return services.table.get(*_key(upload_id))


def update(services: Services, upload_id: str, changes: dict[str, Any], expected: dict[str, Any]) -> Upload:
    return services.table.update(*_key(upload_id), changes, expected)


def delete(services: Services, upload_id: str) -> None:
    services.table.delete(*_key(upload_id))
