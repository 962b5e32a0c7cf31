"""我的材料: the checked files an account has uploaded, kept to attach again without a new upload.

The library keeps its own write-once copy of each file (evidence/library/<upload_id><ext>), so what the user does
with a draft (taking a file off it deletes the draft's copy) and what the user does with the library (deleting a
kept file) never reach each other; an application that reuses a file gets a copy of its own as well, so a case
file's evidence is never an object something else may delete. The licence image of a 法人 registration is the one
exception: its entry names the account's licence object, which deleting the entry leaves in place.

Items, all under the owner's partition LIBRARY#<owner>: FILE#<id> (one kept file; its id is the id of the upload it
came from) and USE#<id>#<application> (an application the file was attached to; the route checks whether it
still is, since a draft may have dropped it since).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from ..domain.material_library import valid_until
from ..storage.interface import BlobStore, ConditionFailed, Item, ObjectExists, Table, Transaction
from .errors import NotFound
from .uploads import EVIDENCE_PREFIX, Upload

log = logging.getLogger(__name__)

KeptFile = dict[str, Any]
LIBRARY_PREFIX = f"{EVIDENCE_PREFIX}library/"
"""evidence/library/<upload_id><ext>: the library's own copy of a kept file; deleted with its entry."""
LICENCE_MATERIAL_NAME = "营业执照"
ENTRY_FIELDS = (
    "id",
    "key",
    "own_object",
    "filename",
    "content_type",
    "size",
    "sha256",
    "material_name",
    "uploaded_at",
    "valid_until",
)


def _partition(owner: str) -> str:
    return f"LIBRARY#{owner}"


def _file_sk(entry_id: str) -> str:
    return f"FILE#{entry_id}"


def _use_sk(entry_id: str, application_id: str) -> str:
    return f"USE#{entry_id}#{application_id}"


class FileChanged(Exception):
    """A kept file's bytes no longer match the sha256 recorded when it was checked."""


class MaterialLibrary:
    def __init__(self, table: Table, blobs: BlobStore, clock: Callable[[], float]) -> None:
        self._table, self._blobs, self._clock = table, blobs, clock

    def keep(self, owner: str, upload: Upload, data: bytes, material_name: str, valid_days: int | None) -> None:
        """Keep a copy of an application material just checked (its bytes `data`), and note the application.

        Safe to repeat: a second /complete of the same upload finds the copy and the entry there and adds nothing.
        """
        key = f"{LIBRARY_PREFIX}{upload['id']}{upload['key'][upload['key'].rfind('.') :]}"
        try:
            self._blobs.put(key, data, upload["content_type"])
        except ObjectExists:
            return  # a concurrent /complete of this upload is keeping it
        entry = _entry(upload["id"], key, True, upload, material_name, int(self._clock()), valid_days)
        writes = Transaction(
            puts_if_absent=[
                {"pk": _partition(owner), "sk": _file_sk(entry["id"]), **entry},
                self._use(owner, entry["id"], upload["application_id"]),
            ]
        )
        try:
            self._table.transact(writes)
        except ConditionFailed:
            pass  # kept already

    def licence_writes(self, owner: str, upload: Upload, key: str) -> list[Item]:
        """The entry of a registration's licence image, to create with the account (one transaction)."""
        entry = _entry(upload["id"], key, False, upload, LICENCE_MATERIAL_NAME, int(self._clock()), None)
        return [{"pk": _partition(owner), "sk": _file_sk(entry["id"]), **entry}]

    def files(self, owner: str) -> tuple[list[KeptFile], dict[str, list[str]]]:
        """Every kept file of the owner, newest first, and by file id the applications it was attached to."""
        entries: list[KeptFile] = []
        uses: dict[str, list[str]] = {}
        for item in self._table.query(_partition(owner)):
            if item["sk"].startswith("FILE#"):
                entries.append({name: item.get(name) for name in ENTRY_FIELDS})
            elif item["sk"].startswith("USE#"):
                uses.setdefault(item["entry_id"], []).append(item["application_id"])
        entries.sort(key=lambda entry: entry["uploaded_at"], reverse=True)
        return entries, uses

    def get(self, owner: str, entry_id: str) -> KeptFile | None:
        item = self._table.get(_partition(owner), _file_sk(entry_id))
        return {name: item.get(name) for name in ENTRY_FIELDS} if item else None

    def read(self, entry: KeptFile) -> bytes:
        """The kept file's bytes, checked against the recorded sha256; FileChanged if they differ, NotFound if gone."""
        try:
            data = self._blobs.read(entry["key"])
        except KeyError:
            raise NotFound("not_found", "文件已删除，请重新上传") from None
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            log.error("kept file %s does not match its recorded sha256", entry["id"])  # operators must look
            raise FileChanged(entry["id"])
        return data

    def uses_of(self, owner: str, entry_id: str) -> list[str]:
        """The applications the kept file was attached to (some may have dropped it since)."""
        return [item["application_id"] for item in self._table.query(_partition(owner), f"USE#{entry_id}#")]

    def record_uses(self, owner: str, entry_ids: list[str], application_id: str) -> None:
        for entry_id in entry_ids:
            self._table.put(self._use(owner, entry_id, application_id))

    def remove(self, owner: str, entry: KeptFile) -> None:
        """Delete the entry, the notes of its uses and its own copy (a repeat, or a concurrent one, changes nothing)."""
        self._table.delete(_partition(owner), _file_sk(entry["id"]))
        for application_id in self.uses_of(owner, entry["id"]):
            self._table.delete(_partition(owner), _use_sk(entry["id"], application_id))
        if entry["own_object"]:
            self._blobs.delete(entry["key"])

    @staticmethod
    def _use(owner: str, entry_id: str, application_id: str) -> Item:
        return {
            "pk": _partition(owner),
            "sk": _use_sk(entry_id, application_id),
            "entry_id": entry_id,
            "application_id": application_id,
        }


def _entry(
    entry_id: str, key: str, own_object: bool, upload: Upload, material_name: str, now: int, valid_days: int | None
) -> KeptFile:
    return {
        "id": entry_id,
        "key": key,
        "own_object": own_object,
        "filename": upload["filename"],
        "content_type": upload["content_type"],
        "size": upload["size"],
        "sha256": upload["sha256"],
        "material_name": material_name,
        "uploaded_at": now,
        "valid_until": valid_until(now, valid_days),
    }
