"""Issue 10's defects, each with the test that failed before its fix: abuse limits that hold under concurrency,
and no 500 or English answer for any input. Both backends unless a test needs real threads."""

from __future__ import annotations

import asyncio
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from functions.domain import passwords
from functions.guards import MAX_UPLOAD_BODY
from functions.repositories import login_attempts
from tests.api.conftest import ORIGIN, needs_thread_safe_backend
from tests.factories import login, natural_registration, register, request_sms, sms_code, sms_messages, solve_captcha

PASSWORD = "Liaoning2026ok"


def test_a_non_ascii_captcha_answer_is_a_wrong_answer_not_a_crash(services, client) -> None:
    register(services, client)
    captcha_id = solve_captcha(services, client)["captcha_id"]
    answer = client.post(
        "/api/sessions",
        json={"login_name": "zhang_wei01", "password": PASSWORD, "captcha_id": captcha_id, "captcha_answer": "验"},
    )
    assert answer.status_code == 422 and answer.json()["error"]["fields"] == {"captcha_answer": "验证码不正确"}
    captcha_id = solve_captcha(services, client)["captcha_id"]
    sms = client.post(
        "/api/sms-codes",
        json={"phone": "13900000001", "purpose": "register", "captcha_id": captcha_id, "captcha_answer": "ＡＢ１２"},
    )
    assert sms.status_code == 422 and "captcha_answer" in sms.json()["error"]["fields"]


def test_a_locked_login_says_when_to_come_back(services, client) -> None:
    register(services, client)
    for _ in range(login_attempts.MAX_FAILURES):
        login(services, client, password="Wrong2026pass")
    locked = login(services, client)
    assert locked.status_code == 429 and locked.headers["Retry-After"] == str(15 * 60)


def test_parallel_guesses_get_no_more_tries_than_the_limit(services, client, monkeypatch) -> None:
    needs_thread_safe_backend(services)
    register(services, client)
    checked, lock = [], threading.Lock()
    real_verify = passwords.verify_password

    def counting_verify(hashed: str, password: str) -> bool:
        with lock:
            checked.append(password)
        return real_verify(hashed, password)

    monkeypatch.setattr(passwords, "verify_password", counting_verify)
    bodies = [
        {"login_name": "zhang_wei01", "password": f"Wrong{n:02d}pass2026", **solve_captcha(services, client)}
        for n in range(20)
    ]

    def attempt(body: dict) -> int:
        with TestClient(client.app, base_url=ORIGIN) as own:
            return own.post("/api/sessions", json=body).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(attempt, bodies))
    assert len(checked) <= login_attempts.MAX_FAILURES  # the rest were refused before their password was read
    assert answers.count(429) >= len(bodies) - login_attempts.MAX_FAILURES and 200 not in answers
    assert login(services, client).status_code == 429  # and the right password now waits for the lock too


def stream_to_app(app, path: str, content_type: str, head: bytes, total: int) -> tuple[int, dict, int]:
    """POST `head` then spaces up to `total` bytes, 64 KB at a time, chunked (no Content-Length), straight to the
    ASGI app; (status, JSON answer, bytes the app pulled). A test client would read the whole body first."""
    pulled = 0
    answer: dict = {"status": 0, "body": b""}

    async def receive() -> dict:
        nonlocal pulled
        chunk = head if pulled == 0 else b" " * 65536
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": pulled < total}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "client": ("127.0.0.1", 50000),
        "server": ("localhost", 80),
        "headers": [
            (b"host", b"localhost"),
            (b"content-type", content_type.encode()),
            (b"transfer-encoding", b"chunked"),
        ],
    }
    asyncio.run(app(scope, receive, send))
    return answer["status"], json.loads(answer["body"]), pulled


def test_a_chunked_body_over_the_cap_is_refused_while_it_streams(services, client) -> None:
    status, answer, pulled = stream_to_app(client.app, "/api/sessions", "application/json", b"{", 100 * 1024 * 1024)
    assert status == 413 and answer["error"]["message"] == "请求内容过大"
    assert pulled <= 64 * 1024 + 65536  # stopped at the first chunk past the 64 KB cap, not after 100 MB


