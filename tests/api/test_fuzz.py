"""Schemathesis against the app's own OpenAPI document: every operation, as a visitor, an applicant and staff.

Each answer must be no 5xx, a status the operation declares, with the declared content type, body schema and
headers (Retry-After on a 429). The local backend on a temporary folder, test mode off (real captchas, real
limits); a fixed seed and a bounded number of examples, so a run is the same every time and takes well under
a minute on two cores.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.checks import load_all_checks

from functions.app import create_app
from functions.cli import create_staff
from functions.dependencies import SESSION_COOKIE
from functions.services import Services, build_services
from functions.settings import Settings
from tests.api.conftest import ORIGIN
from tests.factories import SUBITEM, complete_draft, login, register

SEED = 20261202
# Deeper runs by hand: FUZZ_MAX_EXAMPLES=200 pytest tests/api/test_fuzz.py
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "15"))
LOGOUT = ("DELETE", "/api/sessions/current")

load_all_checks()
CHECKS = [
    getattr(schemathesis.checks, name)
    for name in (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    )
]


def fuzz_config() -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
            "phases": {
                "examples": {"enabled": False},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": False},
            },
        }
    )


@dataclass
class Visitor:
    """Who the fuzzer is: their session cookie (none for a visitor) and the application ids they may see."""

    role: str
    services: Services
    account_id: str | None = None
    application_id: str | None = None
    token: str | None = None
    path_values: dict[str, str] = field(default_factory=dict)

    def cookies(self) -> dict[str, str]:
        return {SESSION_COOKIE: self.token} if self.token else {}

    def renew_session(self) -> None:
        """A new session after the fuzzer logged out (DELETE /sessions/current): the next cases stay signed in."""
        if self.account_id:
            self.token = self.services.sessions.create(self.account_id)


def _submitted_application(services: Services, client: TestClient) -> str:
    application_id = complete_draft(client)
    response = client.post(f"/api/applications/{application_id}/submit")
    assert response.status_code == 200, response.text
    return application_id


def _document() -> dict:
    """The OpenAPI document, as the app serves it at /api/openapi.json (it depends on no data)."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(services=build_services(Settings(backend="local", data_dir=Path(folder))))
        with TestClient(app, base_url=ORIGIN) as client:
            return client.get("/api/openapi.json").json()


# Loaded when the module is collected, so each operation is a test of its own; the calls go to each role's app.
schema = schemathesis.openapi.from_dict(_document(), config=fuzz_config())


@pytest.fixture(scope="module", params=["visitor", "applicant", "staff"])
def fuzzed(request, tmp_path_factory, catalog_path) -> tuple[Visitor, FastAPI]:
    """An app of its own for each role, with what that role has: an account, a draft, a submitted application."""
    settings = Settings(
        backend="local",
        data_dir=tmp_path_factory.mktemp("fuzz") / "data",
        test_mode=False,
        catalog_path=catalog_path,
        address_limit_factor=100,
    )
    services = build_services(settings)
    app = create_app(services=services)
    visitor = Visitor(request.param, services)
    if request.param == "visitor":
        return visitor, app
    with TestClient(app, base_url=ORIGIN) as client:
        assert register(services, client).status_code == 201
        assert login(services, client).status_code == 200
        submitted = _submitted_application(services, client)
        draft = client.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()["id"]
        client.cookies.clear()
        if request.param == "staff":
            create_staff(services, "shenpi01", "Shenpi2026ok", "210300", "bureau-social", "审批测试")
            assert login(services, client, "shenpi01", "Shenpi2026ok").status_code == 200
            visitor.application_id = submitted
        else:
            assert login(services, client).status_code == 200
            visitor.application_id = draft
        visitor.token = client.cookies[SESSION_COOKIE]
    visitor.account_id = services.sessions.resolve(visitor.token).account_id
    return visitor, app


@schema.parametrize()
def test_every_answer_is_declared(case, fuzzed) -> None:
    visitor, app = fuzzed
    if visitor.application_id and case.path_parameters and "application_id" in case.path_parameters:
        # Signed in, the fuzzer works on a real application of theirs; visitors' random ids answer 401/404.
        case.path_parameters["application_id"] = visitor.application_id
        if "material_id" in case.path_parameters:
            case.path_parameters["material_id"] = "form"
    case.call_and_validate(app=app, cookies=visitor.cookies(), checks=CHECKS)
    if (case.method.upper(), case.path) == LOGOUT:
        visitor.renew_session()


def test_every_error_is_declared_in_the_one_shape() -> None:
    """No operation keeps FastAPI's own 422 ({"detail": [...]}); each error status names the error shape."""
    document = _document()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (method, path, status)
            if method in ("post", "put", "patch", "delete"):
                assert {"403", "413"} <= operation["responses"].keys(), (method, path)


def test_a_pattern_refusal_names_the_field_in_chinese(client) -> None:
    register(client.app.state.services, client)
    login(client.app.state.services, client)
    response = client.post("/api/applications", json={"region": "21030x", "subitem_code": SUBITEM})
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"region": "地区代码格式不正确"}
    blank = client.post("/api/applications", json={"region": " ", "subitem_code": SUBITEM})
    assert blank.json()["error"]["fields"] == {"region": "请填写地区代码"}
