"""Bad input never gives a 500: every refusal is the JSON error of DESIGN.md, in Chinese, naming the field."""

from __future__ import annotations

import pytest


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"login_name": 123, "password": "x", "captcha_id": "a", "captcha_answer": "b"}, "login_name"),
        ({"password": "x", "captcha_id": "a", "captcha_answer": "b"}, "login_name"),
        ({"login_name": "a" * 500, "password": "x", "captcha_id": "a", "captcha_answer": "b"}, "login_name"),
        ({"login_name": "abcd", "password": "x", "captcha_id": "a", "captcha_answer": "b", "extra": 1}, "extra"),
    ],
)
def test_login_body_errors_name_the_field(client, body, field) -> None:
    response = client.post("/api/sessions", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert field in error["fields"] and _is_chinese(error["fields"][field]) and _is_chinese(error["message"])


def test_unknown_enum_value(client) -> None:
    response = client.post(
        "/api/sms-codes",
        json={"phone": "13800138000", "purpose": "marketing", "captcha_id": "a", "captcha_answer": "b"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["purpose"] == "用途的取值不在允许范围内"


def test_not_json(client) -> None:
    response = client.post(
        "/api/sessions", content=b"login_name=a", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 415 and _is_chinese(response.json()["error"]["message"])


def test_broken_json(client) -> None:
    response = client.post("/api/sessions", content=b"{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and _is_chinese(response.json()["error"]["message"])


def test_json_that_is_not_an_object(client) -> None:
    response = client.post("/api/sessions", json=[1, 2, 3])
    assert response.status_code == 422 and _is_chinese(response.json()["error"]["message"])


def test_huge_body(client) -> None:
    response = client.post(
        "/api/accounts", content=b"{" + b" " * 100_000 + b"}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413 and _is_chinese(response.json()["error"]["message"])


def test_unknown_path_and_method(client) -> None:
    assert client.get("/api/nothing-here").json()["error"]["code"] == "not_found"
    response = client.put("/api/health", json={})
    assert response.status_code == 405 and _is_chinese(response.json()["error"]["message"])


def test_legal_registration_without_organization(client) -> None:
    body = {
        "account_type": "legal",
        "login_name": "org_admin1",
        "password": "Liaoning2026ok",
        "real_name": "测试用户",
        "id_number": "11010519491231002X",
        "email": "a@example.cn",
        "phone": "13800138000",
        "sms_code": "123456",
        "agreement_accepted": True,
    }
    response = client.post("/api/accounts", json=body)
    assert response.status_code == 422 and "organization" in response.json()["error"]["fields"]
