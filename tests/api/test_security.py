"""The security rules of DESIGN.md, each tried against both backends."""

from __future__ import annotations

from tests.factories import login, register, request_sms, signed_in, sms_code, solve_captcha

PASSWORD = "Liaoning2026ok"


def test_password_is_stored_as_argon2id(services, client) -> None:
    register(services, client)
    account_id = services.table.get("LOGIN#zhang_wei01", "ACCOUNT")["account_id"]
    stored = services.table.get(f"ACCOUNT#{account_id}", "PROFILE")["password_hash"]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_session_cookie_flags_and_token_stored_hashed(services, client) -> None:
    register(services, client)
    response = login(services, client)
    assert response.status_code == 200, response.text
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # localhost
    token = client.cookies["portal_session"]
    assert services.table.get(f"SESSION#{token}", "SESSION") is None  # only the hash is a key
    assert services.sessions.resolve(token) is not None


def test_cookie_is_secure_off_localhost(services, client) -> None:
    register(services, client)
    client.base_url = "https://portal.example.cn"
    response = login(services, client)
    assert "Secure" in response.headers["set-cookie"]


def test_login_rotates_the_token(services, client) -> None:
    register(services, client)
    login(services, client)
    first = client.cookies["portal_session"]
    login(services, client)
    second = client.cookies["portal_session"]
    assert first != second
    assert services.sessions.resolve(first) is None


def test_idle_expiry(services, client) -> None:
    register(services, client)
    login(services, client)
    services.clock.advance(29 * 60)
    assert signed_in(client)
    services.clock.advance(31 * 60)
    assert not signed_in(client)


def test_absolute_expiry_despite_activity(services, client) -> None:
    register(services, client)
    login(services, client)
    for _ in range(12 * 3 + 1):  # a request every 20 minutes, past 12 hours
        services.clock.advance(20 * 60)
        if not signed_in(client):
            break
    assert not signed_in(client)
    assert services.clock.now - 1_800_000_000.0 <= 12 * 3600 + 20 * 60


def test_logout_ends_the_session(services, client) -> None:
    register(services, client)
    login(services, client)
    token = client.cookies["portal_session"]
    assert client.delete("/api/sessions/current").status_code == 204
    assert services.sessions.resolve(token) is None


def test_password_change_ends_other_sessions(services, client) -> None:
    from fastapi.testclient import TestClient

    register(services, client)
    login(services, client)
    with TestClient(client.app, base_url="http://localhost") as other_device:
        login(services, other_device)
        assert signed_in(other_device)
        wrong = client.post("/api/me/password", json={"old_password": "nope-nope-1", "new_password": "Another2026ok"})
        assert wrong.status_code == 422 and "old_password" in wrong.json()["error"]["fields"]
        changed = client.post("/api/me/password", json={"old_password": PASSWORD, "new_password": "Another2026ok"})
        assert changed.status_code == 204
        assert not signed_in(other_device)
    assert signed_in(client)
    assert login(services, client, password="Another2026ok").status_code == 200


def test_password_reset_by_sms_ends_every_session(services, client) -> None:
    register(services, client)
    login(services, client)
    services.clock.advance(61)
    request_sms(services, client, "13800138000", purpose="reset_password", login_name="zhang_wei01")
    code = sms_code(services, "13800138000")
    wrong_phone = client.post(
        "/api/password-resets",
        json={"login_name": "zhang_wei01", "phone": "13912345678", "sms_code": code, "new_password": "Reset2026okay"},
    )
    assert wrong_phone.status_code == 422
    reset = client.post(
        "/api/password-resets",
        json={"login_name": "zhang_wei01", "phone": "13800138000", "sms_code": code, "new_password": "Reset2026okay"},
    )
    assert reset.status_code == 204
    assert not signed_in(client)
    assert login(services, client, password=PASSWORD).status_code == 401
    assert login(services, client, password="Reset2026okay").status_code == 200


