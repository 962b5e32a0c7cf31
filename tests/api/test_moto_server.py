"""End to end over real HTTP: the API on the aws backend against a moto server (the boto3 wire path)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from functions.app import create_app
from functions.services import build_services
from functions.settings import Settings
from tests.api.conftest import AWS_SECRET, BUCKET, ORIGIN, TABLE, create_aws_resources
from tests.factories import legal_registration, login, png_bytes, register, request_sms, sms_code, upload_file


@pytest.fixture(scope="module")
def moto_endpoint():
    from moto.server import ThreadedMotoServer

    monkeypatch = pytest.MonkeyPatch()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    create_aws_resources(endpoint)
    yield endpoint
    server.stop()
    monkeypatch.undo()


def test_register_upload_and_login_over_http(moto_endpoint, catalog_path, clock) -> None:
    settings = Settings(
        backend="aws",
        secret_key=AWS_SECRET,
        table_name=TABLE,
        uploads_bucket=BUCKET,
        catalog_path=catalog_path,
        aws_endpoint_url=moto_endpoint,
    )
    services = build_services(settings, clock=clock)
    with TestClient(create_app(services=services), base_url=ORIGIN) as client:
        assert register(services, client).status_code == 201
        assert login(services, client).json()["display_name"] == "测试用户"
        assert client.get("/api/me").json()["phone"] == "138****8000"

        completed = upload_file(client, png_bytes())  # the browser's multipart POST, to moto's S3 over HTTP
        assert completed.status_code == 200, completed.text
        clock.advance(61)
        body = legal_registration(completed.json()["upload_id"], phone="13700137000")
        request_sms(services, client, body["phone"])
        registered = client.post("/api/accounts", json={**body, "sms_code": sms_code(services, body["phone"])})
        assert registered.status_code == 201, registered.text
