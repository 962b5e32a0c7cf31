"""The embedded backend for `make dev`: a SQLite table, files on disk and an SMS outbox.

It is a real backend, not a fake: several threads (uvicorn's thread pool) and several processes (a second
`make dev`, a test helper) may share one data folder, and everything survives a restart. Its behaviour
follows the aws backend wherever the contract could let them differ (expired items, conditions, float
values, duplicate keys in one transaction, S3's presigned POST rules).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import logging
import os
import re
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from .interface import ConditionFailed, Item, LinkRefused, ObjectExists, Transaction
from .rules import (
    EXPIRES_AT,
    Clock,
    check_changes,
    check_counter,
    check_expected,
    check_keys,
    check_phone,
    check_transaction,
    expiry,
)

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL,
    sk TEXT NOT NULL,
    data TEXT NOT NULL,
    expires_at INTEGER NULL,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID
"""
_ALIVE = "(expires_at IS NULL OR expires_at >= ?)"


# --- values ---------------------------------------------------------------------------------------------


def _check_value(value: Any, path: str) -> None:
    """Refuse what DynamoDB would refuse or mangle, so the local backend cannot hide it."""
    if isinstance(value, float):
        raise TypeError(f"{path}: floats are not supported; store integers or strings")
    if isinstance(value, dict):
        for name, inner in value.items():
            if not isinstance(name, str):
                raise TypeError(f"{path}: map keys must be strings")
            _check_value(inner, f"{path}.{name}")
    elif isinstance(value, (list, tuple)):
        for index, inner in enumerate(value):
            _check_value(inner, f"{path}[{index}]")
    elif value is not None and not isinstance(value, (str, int, bool)):
        raise TypeError(f"{path}: {type(value).__name__} is not a JSON-like value")


def _check_item(item: Item) -> None:
    check_keys(item)
    _check_value(item, "item")


def _apply_changes(item: Item, changes: Mapping[str, Any]) -> Item:
    check_changes(changes)
    updated = dict(item)
    for name, value in changes.items():
        if value is None:
            updated.pop(name, None)
        else:
            updated[name] = value
    _check_item(updated)
    return updated


def _prefix_upper_bound(prefix: str) -> str | None:
    """The smallest string greater than every string starting with prefix (code point = UTF-8 order)."""
    for cut in range(len(prefix) - 1, -1, -1):
        code = ord(prefix[cut]) + 1
        if 0xD800 <= code <= 0xDFFF:
            code = 0xE000  # surrogates cannot be stored; the next storable code point follows them
        if code <= 0x10FFFF:
            return prefix[:cut] + chr(code)
    return None


# --- table ----------------------------------------------------------------------------------------------


