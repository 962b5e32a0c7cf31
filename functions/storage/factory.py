"""Builds one backend bundle (table, blob store, SMS sender) for the app's settings.

Each backend module is imported only when chosen: the local one never loads boto3, and a Lambda never
opens SQLite.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .interface import BlobStore, SmsSender, Table

log = logging.getLogger(__name__)

TABLE_FILE = "portal.sqlite3"
OUTBOX_FILE = "outbox.sqlite3"
BLOBS_DIR = "blobs"
SECRET_FILE = "local-signing.key"


@dataclass(frozen=True)
class Backend:
    """What the repositories and routes are given; `kind` is "local" or "aws"."""

    kind: str
    table: Table
    blobs: BlobStore
    sms: SmsSender


def local_backend(data_dir: Path, secret: bytes | None = None, clock: Callable[[], float] = time.time) -> Backend:
    """The embedded backend under data_dir (created if missing); persists across restarts.

    Without a secret, one is generated once and kept in data_dir, so signed links survive a restart.
    """
    from .local import LocalBlobStore, LocalSmsOutbox, LocalTable

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    table = LocalTable(data_dir / TABLE_FILE, clock)
    blobs = LocalBlobStore(data_dir / BLOBS_DIR, secret or _local_secret(data_dir), clock=clock)
    # The outbox has its own file so the app's table holds only the app's records.
    sms = LocalSmsOutbox(data_dir / OUTBOX_FILE, clock)
    return Backend("local", table, blobs, sms)


def aws_backend(
    table_name: str,
    bucket: str,
    *,
    dynamodb: Any = None,
    s3: Any = None,
    sns: Any = None,
    clock: Callable[[], float] = time.time,
    endpoint_url: str | None = None,
) -> Backend:
    """The production backend; clients default to boto3's, created on first use.

    endpoint_url points every client at one server instead of AWS (tests against a moto server).
    """
    from .aws import DynamoTable, S3BlobStore, SnsSms, endpoint_clients

    if endpoint_url:
        dynamodb, s3, sns = endpoint_clients(endpoint_url, dynamodb, s3, sns)

    return Backend("aws", DynamoTable(table_name, dynamodb, clock), S3BlobStore(bucket, s3), SnsSms(sns))


def _local_secret(data_dir: Path) -> bytes:
    path = data_dir / SECRET_FILE
    if path.exists():
        return _wait_for_secret(path)
    # Written whole to a temp file, then linked into place: os.link never replaces, so two processes starting
    # together agree on one key, and a crash leaves at most a stray temp file, never an empty key.
    handle, temp_name = tempfile.mkstemp(dir=data_dir, prefix=".signing-key-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(secrets.token_bytes(32))
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temp_name, path)
            log.info("created a local signing key in %s", path)
        except FileExistsError:
            pass  # another process was first: use its key
    finally:
        os.unlink(temp_name)
    return _wait_for_secret(path)


def _wait_for_secret(path: Path) -> bytes:
    """The key file exists (an earlier run, or another process a moment ago): wait for its 32 bytes."""
    for _attempt in range(100):
        secret = path.read_bytes()
        if len(secret) >= 32:
            return secret
        time.sleep(0.01)
    raise RuntimeError(f"{path} is incomplete; delete it to make a new one")