def test_a_chunked_upload_form_over_the_cap_is_refused(services, client) -> None:
    if services.settings.backend != "local":
        return  # on aws the form goes to S3, which enforces the signed policy's size itself
    part = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n'
    )
    status, answer, pulled = stream_to_app(
        client.app, "/api/local-uploads", "multipart/form-data; boundary=x", part, 200 * 1024 * 1024
    )
    assert status == 413 and answer["error"]["code"] == "too_large"
    assert pulled <= MAX_UPLOAD_BODY + 65536


def test_the_origin_check_compares_the_scheme_and_ignores_x_forwarded_host(services, client) -> None:
    body = {"login_name": "x", "password": "y", "captcha_id": "z", "captcha_answer": "0"}
    assert client.post("/api/sessions", json=body, headers={"Origin": "https://localhost"}).status_code == 403
    forged = client.post(
        "/api/sessions", json=body, headers={"Origin": "http://evil.example", "X-Forwarded-Host": "evil.example"}
    )
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "forbidden_origin"
    assert client.post("/api/sessions", json=body, headers={"Origin": ORIGIN}).status_code == 422  # ours: checked on


def test_bodies_that_cannot_be_parsed_get_a_chinese_answer(services, client) -> None:
    bad_utf8 = client.post(
        "/api/sessions", content=b'{"login_name": "\xff\xfe"}', headers={"Content-Type": "application/json"}
    )
    deep = client.post(
        "/api/sessions", content=b"[" * 100_000 + b"]" * 100_000, headers={"Content-Type": "application/json"}
    )
    for answer in (bad_utf8, deep):
        assert 400 <= answer.status_code < 500, answer.text
        message = answer.json()["error"]["message"]
        assert re.search(r"[\u4e00-\u9fff]", message) and not re.search(r"[A-Za-z]+ [A-Za-z]+", message), message


def test_a_form_with_too_many_fields_gets_a_chinese_answer(services, client) -> None:
    if services.settings.backend != "local":
        return  # the form endpoint exists on the local backend only
    fields = {f"f{n}": "x" for n in range(30)}
    answer = client.post("/api/local-uploads", data=fields, files={"file": ("a.pdf", b"%PDF-1.4", "application/pdf")})
    assert answer.status_code == 400
    assert not re.search(r"[A-Za-z]+ [A-Za-z]+", answer.json()["error"]["message"]), answer.text


def test_guessing_the_old_password_is_limited_like_a_login(services, client) -> None:
    register(services, client)
    login(services, client)
    for _ in range(login_attempts.MAX_FAILURES):
        wrong = client.post("/api/me/password", json={"old_password": "Guess2026wrong", "new_password": "Neu2026pass"})
        assert wrong.status_code == 422
    right = client.post("/api/me/password", json={"old_password": PASSWORD, "new_password": "Neu2026pass"})
    assert right.status_code == 429 and "Retry-After" in right.headers
    services.clock.advance(15 * 60 + 1)
    assert (
        client.post("/api/me/password", json={"old_password": PASSWORD, "new_password": "Neu2026pass"}).status_code
        == 204
    )


def test_a_changed_password_or_phone_is_told_to_the_old_phone(services, client) -> None:
    register(services, client)
    login(services, client)
    assert (
        client.post("/api/me/password", json={"old_password": PASSWORD, "new_password": "Neu2026pass"}).status_code
        == 204
    )
    assert sms_messages(services)[-1] == ("13800138000", sms_messages(services)[-1][1])
    assert "登录密码已修改" in sms_messages(services)[-1][1] and "如非本人操作" in sms_messages(services)[-1][1]
    services.clock.advance(61)
    request_sms(services, client, "13912345678", purpose="change_phone")
    changed = client.patch("/api/me", json={"phone": "13912345678", "sms_code": sms_code(services, "13912345678")})
    assert changed.status_code == 200
    phone, text = sms_messages(services)[-1]
    assert phone == "13800138000" and "绑定手机号已更换为 139****5678" in text  # the old phone hears of it