class LocalTable:
    """The Table contract over one SQLite file."""

    def __init__(self, path: Path, clock: Clock = time.time) -> None:
        self._path = Path(path)
        self._clock = clock
        self._path.parent.mkdir(parents=True, exist_ok=True)
        # One connection shared under a lock: simple and enough for a dev server. Other processes are
        # kept in step by SQLite's own file locking (WAL + busy_timeout + BEGIN IMMEDIATE).
        self._lock = threading.RLock()
        self._connection = sqlite3.connect(self._path, timeout=30, isolation_level=None, check_same_thread=False)
        with self._lock:
            self._connection.execute("PRAGMA busy_timeout = 30000")
            self._connection.execute("PRAGMA journal_mode = WAL")
            self._connection.execute("PRAGMA synchronous = NORMAL")
            self._connection.execute(_SCHEMA)
        self.purge_expired()

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    # reads

    def get(self, pk: str, sk: str) -> Item | None:
        with self._lock:
            return self._get(pk, sk)

    def query(
        self,
        pk: str,
        sk_prefix: str = "",
        *,
        descending: bool = False,
        limit: int | None = None,
        start_after: str | None = None,
    ) -> list[Item]:
        sql = f"SELECT data FROM items WHERE pk = ? AND {_ALIVE} AND sk >= ?"
        params: list[Any] = [pk, self._clock(), sk_prefix]
        upper = _prefix_upper_bound(sk_prefix) if sk_prefix else None
        if upper is not None:
            sql += " AND sk < ?"
            params.append(upper)
        if start_after is not None:
            sql += " AND sk < ?" if descending else " AND sk > ?"
            params.append(start_after)
        sql += " ORDER BY sk DESC" if descending else " ORDER BY sk"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(max(limit, 0))
        with self._lock:
            rows = self._connection.execute(sql, params).fetchall()
        return [json.loads(data) for (data,) in rows]

    # writes

    def put(self, item: Item) -> None:
        _check_item(item)
        with self._write():
            self._put(item)

    def put_if_absent(self, item: Item) -> bool:
        _check_item(item)
        with self._write():
            if self._get(item["pk"], item["sk"]) is not None:
                return False
            self._put(item)
            return True

    def update(self, pk: str, sk: str, changes: dict[str, Any], expected: dict[str, Any] | None = None) -> Item:
        with self._write():
            return self._update(pk, sk, changes, expected)

    def delete(self, pk: str, sk: str) -> None:
        with self._write():
            self._connection.execute("DELETE FROM items WHERE pk = ? AND sk = ?", (pk, sk))

    def transact(self, transaction: Transaction) -> None:
        check_transaction(transaction)
        for item in transaction.puts_if_absent + transaction.puts:
            _check_item(item)
        # A ConditionFailed raised inside rolls every earlier write of the transaction back.
        with self._write():
            for item in transaction.puts_if_absent:
                if self._get(item["pk"], item["sk"]) is not None:
                    raise ConditionFailed(f"item exists: {item['pk']} {item['sk']}")
                self._put(item)
            for item in transaction.puts:
                self._put(item)
            for pk, sk, changes, expected in transaction.updates:
                self._update(pk, sk, changes, expected)
            for pk, sk, expected in transaction.guarded_deletes:
                check_expected(self._get(pk, sk), expected)
            for pk, sk in [*transaction.deletes, *((pk, sk) for pk, sk, _ in transaction.guarded_deletes)]:
                self._connection.execute("DELETE FROM items WHERE pk = ? AND sk = ?", (pk, sk))

    def increment(self, pk: str, sk: str, attribute: str = "value", by: int = 1, expires_at: int | None = None) -> int:
        check_counter(attribute)
        with self._write():
            item = self._get(pk, sk)
            if item is None:
                # A missing or expired counter restarts from nothing, as the aws backend's reset does.
                item = {"pk": pk, "sk": sk}
            value = item.get(attribute, 0)
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{attribute} is not an integer")
            total = item[attribute] = value + by
            if expires_at is not None:
                item[EXPIRES_AT] = expires_at
            self._put(item)
            return total

    def purge_expired(self) -> int:
        """Delete expired rows; reads already ignore them, this only keeps the file small."""
        with self._write():
            cursor = self._connection.execute(
                "DELETE FROM items WHERE expires_at IS NOT NULL AND expires_at < ?", (self._clock(),)
            )
            return cursor.rowcount

    # helpers; callers hold the lock

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One IMMEDIATE transaction: takes the write lock up front, so a read-then-write cannot deadlock."""
        with self._lock:
            self._connection.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            self._connection.execute("COMMIT")

    def _get(self, pk: str, sk: str) -> Item | None:
        row = self._connection.execute(
            f"SELECT data FROM items WHERE pk = ? AND sk = ? AND {_ALIVE}", (pk, sk, self._clock())
        ).fetchone()
        return json.loads(row[0]) if row else None

    def _put(self, item: Item) -> None:
        self._connection.execute(
            "INSERT OR REPLACE INTO items (pk, sk, data, expires_at) VALUES (?, ?, ?, ?)",
            (item["pk"], item["sk"], json.dumps(item, ensure_ascii=False, separators=(",", ":")), expiry(item)),
        )

    def _update(self, pk: str, sk: str, changes: Mapping[str, Any], expected: Mapping[str, Any] | None) -> Item:
        item = check_expected(self._get(pk, sk), expected)
        updated = _apply_changes(item, changes)
        self._put(updated)
        return updated


# --- blobs ----------------------------------------------------------------------------------------------

_KEY_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._=\-]*(/[A-Za-z0-9_][A-Za-z0-9._=\-]*)*")
_CHUNK = 64 * 1024


class LocalBlobRefused(LinkRefused):
    """A signed local upload or download link was refused; `reason` is a stable code for the route."""

    http_status = 403

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class UploadRefused(LocalBlobRefused):
    """accept_post refused the form. S3 answers 403 for a bad policy and 400 for a bad size; so does this.

    A form used once already, or a key that holds an object, is a conflict (409). Here only: S3 takes a
    presigned POST again until it expires, which is why nothing reads an upload's incoming key after /complete.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(reason, message)
        if reason in ("too_large", "empty", "malformed"):
            self.http_status = 400
        elif reason in ("used", "exists"):
            self.http_status = 409


