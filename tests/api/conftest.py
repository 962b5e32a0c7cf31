"""The API on both backends: `local` on a temporary folder, `aws` on moto in-process.

Starting moto costs more than most API tests (it resets every service's state), so the aws variant runs under one
moto per test module, and each test gets a table and bucket of its own inside it (created in milliseconds) and an
empty SMS log. `make check` runs the local variant only (`-m "not aws"`; the storage contract suite runs on both
backends there); `make test` runs both.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from functions.app import create_app
from functions.domain import passwords
from functions.services import Services, build_services
from functions.settings import Settings
from sitegen.catalog_export import catalog_files
from sitegen.loading import load_catalog
from tests.conftest import FIXTURE_CONTENT

AWS_SECRET = "test-secret-key-of-at-least-32-characters!"
TABLE = "portal-test"
BUCKET = "portal-test-uploads"
ORIGIN = "http://localhost"
AWS_REGION = "us-east-1"
AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": AWS_REGION,
}
# Each aws test's own table and bucket: "portal-test-1", "portal-test-2", ... within its module's moto.
_aws_test_numbers = itertools.count(1)


@dataclass
class Clock:
    """A clock tests move forward, to reach expiry without waiting."""

    now: float = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def write_catalogue(site: Path, files: dict[str, str]) -> Path:
    """Catalogue files (path under site/ -> text) written as the build writes them; the entry point's path."""
    for relative, text in files.items():
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return site / "catalog.json"


@pytest.fixture(scope="session")
def catalogue_files() -> dict[str, str]:
    """The tiny fixture catalogue's files (regions 210300 and 210100): catalog.json and its shards."""
    return catalog_files(load_catalog(FIXTURE_CONTENT))


@pytest.fixture(scope="session")
def catalog_path(tmp_path_factory, catalogue_files) -> Path:
    """catalog.json of the fixture catalogue, its shards beside it, as the build writes them."""
    return write_catalogue(tmp_path_factory.mktemp("api-site"), catalogue_files)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def aws_credentials(monkeypatch) -> None:
    for name, value in AWS_ENV.items():
        monkeypatch.setenv(name, value)


def create_aws_resources(
    endpoint_url: str | None = None, *, table: str = TABLE, bucket: str = BUCKET, clients: AwsClients | None = None
) -> None:
    """The table and bucket as serverless.yml declares them: pk/sk keys, TTL on expires_at."""
    clients = clients or AwsClients.create(endpoint_url)
    dynamodb = clients.dynamodb
    dynamodb.create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    )
    dynamodb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires_at"}
    )
    clients.s3.create_bucket(Bucket=bucket)


@dataclass(frozen=True)
class AwsClients:
    """The boto3 clients that set up and clear each test's resources (made once per module: a client costs more
    than the table it creates)."""

    dynamodb: Any
    s3: Any

    @classmethod
    def create(cls, endpoint_url: str | None = None) -> AwsClients:
        import boto3

        return cls(boto3.client("dynamodb", endpoint_url=endpoint_url), boto3.client("s3", endpoint_url=endpoint_url))


@pytest.fixture(scope="module")
def moto_in_process() -> Iterator[AwsClients]:
    """One in-process moto for the module's aws tests (a module that starts its own nests inside it harmlessly)."""
    from moto import mock_aws

    with pytest.MonkeyPatch.context() as patch:
        for name, value in AWS_ENV.items():
            patch.setenv(name, value)
        with mock_aws():
            yield AwsClients.create()


def fresh_aws_resources(clients: AwsClients) -> tuple[str, str]:
    """A new table and bucket, and no SMS sent yet: what a fresh moto gave each test, without starting one."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns.models import sns_backends

    number = next(_aws_test_numbers)
    table, bucket = f"{TABLE}-{number}", f"{BUCKET}-{number}"
    create_aws_resources(table=table, bucket=bucket, clients=clients)
    sns_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].sms_messages.clear()
    return table, bucket


@pytest.fixture(params=["local", "aws"])  # the aws variant is marked `aws` (tests/conftest.py)
def services(request, tmp_path, catalog_path, clock) -> Iterator[Services]:
    if request.param == "local":
        request.getfixturevalue("aws_credentials")
        settings = Settings(backend="local", data_dir=tmp_path / "data", test_mode=False, catalog_path=catalog_path)
        yield build_services(settings, clock=clock)
        return
    # moto before the test's own credentials, so each restores the environment it found.
    clients = request.getfixturevalue("moto_in_process")
    request.getfixturevalue("aws_credentials")
    table, bucket = fresh_aws_resources(clients)
    settings = Settings(
        backend="aws", secret_key=AWS_SECRET, table_name=table, uploads_bucket=bucket, catalog_path=catalog_path
    )
    yield build_services(settings, clock=clock)
    clients.dynamodb.delete_table(TableName=table)  # frees its items now, not when the module's moto stops


_apps: dict[str, FastAPI] = {}


def app_for(services: Services) -> FastAPI:
    """The API app of the services' backend, serving these services. Building an app (routers, dependencies,
    error handlers) costs more than most tests, and nothing in it but `state.services` differs between tests of
    one backend, so each backend's app is built once per test process and handed each test's services."""
    backend = services.settings.backend
    app = _apps.get(backend) or _apps.setdefault(backend, create_app(services=services))
    app.state.services = services
    return app


@pytest.fixture
def client(services) -> Iterator[TestClient]:
    with TestClient(app_for(services), base_url=ORIGIN) as test_client:
        yield test_client


def needs_thread_safe_backend(services: Services) -> None:
    """Skip a concurrency test on moto: its in-process DynamoDB is not thread-safe (it deep-copies tables
    during transactions). On aws the atomicity comes from DynamoDB's conditional transactions and counters;
    the same repositories are tested concurrently on the local backend."""
    if services.settings.backend == "aws":
        pytest.skip("concurrent writes need a thread-safe backend; moto in-process is not")


@pytest.fixture(scope="session", autouse=True)
def light_password_hashes() -> Iterator[None]:
    """`make check` only (PORTAL_TEST_LIGHT_HASHES=1): argon2id at its smallest cost for the API tests, which hash
    and verify a few hundred passwords between them (28 ms each at the production cost). The production parameters
    and the hashes they give are tested in tests/domain/test_passwords.py in every tier; `make test` hashes at full
    cost here too."""
    if os.environ.get("PORTAL_TEST_LIGHT_HASHES") != "1":
        yield
        return
    from argon2 import PasswordHasher, Type

    light = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, hash_len=32, salt_len=16, type=Type.ID)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", lambda: light)
        yield
