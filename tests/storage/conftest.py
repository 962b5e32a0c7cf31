"""Fixtures that give the same contract tests each backend: local on tmp_path, aws under moto.

The aws variant runs under one moto per test module (starting moto costs more than a contract test), each test with
a table and bucket of its own inside it and an empty SMS log, as a fresh moto would give it.

Region: us-east-1, the one moto (and botocore's S3 addressing) supports most completely; production's
region only changes endpoints, not behaviour the contract relies on.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from functions.storage.interface import BlobStore, SmsSender, Table

REGION = "us-east-1"
TABLE_NAME = "portal-test"
BUCKET = "portal-test-uploads"
SECRET = b"local-test-secret-0123456789"
START = 1_800_000_000.0
_aws_test_numbers = itertools.count(1)


class FakeClock:
    """Epoch seconds that only move when a test says so, so expiry is tested without waiting."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class Stores:
    """One backend under test, plus the test-only ways to look inside it."""

    kind: str
    table: Table
    blobs: BlobStore
    sms: SmsSender
    clock: FakeClock
    sent: Callable[[], list[tuple[str, str]]]
    """(phone, text) of every SMS sent, oldest first, as the backend recorded it."""
    post: Callable[[dict[str, Any], bytes], int]
    """Sends a presigned POST form with the file; the HTTP-like status (2xx accepted)."""


AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
}


@pytest.fixture
def aws_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials, so nothing can reach a real account even if a mock were missing."""
    for name, value in AWS_ENV.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.delenv(name, raising=False)


def create_production_table(dynamodb: Any, name: str = TABLE_NAME) -> None:
    """The table as serverless.yml declares it: string pk/sk, on-demand, TTL on expires_at."""
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )


def post_form(url: str, fields: dict[str, Any], data: bytes, content_type: str = "application/octet-stream") -> int:
    """A browser's multipart POST: the fields, then the file as `file` (S3 requires it last)."""
    import requests

    response = requests.post(url, data=fields, files={"file": ("upload.bin", data, content_type)}, timeout=10)
    return response.status_code


def _local_stores(tmp_path: Path) -> Stores:
    from functions.storage.local import LocalBlobStore, LocalSmsOutbox, LocalTable, UploadRefused

    clock = FakeClock()
    blobs = LocalBlobStore(tmp_path / "blobs", SECRET, clock=clock)
    outbox = LocalSmsOutbox(tmp_path / "outbox.sqlite3", clock)

    def post(form: dict[str, Any], data: bytes) -> int:
        try:
            blobs.accept_post(form["fields"], data)
        except UploadRefused as refusal:
            return refusal.http_status
        return 204

    return Stores(
        "local",
        LocalTable(tmp_path / "table.sqlite3", clock),
        blobs,
        outbox,
        clock,
        lambda: [(message["phone"], message["text"]) for message in outbox.messages()],
        post,
    )


def _aws_stores(table_name: str, bucket: str) -> Stores:
    import boto3
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    from functions.storage.aws import DynamoTable, S3BlobStore, SnsSms

    dynamodb = boto3.client("dynamodb", region_name=REGION)
    s3 = boto3.client("s3", region_name=REGION)
    create_production_table(dynamodb, table_name)
    s3.create_bucket(Bucket=bucket)
    sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.clear()
    clock = FakeClock()

    def sent() -> list[tuple[str, str]]:
        messages = sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values()
        return [(phone.removeprefix("+86"), text) for phone, text in messages]

    # In-process moto also answers `requests` calls to AWS hosts, so the real multipart POST is sent.
    return Stores(
        "aws",
        DynamoTable(table_name, dynamodb, clock),
        S3BlobStore(bucket, s3),
        SnsSms(boto3.client("sns", region_name=REGION)),
        clock,
        sent,
        lambda form, data: post_form(form["url"], form["fields"], data),
    )


@pytest.fixture(scope="module")
def moto_in_process() -> Iterator[None]:
    """One in-process moto for the module's aws tests, with fake credentials so nothing can reach a real account."""
    from moto import mock_aws

    with pytest.MonkeyPatch.context() as patch:
        for name, value in AWS_ENV.items():
            patch.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
            patch.delenv(name, raising=False)
        with mock_aws():
            yield


@pytest.fixture(params=["local", "aws"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    if request.param == "local":
        yield _local_stores(tmp_path)
        return
    # moto before the test's own credentials, so each restores the environment it found.
    request.getfixturevalue("moto_in_process")
    request.getfixturevalue("aws_credentials")
    number = next(_aws_test_numbers)
    table_name = f"{TABLE_NAME}-{number}"
    yield _aws_stores(table_name, f"{BUCKET}-{number}")
    import boto3

    boto3.client("dynamodb", region_name=REGION).delete_table(TableName=table_name)  # frees its items now
