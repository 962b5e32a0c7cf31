"""结果文书: the PDFs issued when an application is decided, their 文号 counters and the public verification index.

A document's PDF is stored write-once, like a checked material, and its sha256 recorded; the application lists the
documents it was issued, and two index items (by verification code, by sha256) answer the public verify page with
the document's public facts only — never the application or the holder's full name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from ..storage.interface import BlobStore, ObjectExists, Table, Transaction
from .errors import Conflict
from .uploads import EVIDENCE_PREFIX

Document = dict[str, Any]
PUBLIC_FACTS = ("document_number", "title", "subitem_name", "department_name", "issued_at", "holder_masked", "sha256")
# 文号 counters outlive their year by a year, so a late decision of December never restarts a count.
COUNTER_SECONDS = 2 * 366 * 86400


def document_key(application_id: str, document_id: str) -> str:
    """Beside the checked materials (evidence/, kept and served as stored): the case file holds its outcome too."""
    return f"{EVIDENCE_PREFIX}documents/{application_id}/{document_id}.pdf"


def _code_key(code: str) -> tuple[str, str]:
    return f"DOCCODE#{code}", "DOC"


def _hash_key(sha256: str) -> tuple[str, str]:
    return f"DOCHASH#{sha256}", "DOC"


class ResultDocuments:
    def __init__(self, table: Table, blobs: BlobStore, clock: Callable[[], float]) -> None:
        self._table, self._blobs, self._clock = table, blobs, clock

    def next_sequence(self, region: str, issuer: str, year: int) -> int:
        """The issuer's next document of the year, from an atomic counter: two decisions at once never share a 文号."""
        expires_at = int(self._clock()) + COUNTER_SECONDS
        return self._table.increment(f"DOCSEQ#{region}#{issuer}#{year}", "COUNT", expires_at=expires_at)

    def store(self, key: str, pdf: bytes) -> str:
        """Keep the PDF write-once under key; its sha256. A key already taken is a bug, never an overwrite."""
        try:
            self._blobs.put(key, pdf, "application/pdf")
        except ObjectExists:
            raise Conflict("conflict", "结果文书已存在，请刷新后查看") from None
        return hashlib.sha256(pdf).hexdigest()

    def discard(self, key: str) -> None:
        """A PDF whose decision was not stored (someone else changed the application first) is nobody's."""
        self._blobs.delete(key)

    def indexing(self, document: Document, into: Transaction) -> Transaction:
        """The verify page's two index items of a new document, written with the decision that issues it."""
        facts = {key: document[key] for key in PUBLIC_FACTS} | {"application_id": document["application_id"]}
        into.puts_if_absent.append({"pk": _code_key(document["verification_code"])[0], "sk": "DOC", **facts})
        into.puts_if_absent.append({"pk": _hash_key(document["sha256"])[0], "sk": "DOC", **facts})
        return into

    def find_by_code(self, code: str) -> Document | None:
        return self._table.get(*_code_key(code))

    def find_by_hash(self, sha256: str) -> Document | None:
        return self._table.get(*_hash_key(sha256))

    def read(self, key: str) -> bytes:
        return self._blobs.read(key)
