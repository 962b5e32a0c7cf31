"""Facts the pages read from the API instead of copying a server rule: how long to wait before asking again
(retry_after), how long a download link works (expires_in), and the content types a material accepts."""

from __future__ import annotations

import pytest

from functions.application_views import DOWNLOAD_SECONDS
from tests.factories import SUBITEM, login, register, request_sms, sms_messages, upload_material


@pytest.fixture
def applicant(services, client):
    register(services, client)
    login(services, client)
    return client


def test_a_resend_too_soon_says_how_long_to_wait_in_the_body(services, client) -> None:
    assert request_sms(services, client, "13900000011").status_code == 202
    services.clock.advance(15)
    refused = request_sms(services, client, "13900000011")
    error = refused.json()["error"]
    assert refused.status_code == 429 and error["code"] == "sms_too_frequent"
    assert error["retry_after"] == int(refused.headers["Retry-After"]) == 45
    assert "45 秒" in error["message"]  # the message stays as it was


def test_a_code_sent_says_when_to_ask_again_and_how_long_it_works(services, client) -> None:
    sent = request_sms(services, client, "13900000012")
    assert sent.status_code == 202
    assert sent.json() == {"retry_after": 60, "expires_in": 300}


def test_a_reset_code_answers_the_same_whether_or_not_it_was_sent(services, client) -> None:
    """找回密码 must not tell a stranger whether a login name and a phone belong together."""
    register(services, client)
    sent_before = len(sms_messages(services))
    answers = [
        request_sms(services, client, phone, purpose="reset_password", login_name=name).json()
        for name, phone in (("nobody_here", "13900000013"), ("zhang_wei01", "13800138000"))
    ]
    assert answers[0] == answers[1] == {"retry_after": 60, "expires_in": 300}
    assert len(sms_messages(services)) == sent_before + 1  # only the account's own phone got a text


def test_other_errors_carry_no_retry_after(client) -> None:
    error = client.get("/api/applications").json()["error"]
    assert "retry_after" not in error


def test_download_links_say_how_long_they_work(services, applicant) -> None:
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    upload_id = upload_material(applicant, app["id"], "vaccine").json()["upload_id"]
    detail = applicant.put(f"/api/applications/{app['id']}/materials/vaccine", json={"upload_ids": [upload_id]})
    vaccine = next(m for m in detail.json()["materials"] if m["id"] == "vaccine")
    assert [f["expires_in"] for f in vaccine["files"]] == [DOWNLOAD_SECONDS]


def test_each_material_names_the_content_types_of_its_formats(applicant) -> None:
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    types = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
    for material in app["materials"]:
        assert material["content_types"] == {f: types[f] for f in material["formats"]}