def test_control_characters_are_refused_naming_the_field(services, client) -> None:
    refused = register(services, client, real_name="张\x00伟")
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"] == {"real_name": "真实姓名不能包含控制字符"}
    upload = client.post(
        "/api/uploads",
        json={"purpose": "business_license", "filename": "执照\x1b[2J.png", "content_type": "image/png", "size": 100},
    )
    assert upload.status_code == 422 and upload.json()["error"]["fields"] == {"filename": "文件名不能包含控制字符"}
    register(services, client)
    login(services, client)
    app = client.post("/api/applications", json={"region": "210300", "subitem_code": "210300-XK-0001-01"}).json()
    form = client.put(f"/api/applications/{app['id']}/form", json={"form_data": {"dog_name": "旺\x07财"}})
    assert form.status_code == 422 and "form_data" in form.json()["error"]["fields"]
    assert client.get(f"/api/applications/{app['id']}").json()["form_data"].get("dog_name") is None
    lines = client.put(f"/api/applications/{app['id']}/form", json={"form_data": {"dog_name": "旺财"}})
    assert lines.status_code == 200


def test_one_address_has_a_generous_limit_per_kind_of_request(services, client) -> None:
    from functions.repositories import rate_limits

    for _ in range(rate_limits.SMS.requests):
        services.clock.advance(61)  # past each phone's own cooldown: only the address limit is tried here
        assert request_sms(services, client, "13900000002").status_code in (202, 429)
    refused = request_sms(services, client, "13900000003")
    assert refused.status_code == 429 and refused.json()["error"]["message"].startswith("该网络获取短信验证码过于频繁")
    assert int(refused.headers["Retry-After"]) > 0
    other = TestClient(client.app, base_url=ORIGIN, client=("203.0.113.9", 50000))
    assert request_sms(services, other, "13900000003").status_code == 202  # another address is not held back
    services.clock.advance(3600)
    assert request_sms(services, client, "13900000004").status_code == 202  # the next window


def test_test_mode_raises_only_the_address_limits() -> None:
    from functions.settings import Settings

    assert Settings(backend="local", test_mode=True).address_limit_scale == 100
    assert Settings(backend="local", address_limit_factor=3).address_limit_scale == 3


def test_registration_tells_nothing_about_taken_numbers_before_the_sms_code(services, client) -> None:
    register(services, client)
    other = TestClient(client.app, base_url=ORIGIN)
    services.clock.advance(61)
    # The same phone and ID number again, with a wrong code: the answer of any wrong code, not 409 已注册.
    taken = other.post("/api/accounts", json=natural_registration(login_name="li_si2026", sms_code="000000"))
    free = other.post(
        "/api/accounts",
        json=natural_registration(
            login_name="wang_wu2026", phone="13700137000", id_number="110101199003074530", sms_code="000000"
        ),
    )
    assert taken.status_code == free.status_code == 422
    assert taken.json()["error"] == free.json()["error"] and set(taken.json()["error"]["fields"]) == {"sms_code"}
    # The phone's owner asks for a code: the text says the phone has an account; with the code, 409 names it.
    request_sms(services, other, "13800138000")
    assert "该手机号已注册自然人账号" in sms_messages(services)[-1][1]
    proved = other.post(
        "/api/accounts", json=natural_registration(login_name="li_si2026", sms_code=sms_code(services, "13800138000"))
    )
    assert proved.status_code == 409 and set(proved.json()["error"]["fields"]) == {"phone", "id_number"}


