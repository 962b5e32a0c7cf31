"""Registration, availability and the profile, on both backends."""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from functions.app import create_app
from tests.api.conftest import ORIGIN, needs_thread_safe_backend
from tests.factories import NATURAL_ID, login, natural_registration, register, request_sms, sms_code


def test_health(client) -> None:
    assert client.get("/api/health").json() == {"status": "ok"}


def test_openapi_document_is_served(client) -> None:
    assert client.get("/api/openapi.json").json()["info"]["title"] == "辽宁政务服务网 API"


def test_register_natural_person_masks_numbers(services, client) -> None:
    response = register(services, client)
    assert response.status_code == 201, response.text
    account = response.json()
    assert account["login_name"] == "zhang_wei01"
    assert account["display_name"] == "测试用户"
    assert account["id_number"] == "1101**********002X"
    assert account["phone"] == "138****8000"
    assert "password_hash" not in response.text and NATURAL_ID not in response.text


def test_id_number_is_not_stored_in_plain_text(services, client) -> None:
    register(services, client)
    stored = json.dumps([services.table.query(pk) for pk in _all_partitions(services)], ensure_ascii=False)
    assert NATURAL_ID not in stored
    assert "1101**********002X" in stored


def _all_partitions(services) -> list[str]:
    account = services.table.get("LOGIN#zhang_wei01", "ACCOUNT")
    return [f"ACCOUNT#{account['account_id']}", "LOGIN#zhang_wei01"]


def test_login_name_availability(services, client) -> None:
    assert client.get("/api/accounts/availability", params={"login_name": "Zhang_Wei01"}).json()["available"] is True
    register(services, client)
    answer = client.get("/api/accounts/availability", params={"login_name": "ZHANG_WEI01"}).json()
    assert answer == {"login_name": "ZHANG_WEI01", "available": False}
    bad = client.get("/api/accounts/availability", params={"login_name": "测试账号"})
    assert bad.status_code == 422 and "login_name" in bad.json()["error"]["fields"]


def test_login_name_is_unique_case_insensitively(services, client) -> None:
    assert register(services, client).status_code == 201
    clock_skip(services)
    again = register(services, client, login_name="ZHANG_wei01", phone="13912345678", id_number="110101199003074530")
    assert again.status_code == 409
    assert again.json()["error"]["fields"] == {"login_name": "该登录名已被注册"}


def clock_skip(services) -> None:
    """Past the 60-second resend interval of SMS codes."""
    services.clock.advance(61)


def test_phone_and_id_number_unique_among_natural_persons(services, client) -> None:
    assert register(services, client).status_code == 201
    clock_skip(services)
    again = register(services, client, login_name="li_na2026")
    assert again.status_code == 409
    assert set(again.json()["error"]["fields"]) == {"phone", "id_number"}


def test_every_bad_field_is_named_at_once(services, client) -> None:
    body = natural_registration(
        login_name="1abc",
        password="12345678",
        real_name="X",
        id_number="110105194912310021",
        email="not-an-email",
        phone="12345",
        agreement_accepted=False,
        sms_code="",
    )
    response = client.post("/api/accounts", json=body)
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert set(fields) == {
        "login_name",
        "password",
        "real_name",
        "id_number",
        "email",
        "phone",
        "agreement_accepted",
        "sms_code",
    }
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in fields.values())


def test_wrong_sms_code_is_refused_and_nothing_written(services, client) -> None:
    request_sms(services, client, "13800138000")
    response = client.post("/api/accounts", json={**natural_registration(), "sms_code": "000000"})
    if sms_code(services, "13800138000") == "000000":  # one chance in a million
        return
    assert response.status_code == 422 and "sms_code" in response.json()["error"]["fields"]
    assert services.table.get("LOGIN#zhang_wei01", "ACCOUNT") is None