class DownloadRefused(LocalBlobRefused):
    """resolve_get refused the token (tampered, malformed or expired)."""


def check_key(key: str) -> str:
    """Refuse keys that could leave the store's folder or hide files (no '..', no leading dot or slash)."""
    if not isinstance(key, str) or len(key) > 1024 or not _KEY_PATTERN.fullmatch(key):
        raise ValueError(f"unsafe blob key: {key!r}")
    return key


def _same_signature(given: str, expected: str) -> bool:
    # Bytes, because compare_digest refuses non-ASCII text and the given one comes from a stranger.
    return hmac.compare_digest(given.encode(), expected.encode())


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class LocalBlobStore:
    """The BlobStore contract over a folder, with HMAC-signed links standing in for S3's presigned ones.

    The app mounts two routes on the local backend only: POST `base_url` passes the multipart form to
    `accept_post`, and GET `download_url`/{token} calls `resolve_get` and sends the file.

    Every key is write-once here (an object is created by a hard link, which never replaces a file), and
    a signed upload form is good for one upload: `tickets/` holds a marker per form used, until it expires.
    """

    def __init__(
        self,
        root: Path,
        secret: bytes,
        base_url: str = "/api/local-uploads",
        clock: Clock = time.time,
        *,
        download_url: str = "/api/local-files",
    ) -> None:
        if len(secret) < 16:
            raise ValueError("the signing secret needs at least 16 bytes")
        self._objects = Path(root) / "objects"
        self._meta = Path(root) / "meta"
        self._tickets = Path(root) / "tickets"
        self._secret = secret
        self._base_url = base_url
        self._download_url = download_url.rstrip("/")
        self._clock = clock

    # the BlobStore contract

    def presigned_post(self, key: str, content_type: str, max_size: int, expires_in: int) -> dict[str, Any]:
        check_key(key)
        policy = {
            "key": key,
            "content_type": content_type,
            "max_size": max_size,
            "expires_at": int(self._clock()) + expires_in,
        }
        encoded = _b64encode(json.dumps(policy, sort_keys=True).encode())
        # The same field names as S3's form, so the browser code is one for both backends.
        fields = {"key": key, "Content-Type": content_type, "policy": encoded, "signature": self._sign(encoded)}
        return {"url": self._base_url, "fields": fields}

    def head(self, key: str) -> dict[str, Any] | None:
        try:
            meta = json.loads(self._meta_path(key).read_text())
            size = self._object_path(key).stat().st_size
        except FileNotFoundError:
            return None
        return {"size": size, "content_type": meta["content_type"]}

    def read(self, key: str, max_bytes: int | None = None) -> bytes:
        if self.head(key) is None:
            raise KeyError(key)
        with self._object_path(key).open("rb") as stream:
            return stream.read() if max_bytes is None else stream.read(max(max_bytes, 0))

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._store(key, io.BytesIO(data), content_type, max_size=None)

    def delete(self, key: str) -> None:
        # Metadata first: without it the object is already absent for head/read.
        for path in (self._meta_path(key), self._object_path(key)):
            path.unlink(missing_ok=True)

    def presigned_get(self, key: str, expires_in: int, filename: str) -> str:
        check_key(key)
        claims = {"key": key, "filename": filename, "expires_at": int(self._clock()) + expires_in}
        payload = _b64encode(json.dumps(claims, ensure_ascii=False, sort_keys=True).encode())
        return f"{self._download_url}/{payload}.{self._sign(payload)}"

    # what the local routes call

    def accept_post(
        self, fields: Mapping[str, str], file: bytes | BinaryIO, declared_content_type: str | None = None
    ) -> dict[str, Any]:
        """Check a form from presigned_post as S3 would, then store the file; {"key", "size", "content_type"}.

        `fields` are the form's text fields. As on S3, the object's type is the form's "Content-Type"
        field, not the file part's own header; `declared_content_type` is used only when `fields` lacks
        that field (for a route that took it out of the form). Stricter than S3, a form stores one file
        once: a second POST of it, or one to a key that holds an object, is refused. Raises UploadRefused.
        """
        signature = fields.get("signature", "")
        policy = self._verified_policy(fields.get("policy", ""), signature)
        if fields.get("key") != policy["key"]:
            raise UploadRefused("wrong_key", "the form's key is not the signed one")
        content_type = fields.get("Content-Type", declared_content_type)
        if not isinstance(content_type, str) or content_type != policy["content_type"]:
            raise UploadRefused("wrong_content_type", "the Content-Type is not the signed one")
        marker = self._claim_ticket(signature, policy["expires_at"])
        try:
            size = self._store(policy["key"], _as_stream(file), content_type, max_size=policy["max_size"])
        except ObjectExists:
            raise UploadRefused("exists", "the key already holds an object") from None
        except BaseException:
            marker.unlink(missing_ok=True)  # nothing was stored: the form may be sent again
            raise
        return {"key": policy["key"], "size": size, "content_type": content_type}

    def resolve_get(self, token: str) -> tuple[str, str]:
        """(key, filename) of a token from presigned_get; DownloadRefused if tampered or expired."""
        payload, _, signature = token.partition(".")
        if not signature or not _same_signature(signature, self._sign(payload)):
            raise DownloadRefused("bad_signature", "the download link is not valid")
        try:
            claims = json.loads(_b64decode(payload))
            key, filename, expires_at = claims["key"], claims["filename"], claims["expires_at"]
        except (ValueError, KeyError, TypeError) as error:
            raise DownloadRefused("malformed", "the download link is not valid") from error
        if expires_at < self._clock():
            raise DownloadRefused("expired", "the download link has expired")
        return check_key(key), filename

    def file_path(self, key: str) -> Path:
        """Where the object's bytes are, for a route that streams them (FileResponse)."""
        return self._object_path(key)

    def expire(self, prefix: str, older_than_seconds: int) -> int:
        """Delete objects under prefix older than the given age: the local twin of an S3 lifecycle rule
        (serverless.yml expires incoming/ and quarantine/ after a day). Returns how many were deleted.

        The markers of used upload forms that have expired go too: an expired form is refused anyway.
        """
        folder = self._objects / check_key(prefix.rstrip("/"))
        now = self._clock()
        # Dot files are temp files of writes under way, not objects.
        expired = (
            [
                path
                for path in folder.rglob("*")
                if path.is_file() and not path.name.startswith(".") and path.stat().st_mtime < now - older_than_seconds
            ]
            if folder.is_dir()
            else []
        )
        for path in expired:
            self.delete(path.relative_to(self._objects).as_posix())
        if self._tickets.is_dir():
            for marker in self._tickets.iterdir():
                if marker.stat().st_mtime < now:  # a marker's time is its form's expiry
                    marker.unlink(missing_ok=True)
        return len(expired)

    # helpers

    def _sign(self, payload: str) -> str:
        return hmac.new(self._secret, payload.encode(), hashlib.sha256).hexdigest()

    def _verified_policy(self, encoded: str, signature: str) -> dict[str, Any]:
        if not encoded or not _same_signature(signature, self._sign(encoded)):
            raise UploadRefused("bad_signature", "the upload form's signature is not valid")
        policy: dict[str, Any] = json.loads(_b64decode(encoded))
        if policy["expires_at"] < self._clock():
            raise UploadRefused("expired", "the upload form has expired")
        return policy

    def _claim_ticket(self, signature: str, expires_at: int) -> Path:
        """Record the form as used, atomically (O_EXCL: of two POSTs of one form, exactly one gets it)."""
        self._tickets.mkdir(parents=True, exist_ok=True)
        marker = self._tickets / signature  # hex: it equals the signature this store computed
        try:
            os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise UploadRefused("used", "the upload form has been used already") from None
        os.utime(marker, (expires_at, expires_at))
        return marker

    def _object_path(self, key: str) -> Path:
        return self._objects / check_key(key)

    def _meta_path(self, key: str) -> Path:
        return self._meta / f"{check_key(key)}.json"

    def _store(self, key: str, source: BinaryIO, content_type: str, max_size: int | None) -> int:
        """Copy source to a new object at key, whole or not at all; ObjectExists if the key holds one.

        The bytes go to a temp file that is then hard-linked to the key: link() creates atomically and
        never replaces, so an object, once there, is never overwritten (no check-then-write window).
        Empty or oversize bodies are refused unstored.

        The metadata is written before the link: an object counts as stored only once both exist, so a crash
        between the two leaves metadata alone - the key stays free and a retry stores it - never an object
        without metadata that would hold the key forever. (A key's content type is fixed by the ticket or the
        upload that names it; a key that holds an object is refused before its metadata is touched, so only two
        puts of one key at the same moment with different types - which nothing does - could mix theirs.)
        """
        target = self._object_path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
        try:
            size = _copy_bounded(source, handle, max_size)
            now = self._clock()
            os.utime(temp_name, (now, now))  # stored "now" by the store's own clock, which `expire` reads
            if target.exists():
                raise ObjectExists(key)
            self._write_meta(key, {"content_type": content_type})
            try:
                os.link(temp_name, target)
            except FileExistsError:
                raise ObjectExists(key) from None
        finally:
            os.unlink(temp_name)
        return size

    def _write_meta(self, key: str, meta: dict[str, Any]) -> None:
        path = self._meta_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".meta-")
        with os.fdopen(handle, "w") as stream:
            json.dump(meta, stream)
        os.replace(temp_name, path)


