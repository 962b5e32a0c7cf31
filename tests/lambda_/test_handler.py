"""The Mangum handler answers stored API Gateway HTTP API (v2) events as Lambda would deliver them."""

from __future__ import annotations

import asyncio
import importlib
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

EVENTS = Path(__file__).resolve().parents[1] / "events"


class _Context:
    """The few attributes of a Lambda context object anything might read."""

    function_name = "portal-api"
    aws_request_id = "test-request"
    memory_limit_in_mb = 1024

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


@pytest.fixture(scope="module")
def handler(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("PORTAL_BACKEND", "local")
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path_factory.mktemp("lambda-data")))
    from functions.settings import get_settings

    get_settings.cache_clear()
    module = importlib.reload(importlib.import_module("functions.handler"))
    yield module.handler
    get_settings.cache_clear()
    monkeypatch.undo()


def _in_fresh_loop(handler, event: dict) -> dict:
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return handler(event, _Context())
    finally:
        asyncio.set_event_loop(None)
        loop.close()


def invoke(handler, name: str) -> tuple[int, dict, dict]:
    event = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    # A thread of its own, like Lambda's runtime: the browser tests' Playwright keeps an event loop
    # running in the main thread, and Mangum must start its own.
    with ThreadPoolExecutor(max_workers=1) as runtime:
        response = runtime.submit(_in_fresh_loop, handler, event).result()
    return response["statusCode"], response["headers"], json.loads(response["body"])


def test_health(handler) -> None:
    assert invoke(handler, "health.json")[0::2] == (200, {"status": "ok"})


def test_captcha(handler) -> None:
    status, headers, body = invoke(handler, "captcha.json")
    assert status == 200 and body["image"].startswith("data:image/png;base64,")
    assert headers["cache-control"] == "no-store"


def test_availability_query_string(handler) -> None:
    assert invoke(handler, "availability.json")[0::2] == (200, {"login_name": "zhang_wei01", "available": True})


def test_bad_body_is_a_chinese_422(handler) -> None:
    status, _, body = invoke(handler, "login-missing-fields.json")
    assert status == 422 and body["error"]["fields"]["password"] == "请填写密码"


def test_anonymous_me_is_signed_out(handler) -> None:
    assert invoke(handler, "me-anonymous.json")[0::2] == (200, {"signed_in": False})


def test_foreign_origin_is_refused(handler) -> None:
    assert invoke(handler, "login-foreign-origin.json")[0] == 403


@pytest.mark.parametrize("event", ["applications-anonymous.json", "review-anonymous.json", "submit-anonymous.json"])
def test_applications_need_a_login(handler, event) -> None:
    status, _, body = invoke(handler, event)
    assert status == 401 and body["error"]["message"] == "请先登录"