def test_foreign_origin_is_refused(services, client) -> None:
    response = client.post("/api/sessions", json={"login_name": "x"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    same = client.post("/api/sessions", json={"login_name": "x"}, headers={"Origin": "http://localhost"})
    assert same.status_code == 422


def test_captcha_single_use_case_insensitive_and_expiring(services, client) -> None:
    register(services, client)
    captcha = solve_captcha(services, client)
    body = {"login_name": "zhang_wei01", "password": PASSWORD, **captcha}
    assert (
        client.post("/api/sessions", json={**body, "captcha_answer": captcha["captcha_answer"].upper()}).status_code
        == 200
    )
    reused = client.post("/api/sessions", json=body)
    assert reused.status_code == 422 and "captcha_answer" in reused.json()["error"]["fields"]
    stale = solve_captcha(services, client)
    services.clock.advance(301)
    assert client.post("/api/sessions", json={**body, **stale}).status_code == 422


def test_captcha_image_is_a_png(client) -> None:
    answer = client.get("/api/captcha").json()
    assert answer["image"].startswith("data:image/png;base64,")


def test_same_message_for_unknown_name_and_wrong_password(services, client) -> None:
    register(services, client)
    unknown = login(services, client, login_name="nobody_here")
    wrong = login(services, client, password="Wrong2026pass")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["error"]["message"] == wrong.json()["error"]["message"] == "登录名或密码错误"


def test_lockout_after_five_failures_for_fifteen_minutes(services, client) -> None:
    register(services, client)
    for _ in range(5):
        assert login(services, client, password="Wrong2026pass").status_code == 401
    locked = login(services, client)
    assert locked.status_code == 429
    unknown_locked = [login(services, client, login_name="ghost_user").status_code for _ in range(6)]
    assert unknown_locked[-1] == 429  # unknown names lock the same way: nothing tells them apart
    services.clock.advance(15 * 60 + 1)
    assert login(services, client).status_code == 200


def test_sms_code_rules(services, client) -> None:
    phone = "13800138000"
    assert request_sms(services, client, phone).status_code == 202
    too_soon = request_sms(services, client, phone)
    assert too_soon.status_code == 429 and "phone" in too_soon.json()["error"]["fields"]
    code = sms_code(services, phone)
    assert len(code) == 6 and code.isdigit()
    body = {
        "account_type": "natural",
        "login_name": "zhang_wei01",
        "password": PASSWORD,
        "real_name": "测试用户",
        "id_number": "11010519491231002X",
        "email": "a@example.cn",
        "phone": phone,
        "agreement_accepted": True,
    }
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(5):
        assert client.post("/api/accounts", json={**body, "sms_code": wrong}).status_code == 422
    exhausted = client.post("/api/accounts", json={**body, "sms_code": code})
    assert exhausted.status_code == 422  # a sixth try, even right, needs a new code
    services.clock.advance(61)
    request_sms(services, client, phone)
    fresh = sms_code(services, phone)
    services.clock.advance(301)
    assert client.post("/api/accounts", json={**body, "sms_code": fresh}).status_code == 422  # expired


def test_daily_sms_cap(services, client) -> None:
    phone = "13800138000"
    statuses = []
    for _ in range(11):
        statuses.append(request_sms(services, client, phone).status_code)
        services.clock.advance(61)
    assert statuses[:10] == [202] * 10 and statuses[10] == 429


def test_sms_request_needs_a_captcha(client) -> None:
    response = client.post(
        "/api/sms-codes",
        json={"phone": "13800138000", "purpose": "register", "captcha_id": "made-up", "captcha_answer": "ABCD"},
    )
    assert response.status_code == 422 and "captcha_answer" in response.json()["error"]["fields"]


def test_configured_public_origin_is_accepted(services, client) -> None:
    """Behind CloudFront the Host is API Gateway's; the site's public origin is configured instead."""
    services.settings = services.settings.model_copy(update={"public_origin": "https://d111111abcdef8.cloudfront.net"})
    headers = {
        "Origin": "https://d111111abcdef8.cloudfront.net",
        "Host": "a1b2c3.execute-api.cn-north-1.amazonaws.com.cn",
    }
    assert client.post("/api/sessions", json={"login_name": "x"}, headers=headers).status_code == 422
    headers["Origin"] = "https://d222222abcdef8.cloudfront.net"
    assert client.post("/api/sessions", json={"login_name": "x"}, headers=headers).status_code == 403


def test_password_is_taken_exactly_as_typed(services, client) -> None:
    register(services, client, password="  Liaoning2026ok  ")
    assert login(services, client, password="Liaoning2026ok").status_code == 401
    assert login(services, client, password="  Liaoning2026ok  ").status_code == 200


def test_captcha_can_be_heard(services, client) -> None:
    captcha = client.get("/api/captcha").json()
    audio = client.get(f"/api/captcha/{captcha['captcha_id']}/audio")
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/wav"
    assert audio.content[:4] == b"RIFF" and len(audio.content) > 10_000
    assert client.get("/api/captcha/no-such-id/audio").status_code == 404


def test_login_name_is_matched_as_registration_normalises_it(services, client) -> None:
    """One key for uniqueness, login and lockout: case, surrounding spaces and full-width letters do not matter."""
    register(services, client)
    assert login(services, client, login_name=" ＺＨＡＮＧ_wei01 ").status_code == 200
    for _ in range(5):
        login(services, client, login_name="Zhang_Wei01", password="Wrong2026pass")
    assert login(services, client, login_name="zhang_wei01").status_code == 429
