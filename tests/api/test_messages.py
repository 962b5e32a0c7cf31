"""消息中心 (GET /api/messages, unread-count, /{id}/read, read-all) on both backends: a message for every status
change (in the change's own transaction), for 补正 and for security events; the unread count follows reading;
another user's message is not there."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from functions.repositories.errors import RecordChanged
from functions.repositories.messages import Messages
from functions.storage.interface import Transaction
from tests.api.conftest import ORIGIN, needs_thread_safe_backend
from tests.api.test_applications import other_applicant, staff_client
from tests.factories import complete_draft, login, register, request_sms, sms_code, sms_messages


@pytest.fixture
def applicant(services, client) -> TestClient:
    register(services, client)
    assert login(services, client).status_code == 200
    return client


def messages(client) -> list[dict]:
    answer = client.get("/api/messages")
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def unread(client) -> int:
    return client.get("/api/messages/unread-count").json()["count"]


def submitted(services, applicant) -> str:
    application_id = complete_draft(applicant)
    assert applicant.post(f"/api/applications/{application_id}/submit").status_code == 200
    return application_id


def test_every_status_change_puts_a_message_newest_first(services, applicant) -> None:
    application_id = submitted(services, applicant)
    staff = staff_client(services, applicant)
    services.clock.advance(60)
    staff.post(f"/api/review/applications/{application_id}/actions", json={"action": "accept", "comment": "予以受理"})
    services.clock.advance(60)
    staff.post(
        f"/api/review/applications/{application_id}/actions", json={"action": "deny", "comment": "不符合法定条件"}
    )
    items = messages(applicant)
    assert [item["title"] for item in items] == [
        "结果文书已出具：不予行政许可决定书",
        "办件状态更新：已受理",
        "申报已提交",
    ]
    assert [item["kind"] for item in items] == ["document", "status", "status"]
    assert all(item["application_id"] == application_id and not item["read"] for item in items)
    assert "状态已更新为：办结（不予许可）。审批意见：不符合法定条件" in items[0]["text"]
    assert "审批意见：予以受理" in items[1]["text"]
    assert items[0]["at"] > items[1]["at"] and items[0]["at"].endswith("+08:00")
    assert unread(applicant) == 3


def test_a_correction_request_says_what_to_correct(services, applicant) -> None:
    application_id = submitted(services, applicant)
    staff = staff_client(services, applicant)
    services.clock.advance(60)
    asked = staff.post(
        f"/api/review/applications/{application_id}/actions",
        json={
            "action": "request_correction",
            "comment": "请补正疫苗接种证明",
            "corrections": [{"kind": "material", "id": "vaccine", "reason": "照片模糊"}],
        },
    )
    assert asked.status_code == 200, asked.text
    newest = messages(applicant)[0]
    assert (newest["kind"], newest["title"]) == ("correction", "办件需要补正")
    assert "补正要求：请补正疫苗接种证明" in newest["text"]


def test_the_message_is_written_with_the_change_or_not_at_all(services, applicant) -> None:
    """A status change that loses the race (RecordChanged) leaves no message for a change that did not happen."""
    application_id = submitted(services, applicant)
    staff = staff_client(services, applicant)
    app = services.applications.get(application_id)
    services.applications.save(app, {"updated_at": app["updated_at"] + 1})  # someone else, meanwhile
    before = len(messages(applicant))
    stale = services.applications.get(application_id) | {"version": app["version"]}
    with pytest.raises(RecordChanged):
        services.applications.save(
            stale, {"status": "accepted"}, services.messages.posting(app["owner"], "status", "x", "y", application_id)
        )
    assert len(messages(applicant)) == before
    assert staff.get("/api/review/applications").status_code == 200


def test_reading_one_marks_it_and_lowers_the_count(services, applicant) -> None:
    submitted(services, applicant)
    first = messages(applicant)[0]
    read = applicant.post(f"/api/messages/{first['id']}/read")
    assert read.status_code == 200 and read.json()["read"] is True
    assert unread(applicant) == 0 and messages(applicant)[0]["read"] is True
    assert applicant.post(f"/api/messages/{first['id']}/read").status_code == 200  # again: nothing changes
    assert unread(applicant) == 0


def test_read_all_marks_every_message(services, applicant) -> None:
    for number in range(30):  # more than one batch of the repository's read-all
        services.messages.post(applicant_id(services), "security", f"提醒 {number}", "正文")
    assert unread(applicant) == 30
    answer = applicant.post("/api/messages/read-all")
    assert answer.status_code == 200 and answer.json() == {"marked": 30}
    assert unread(applicant) == 0
    assert not any(item["read"] is False for item in messages(applicant))


def test_pages_follow_the_cursor_without_repeating(services, applicant) -> None:
    owner = applicant_id(services)
    for number in range(45):
        services.clock.advance(1)
        services.messages.post(owner, "security", f"提醒 {number}", "正文")
    seen, cursor = [], None
    while True:
        answer = applicant.get("/api/messages", params={"cursor": cursor} if cursor else {}).json()
        seen += [item["title"] for item in answer["items"]]
        cursor = answer["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"提醒 {number}" for number in reversed(range(45))]


def test_a_malformed_cursor_names_the_field(services, applicant) -> None:
    answer = applicant.get("/api/messages", params={"cursor": "MSG#' or 1=1"})
    assert answer.status_code == 422 and answer.json()["error"]["fields"] == {"cursor": "翻页参数不正确"}


def test_another_users_message_is_not_found(services, applicant) -> None:
    submitted(services, applicant)
    mine = messages(applicant)[0]
    other = other_applicant(services, applicant)
    assert messages(other) == []
    refused = other.post(f"/api/messages/{mine['id']}/read")
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
    assert other.post("/api/messages/0000000000000abcdef0123456789abc/read").status_code == 404
    assert messages(applicant)[0]["read"] is False  # untouched
    assert other.post("/api/messages/read-all").json() == {"marked": 0} and unread(applicant) == 1


def test_messages_need_a_login(client) -> None:
    assert client.get("/api/messages").status_code == 401
    assert client.get("/api/messages/unread-count").status_code == 401
    assert client.post("/api/messages/read-all").status_code == 401


def test_a_password_change_is_a_security_message(services, applicant) -> None:
    changed = applicant.post(
        "/api/me/password", json={"old_password": "Liaoning2026ok", "new_password": "Shenyang2027ok"}
    )
    assert changed.status_code == 204
    newest = messages(applicant)[0]
    assert (newest["kind"], newest["title"]) == ("security", "账号安全提醒")
    assert "登录密码已修改" in newest["text"] and newest["application_id"] is None


def test_a_phone_change_is_a_security_message(services, applicant) -> None:
    request_sms(services, applicant, "13912345678", purpose="change_phone")
    changed = applicant.patch("/api/me", json={"phone": "13912345678", "sms_code": sms_code(services, "13912345678")})
    assert changed.status_code == 200, changed.text
    assert "绑定手机号已更换为 139****5678" in messages(applicant)[0]["text"]


def test_a_login_from_a_new_browser_is_told_but_not_the_first_or_a_known_one(services, client) -> None:
    register(services, client)
    assert login(services, client).status_code == 200  # the first login: nothing to compare with
    assert messages(client) == []
    client.cookies.pop("portal_session", None)
    assert login(services, client).status_code == 200  # the same browser (its device cookie) again
    assert messages(client) == []
    elsewhere = TestClient(
        client.app, base_url=ORIGIN, headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) Chrome/140"}
    )
    assert login(services, elsewhere).status_code == 200
    newest = messages(client)[0]
    assert newest["title"] == "新设备登录提醒" and "Chrome 浏览器，Windows" in newest["text"]
    assert "IP" in newest["text"]
    texts = [text for phone, text in sms_messages(services) if phone == "13800138000"]
    assert any("在新的设备上登录" in text for text in texts)


def test_simultaneous_reads_leave_the_count_exact(services, applicant) -> None:
    needs_thread_safe_backend(services)
    owner = applicant_id(services)
    for number in range(10):
        services.messages.post(owner, "security", f"提醒 {number}", "正文")
    ids = [item["id"] for item in messages(applicant)]

    def read(message_id: str) -> int:
        return applicant.post(f"/api/messages/{message_id}/read").status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(read, ids + ids))
        marked = list(pool.map(lambda _: applicant.post("/api/messages/read-all").json()["marked"], range(4)))
    assert codes == [200] * 20 and sum(marked) == 0
    assert unread(applicant) == 0


def test_the_repository_refuses_an_unknown_kind(services) -> None:
    with pytest.raises(ValueError):
        Messages(services.table, services.now).posting("someone", "advert", "买", "卖", into=Transaction())


def applicant_id(services) -> str:
    return services.accounts.find_by_login_name("zhang_wei01")["id"]


def test_a_failed_text_loses_only_the_text(services, applicant, monkeypatch, caplog) -> None:
    """SNS failing transiently: the change and its 消息中心 message stand, the lost text is logged."""
    application_id = submitted(services, applicant)
    staff = staff_client(services, applicant)

    def refuse(phone: str, text: str) -> None:
        raise ConnectionError("SNS unavailable")

    monkeypatch.setattr(services.sms, "send", refuse)
    services.clock.advance(60)
    accepted = staff.post(f"/api/review/applications/{application_id}/actions", json={"action": "accept"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    services.clock.advance(60)
    changed = applicant.post(
        "/api/me/password", json={"old_password": "Liaoning2026ok", "new_password": "Shenyang2027ok"}
    )
    assert changed.status_code == 204
    assert [item["title"] for item in messages(applicant)[:2]] == ["账号安全提醒", "办件状态更新：已受理"]
    assert sum("could not text account" in record.message for record in caplog.records) == 2