def _as_stream(file: bytes | BinaryIO) -> BinaryIO:
    if isinstance(file, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(file))
    return file


def _copy_bounded(source: BinaryIO, handle: int, max_size: int | None) -> int:
    """Copy at most max_size bytes; read one byte past it to tell 'exactly max' from 'too large'."""
    size = 0
    with os.fdopen(handle, "wb") as target:
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            if max_size is not None and size > max_size:
                raise UploadRefused("too_large", f"the file is larger than {max_size} bytes")
            target.write(chunk)
    if max_size is not None and size == 0:
        raise UploadRefused("empty", "the file is empty")
    return size


# --- SMS ------------------------------------------------------------------------------------------------

OUTBOX_PK = "dev#sms-outbox"


class LocalSmsOutbox:
    """The SmsSender contract for development: messages are kept, not sent, and listed by messages()."""

    def __init__(self, table: LocalTable | Path, clock: Clock = time.time) -> None:
        self._table = table if isinstance(table, LocalTable) else LocalTable(Path(table), clock)
        self._clock = clock

    def send(self, phone: str, text: str) -> None:
        check_phone(phone)
        # A counter, not the time, orders the outbox: two messages can share a second.
        sequence = self._table.increment(OUTBOX_PK, "sequence")
        sent_at = datetime.fromtimestamp(self._clock(), tz=UTC).isoformat(timespec="seconds")
        self._table.put(
            {"pk": OUTBOX_PK, "sk": f"message#{sequence:012d}", "phone": phone, "text": text, "sent_at": sent_at}
        )
        log.info("SMS #%d written to the local outbox", sequence)  # never the number: phones stay out of logs

    def messages(self) -> list[dict[str, str]]:
        """Every message sent, oldest first: [{"phone", "text", "sent_at"}]."""
        return [
            {"phone": item["phone"], "text": item["text"], "sent_at": item["sent_at"]}
            for item in self._table.query(OUTBOX_PK, "message#")
        ]