def test_concurrent_registrations_of_one_name_make_one_account(services, client) -> None:
    needs_thread_safe_backend(services)
    phones = ["13800138000", "13912345678", "13700137000", "13600136000"]
    ids = [NATURAL_ID, "110101199003074530", "110101199003076894", "110101199003078590"]
    bodies = []
    for phone, id_number in zip(phones, ids, strict=True):
        request_sms(services, client, phone)
        bodies.append(natural_registration(phone=phone, id_number=id_number, sms_code=sms_code(services, phone)))
    app = client.app

    def attempt(body: dict) -> int:
        with TestClient(app, base_url=ORIGIN) as own_client:
            return own_client.post("/api/accounts", json=body).status_code

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(attempt, bodies))
    assert statuses == [201, 409, 409, 409]


def test_personal_numbers_never_reach_the_logs(services, client, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("functions.test").warning("registering %s with phone %s", NATURAL_ID, "13800138000")
    register(services, client)
    assert NATURAL_ID not in caplog.text and "13800138000" not in caplog.text


def test_profile_edit_and_login_name_is_fixed(services, client) -> None:
    register(services, client)
    login(services, client)
    response = client.patch("/api/me", json={"email": "new@example.cn"})
    assert response.status_code == 200 and response.json()["email"] == "new@example.cn"
    refused = client.patch("/api/me", json={"login_name": "other_name"})
    assert refused.status_code == 422 and "login_name" in refused.json()["error"]["fields"]
    assert client.get("/api/me").json()["login_name"] == "zhang_wei01"


def test_change_phone_needs_code_sent_to_new_phone(services, client) -> None:
    register(services, client)
    login(services, client)
    without_code = client.patch("/api/me", json={"phone": "13912345678"})
    assert without_code.status_code == 422 and "sms_code" in without_code.json()["error"]["fields"]
    request_sms(services, client, "13912345678", purpose="change_phone")
    changed = client.patch("/api/me", json={"phone": "13912345678", "sms_code": sms_code(services, "13912345678")})
    assert changed.status_code == 200 and changed.json()["phone"] == "139****5678"


def test_me_answers_a_visitor_without_an_error(services, client) -> None:
    """Every page asks GET /me on load: a visitor is signed_in false (200), so no page logs a failed request."""
    response = client.get("/api/me")
    assert response.status_code == 200 and response.json() == {"signed_in": False}
    assert response.headers["Cache-Control"] == "no-store"
    register(services, client)
    login(services, client)
    me = client.get("/api/me").json()
    assert me["signed_in"] is True and me["login_name"] == "zhang_wei01" and me["phone"] == "138****8000"


def test_other_routes_still_answer_401_to_a_visitor(client) -> None:
    response = client.get("/api/applications")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "请先登录"
    assert client.patch("/api/me", json={"email": "new@example.cn"}).status_code == 401


def test_openapi_documents_both_answers_of_me(client) -> None:
    document = client.get("/api/openapi.json").json()
    answer = document["paths"]["/api/me"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    shapes = {ref["$ref"].rsplit("/", 1)[1] for ref in answer["oneOf"]}
    assert shapes == {"MeSignedIn", "MeSignedOut"}
    assert "401" not in document["paths"]["/api/me"]["get"]["responses"]


def test_test_mode_is_refused_on_aws() -> None:
    import pytest
    from pydantic import ValidationError

    from functions.settings import Settings

    with pytest.raises(ValidationError):
        Settings(backend="aws", test_mode=True, secret_key="x" * 40, table_name="t", uploads_bucket="b")
    with pytest.raises(ValidationError):
        Settings(backend="aws", table_name="t", uploads_bucket="b")  # the development secret


def test_outbox_only_on_local(services, client) -> None:
    response = client.get("/api/dev/outbox")
    assert response.status_code == (200 if services.settings.backend == "local" else 404)


def test_app_builds_on_default_settings(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    from functions.settings import Settings

    app = create_app(Settings())
    with TestClient(app, base_url=ORIGIN) as fresh:
        assert fresh.get("/api/health").status_code == 200
