"""Issue 10's defects, each with the test that failed before its fix: abuse limits that hold under concurrency,
and no 500 or English answer for any input. Both backends unless a test needs real threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from functions.domain import passwords
from functions.repositories import login_attempts
from tests.api.conftest import ORIGIN, needs_thread_safe_backend
from tests.factories import login, register, solve_captcha

PASSWORD = "Liaoning2026ok"


def test_a_non_ascii_captcha_answer_is_a_wrong_answer_not_a_crash(services, client) -> None:
    register(services, client)
    captcha_id = solve_captcha(services, client)["captcha_id"]
    answer = client.post("/api/sessions", json={"login_name": "zhang_wei01", "password": PASSWORD,
                                                "captcha_id": captcha_id, "captcha_answer": "验"})
    assert answer.status_code == 422 and answer.json()["error"]["fields"] == {"captcha_answer": "验证码不正确"}
    captcha_id = solve_captcha(services, client)["captcha_id"]
    sms = client.post("/api/sms-codes", json={"phone": "13900000001", "purpose": "register",
                                              "captcha_id": captcha_id, "captcha_answer": "ＡＢ１２"})
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
    bodies = [{"login_name": "zhang_wei01", "password": f"Wrong{n:02d}pass2026", **solve_captcha(services, client)}
              for n in range(20)]

    def attempt(body: dict) -> int:
        with TestClient(client.app, base_url=ORIGIN) as own:
            return own.post("/api/sessions", json=body).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(attempt, bodies))
    assert len(checked) <= login_attempts.MAX_FAILURES  # the rest were refused before their password was read
    assert answers.count(429) >= len(bodies) - login_attempts.MAX_FAILURES and 200 not in answers
    assert login(services, client).status_code == 429  # and the right password now waits for the lock too
