"""The storage contract the repositories are written against, once, for both backends.

Items are plain dicts with a partition key "pk", a sort key "sk" and JSON-like values (str, int, bool,
None, list, dict; no floats). An item whose "expires_at" (epoch seconds) is in the past is treated as
absent by every read and condition, because DynamoDB's TTL deletes expired items only eventually.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol, runtime_checkable

Item = dict[str, Any]


class ConditionFailed(Exception):
    """A put-if-absent, conditional update or transaction did not hold; nothing was written."""


class ObjectExists(ConditionFailed):
    """A write-once BlobStore.put found the key taken; the object there is unchanged."""


@dataclass
class Transaction:
    """Writes applied all together or not at all (DynamoDB TransactWriteItems; one SQLite transaction)."""

    puts_if_absent: list[Item] = field(default_factory=list)
    """Each fails the transaction if an unexpired item with its (pk, sk) exists."""
    puts: list[Item] = field(default_factory=list)
    """Unconditional puts (replace)."""
    updates: list[tuple[str, str, dict[str, Any], dict[str, Any] | None]] = field(default_factory=list)
    """(pk, sk, changes, expected): set `changes` on an existing item; `expected` as in Table.update."""
    deletes: list[tuple[str, str]] = field(default_factory=list)
    guarded_deletes: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    """(pk, sk, expected): remove an existing, unexpired item only while `expected` holds (as in Table.update)."""


class Table(Protocol):
    def get(self, pk: str, sk: str) -> Item | None:
        """The item, or None if absent or expired."""

    def put(self, item: Item) -> None:
        """Create or replace."""

    def put_if_absent(self, item: Item) -> bool:
        """Create only if no unexpired item has this key; False (nothing written) otherwise."""

    def update(self, pk: str, sk: str, changes: dict[str, Any], expected: dict[str, Any] | None = None) -> Item:
        """Set attributes of an existing, unexpired item and return it as now stored.

        `expected` maps attribute -> value that must hold before the write (None means the attribute must
        be absent). Raises ConditionFailed if the item is missing/expired or a condition does not hold.
        A change whose value is None removes the attribute.
        """

    def delete(self, pk: str, sk: str) -> None:
        """Remove the item if present."""

    def transact(self, transaction: Transaction) -> None:
        """Apply every write of the transaction or none; ConditionFailed if any condition fails."""

    def query(
        self,
        pk: str,
        sk_prefix: str = "",
        *,
        descending: bool = False,
        limit: int | None = None,
        start_after: str | None = None,
    ) -> list[Item]:
        """Unexpired items of partition pk whose sk starts with sk_prefix, in sk order.

        start_after: an sk to continue after (exclusive), in the direction of the query (pagination).
        """

    def increment(self, pk: str, sk: str, attribute: str = "value", by: int = 1, expires_at: int | None = None) -> int:
        """Atomically add `by` to an integer attribute (created at 0; an expired item restarts at 0);
        return the new value. expires_at, when given, is set on the item."""


class BlobStore(Protocol):
    def presigned_post(self, key: str, content_type: str, max_size: int, expires_in: int) -> dict[str, Any]:
        """{"url", "fields"}: a multipart POST of `fields` plus the file as `file` stores it at `key`;
        the store itself refuses another key, another Content-Type, or a body over max_size bytes."""

    def head(self, key: str) -> dict[str, Any] | None:
        """{"size", "content_type"} of a stored object, or None."""

    def read(self, key: str, max_bytes: int | None = None) -> bytes:
        """The object's bytes (the first max_bytes if given)."""

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Write-once: store data at key, or raise ObjectExists (and write nothing) if the key holds an object.

        Checked bytes are kept this way, so what was checked and recorded is what every later read gets.
        """

    def delete(self, key: str) -> None: ...

    def presigned_get(self, key: str, expires_in: int, filename: str) -> str:
        """A short-lived URL that downloads the object under `filename`."""


class LinkRefused(Exception):
    """A SelfServedBlobs upload form or download link was refused: `reason` is a stable code for the route,
    `http_status` what S3 would answer in its place."""

    http_status = 403
    reason: str


@runtime_checkable
class SelfServedBlobs(BlobStore, Protocol):
    """A blob store whose presigned links the API itself serves (the local backend; S3 serves its own)."""

    def accept_post(
        self, fields: Mapping[str, str], file: bytes | BinaryIO, declared_content_type: str | None = None
    ) -> dict[str, Any]:
        """Check a form from presigned_post as S3 would, then store the file; LinkRefused otherwise."""

    def resolve_get(self, token: str) -> tuple[str, str]:
        """(key, filename) of a token from presigned_get; LinkRefused if tampered or expired."""

    def expire(self, prefix: str, older_than_seconds: int) -> int:
        """Delete objects under prefix older than the given age (what S3's lifecycle rules do on aws)."""


class SmsSender(Protocol):
    def send(self, phone: str, text: str) -> None:
        """Deliver a text message to a mainland mobile number (11 digits)."""


@runtime_checkable
class SmsOutbox(SmsSender, Protocol):
    """An SMS sender that keeps what it sent, for the developer to read (the local backend's outbox)."""

    def messages(self) -> list[dict[str, str]]:
        """Every message sent, oldest first: [{"phone", "text", "sent_at"}]."""