def test_a_password_reset_code_goes_only_to_the_accounts_own_phone(services, client) -> None:
    register(services, client)
    sent_before = len(sms_messages(services))
    answers = [
        client.post(
            "/api/sms-codes",
            json={"phone": phone, "purpose": "reset_password", "login_name": name, **solve_captcha(services, client)},
        )
        for name, phone in (("zhang_wei01", "13912345678"), ("nobody_here", "13912345678"))
    ]
    assert [a.status_code for a in answers] == [202, 202] and answers[0].text == answers[1].text
    assert len(sms_messages(services)) == sent_before  # neither a stranger's phone nor an unknown name got a text
    no_name = client.post(
        "/api/sms-codes", json={"phone": "13800138000", "purpose": "reset_password", **solve_captcha(services, client)}
    )
    assert no_name.status_code == 422 and no_name.json()["error"]["fields"] == {"login_name": "请先填写登录名"}
    mine = client.post(
        "/api/sms-codes",
        json={
            "phone": "13800138000",
            "purpose": "reset_password",
            "login_name": "zhang_wei01",
            **solve_captcha(services, client),
        },
    )
    assert mine.status_code == 202 and sms_messages(services)[-1][0] == "13800138000"


def test_a_reset_with_a_code_for_another_phone_answers_like_a_wrong_code(services, client) -> None:
    register(services, client)
    services.clock.advance(61)
    register(services, client, login_name="li_na2026", phone="13912345678", id_number="110101199003074530")
    client.post(
        "/api/sms-codes",
        json={
            "phone": "13912345678",
            "purpose": "reset_password",
            "login_name": "li_na2026",
            **solve_captcha(services, client),
        },
    )
    code = sms_code(services, "13912345678")
    answers = [
        client.post(
            "/api/password-resets",
            json={"login_name": name, "phone": "13912345678", "sms_code": code, "new_password": "Reset2026okay"},
        )
        for name in ("zhang_wei01", "nobody_here")
    ]
    assert [a.status_code for a in answers] == [422, 422] and answers[0].json() == answers[1].json()
    assert answers[0].json()["error"]["fields"] == {"sms_code": "短信验证码不正确或已过期，请重新获取"}


def test_login_names_cannot_be_probed_without_end(services, client) -> None:
    from functions.repositories import rate_limits

    answers = [
        client.get("/api/accounts/availability", params={"login_name": f"probe_{n:04d}"}).status_code
        for n in range(rate_limits.AVAILABILITY.requests + 1)
    ]
    assert answers[:-1] == [200] * rate_limits.AVAILABILITY.requests and answers[-1] == 429


def test_a_visitors_licence_upload_is_completed_only_by_that_browser(services, client) -> None:
    from tests.factories import png_bytes, send_file, upload_ticket

    ticket = upload_ticket(client, png_bytes(), "image/png", "licence.png", "business_license")
    assert "portal_upload_visitor" in client.cookies and "HttpOnly" in ticket.headers["set-cookie"]
    send_file(client, ticket.json(), png_bytes(), "image/png", "licence.png")
    stranger = TestClient(client.app, base_url=ORIGIN)
    upload_id = ticket.json()["upload_id"]
    assert stranger.post(f"/api/uploads/{upload_id}/complete").status_code == 404
    assert client.post(f"/api/uploads/{upload_id}/complete").status_code == 200


def test_parallel_sms_requests_for_one_phone_send_one_text(services, client) -> None:
    needs_thread_safe_backend(services)
    bodies = [{"phone": "13900000005", "purpose": "register", **solve_captcha(services, client)} for _ in range(10)]

    def ask(body: dict) -> int:
        with TestClient(client.app, base_url=ORIGIN) as own:
            return own.post("/api/sms-codes", json=body).status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = sorted(pool.map(ask, bodies))
    assert answers == [202] + [429] * 9
    assert [phone for phone, _ in sms_messages(services)].count("13900000005") == 1


def test_the_100000th_submission_of_a_day_is_refused_not_misnumbered(services, client) -> None:
    from functions.domain.application_numbers import china_date
    from tests.factories import complete_draft

    register(services, client)
    login(services, client)
    app_id = complete_draft(client)
    services.table.increment(f"APPSEQ#210300#{china_date(services.clock())}", "COUNT", by=99_999)
    refused = client.post(f"/api/applications/{app_id}/submit")
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "numbers_exhausted"
    assert client.get(f"/api/applications/{app_id}").json()["status"] == "draft"
