"""Upload records: where a file was asked to go, what it turned out to be, and who claimed it."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from ..storage.interface import BlobStore, ConditionFailed, ObjectExists, Table, Transaction
from .errors import Conflict, NotFound

Upload = dict[str, Any]
# An upload nobody claims (a registration given up half-way) disappears after a day.
QUARANTINE_SECONDS = 86400

# The key layout. A ticket can write only its own incoming key, and nothing reads that key again after
# /complete; what passed the checks is written once, by the function alone, under a checked prefix.
INCOMING_PREFIX = "incoming/"
"""incoming/<upload_id><ext>: the one object a ticket may write; deleted by /complete, expires after a day."""
QUARANTINE_PREFIX = "quarantine/"
"""quarantine/<upload_id><ext>: a checked licence image no registration has claimed yet; expires after a day."""
EVIDENCE_PREFIX = "evidence/"
"""evidence/materials/<application>/<material>/<upload_id><ext> and evidence/licences/<account><ext>: kept."""
CHECKED_PREFIXES = (QUARANTINE_PREFIX, EVIDENCE_PREFIX)
"""Write-once prefixes: only BlobStore.put writes there (serverless.yml denies any other write)."""


def _key(upload_id: str) -> tuple[str, str]:
    return f"UPLOAD#{upload_id}", "UPLOAD"


def licence_key(account_id: str, quarantine_key: str) -> str:
    """Where a registration keeps the licence image it claimed."""
    return f"{EVIDENCE_PREFIX}licences/{account_id}{quarantine_key[quarantine_key.rfind('.') :]}"


class Uploads:
    """Upload records and the objects they name (the incoming one a ticket writes, the checked copy kept)."""

    def __init__(self, table: Table, blobs: BlobStore, clock: Callable[[], float]) -> None:
        self._table, self._blobs, self._clock = table, blobs, clock

    def create(
        self,
        purpose: str,
        content_type: str,
        max_size: int,
        filename: str,
        owner: str | None,
        extension: str,
        declared_size: int,
        application_id: str | None = None,
        material_id: str | None = None,
        material_name: str | None = None,
        valid_days: int | None = None,
    ) -> Upload:
        """A pending upload: "incoming_key" for the ticket, "checked_key" for /complete, which sets "key"."""
        upload_id = secrets.token_hex(16)  # hex, random: safe as a path segment, and no other ticket's key
        now = int(self._clock())
        upload: Upload = {
            "id": upload_id,
            "purpose": purpose,
            "content_type": content_type,
            "max_size": max_size,
            "declared_size": declared_size,
            "filename": filename,
            "owner": owner,
            "status": "pending",
            "created_at": now,
            "incoming_key": f"{INCOMING_PREFIX}{upload_id}{extension}",
        }
        if application_id:
            # A material belongs to its application from the start; it stays with it, no quarantine.
            upload |= {
                "checked_key": f"{EVIDENCE_PREFIX}materials/{application_id}/{material_id}/{upload_id}{extension}",
                "application_id": application_id,
                "material_id": material_id,
                # What 我的材料 keeps it as, once checked (repositories.material_library).
                "material_name": material_name,
                "valid_days": valid_days,
            }
        else:
            upload |= {
                "checked_key": f"{QUARANTINE_PREFIX}{upload_id}{extension}",
                "expires_at": now + QUARANTINE_SECONDS,
            }
        self._table.put({"pk": _key(upload_id)[0], "sk": "UPLOAD", **upload})
        return upload

    def get(self, upload_id: str) -> Upload | None:
        return self._table.get(*_key(upload_id))

    def keep_checked(self, upload: Upload, data: bytes) -> Upload:
        """Write the checked bytes, write-once, to the upload's checked key, record them, end the ticket; the
        record. Conflict while a concurrent /complete is writing them; NotFound if that one refused them."""
        checked_key = upload["checked_key"]
        try:
            self._blobs.put(checked_key, data, upload["content_type"])
        except ObjectExists:
            # A concurrent complete of this upload wrote it first: what is kept there is what gets recorded.
            try:
                data = self._blobs.read(checked_key)
            except KeyError:
                raise Conflict("in_progress", "文件正在检查，请稍后再试") from None
        changes = {
            "status": "complete",
            "key": checked_key,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        try:
            recorded = self._table.update(*_key(upload["id"]), changes, expected={"status": "pending"})
        except ConditionFailed:
            found = self.get(upload["id"])  # a concurrent complete finished first
            if found is None:  # ... or refused other bytes and ended the upload: nothing refers to this copy
                self._blobs.delete(checked_key)
                raise NotFound("not_found", "上传记录不存在或已过期，请重新上传") from None
            recorded = found
        self._blobs.delete(upload["incoming_key"])
        return recorded

    def keep_copy(
        self, file: dict[str, Any], data: bytes, owner: str, application_id: str, material_id: str, extension: str
    ) -> Upload:
        """A complete upload of an application's material holding a copy of a file checked before (from 我的材料),
        written once under the application's own key, with the same record a /complete would leave."""
        upload_id = secrets.token_hex(16)
        key = f"{EVIDENCE_PREFIX}materials/{application_id}/{material_id}/{upload_id}{extension}"
        self._blobs.put(key, data, file["content_type"])
        upload: Upload = {
            "id": upload_id,
            "purpose": "material",
            "content_type": file["content_type"],
            "filename": file["filename"],
            "owner": owner,
            "status": "complete",
            "created_at": int(self._clock()),
            "application_id": application_id,
            "material_id": material_id,
            "key": key,
            "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "library_id": file["id"],
        }
        self._table.put({"pk": _key(upload_id)[0], "sk": "UPLOAD", **upload})
        return upload

    def discard(self, upload_id: str, key: str) -> None:
        """Delete an upload's object and its record: a file refused, or taken off a draft."""
        self._blobs.delete(key)
        self._table.delete(*_key(upload_id))

    def claim(self, upload_id: str, account_id: str) -> Transaction:
        """The writes that give a complete, unclaimed upload to an account, to commit with the account: the
        licence image leaves quarantine only together with the account that claims it."""
        return Transaction(
            updates=[
                (
                    *_key(upload_id),
                    {"claimed_by": account_id, "expires_at": None},
                    {"status": "complete", "claimed_by": None},
                )
            ]
        )
