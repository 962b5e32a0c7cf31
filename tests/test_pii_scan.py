"""The PII scan (tests/pii_scan.py) is not a plugin that silently finds nothing: it reports a response or log
line holding a test account's full phone or ID number, and lets the masked forms through."""

from __future__ import annotations

import base64
import logging
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from stdnum.cn import ric

from tests import pii_scan
from tests.factories import NATURAL_ID

ROOT = Path(__file__).resolve().parents[1]
PHONE = "13800138000"  # natural_registration()'s phone


@pytest.fixture
def scanner() -> pii_scan.Scanner:
    return pii_scan.Scanner({PHONE: "phone", NATURAL_ID: "id"})


def found(scanner: pii_scan.Scanner, text: str) -> list[str]:
    return [value for value, _, _ in scanner.find(text)]


def test_the_known_values_hold_the_factories_accounts_and_the_tests_literals() -> None:
    values = pii_scan.STATE.scanner.values
    assert values[NATURAL_ID] == "id" and values[PHONE] == "phone" and values["13912345678"] == "phone"
    assert values["E12345678"] == "id"  # legal_registration()'s passport number, masked by mask_document
    assert values["210304198808080021"] == "id"  # steps.resident_id("21030419880808002") in a browser test
    assert "914403001922038216" not in values  # a credit code of 18 digits: no birth date, not a person's ID


def test_full_values_are_found_in_their_written_forms(scanner) -> None:
    assert found(scanner, '{"phone": "13800138000"}') == [PHONE]
    assert found(scanner, "sms to +8613800138000 / 138 0013 8000 / 138-0013-8000") == [PHONE] * 3
    assert found(scanner, "id=11010519491231002x;") == [NATURAL_ID]
    token = base64.b64encode(b'{"u": "zhang", "phone": "13800138000"}').decode()
    assert found(scanner, f"session={token}") == [PHONE]


def test_masked_and_other_values_are_not_found(scanner) -> None:
    assert found(scanner, '{"phone": "138****8000", "id_number": "1101**********002X"}') == []
    assert found(scanner, "13900139000 11010519491231002 210300202611260004211") == []


def test_failure_text_shows_only_masks(scanner) -> None:
    text = 'xx {"phone": "13800138000", "id": "11010519491231002X"} yy'
    assert scanner.mask_all(text) == 'xx {"phone": "138****8000", "id": "1101**********002X"} yy'
    assert pii_scan.mask("E12345678") == "E1*****78"
    leak = pii_scan.Leak("GET /api/me response body", "phone", PHONE, "field phone")
    assert leak.describe() == "full phone 138****8000 in GET /api/me response body: field phone"


def _app() -> Starlette:
    async def leak(request):
        return JSONResponse({"owner": {"phone": PHONE}, "items": [{"id_number": NATURAL_ID}]})

    async def masked(request):
        return JSONResponse({"phone": "138****8000", "id_number": "1101**********002X"})

    async def header(request):
        return PlainTextResponse("ok", headers={"X-Owner": NATURAL_ID})

    async def echo(request):  # gives back what it was sent, as a careless endpoint would
        return JSONResponse(await request.json())

    async def stream(request):  # the number split over two chunks
        return StreamingResponse(iter([b"data: 1380", b"0138000\n"]), media_type="text/event-stream")

    async def outbox(request):
        return JSONResponse([{"phone": PHONE, "text": "验证码 123456"}])

    async def reveal(request):  # 查看完整号码: the one field that shows the number by design
        extra = {"label": PHONE} if request.query_params.get("more") else {}
        return JSONResponse({"field": "owner_phone", "value": PHONE, **extra})

    return Starlette(
        routes=[
            Route("/leak", leak),
            Route("/masked", masked),
            Route("/header", header),
            Route("/echo", echo, methods=["POST"]),
            Route("/stream", stream),
            Route("/api/dev/outbox", outbox),
            Route("/api/review/applications/{id}/reveal", reveal, methods=["GET", "POST"]),
        ]
    )


def test_every_starlette_app_is_scanned() -> None:
    assert hasattr(Starlette.__call__, "pii_scan_original")
    assert pii_scan.HANDLER in logging.getLogger().handlers


def test_a_response_with_a_full_phone_or_id_is_reported_and_a_masked_one_is_not() -> None:
    pii_scan.drain()
    with TestClient(_app()) as client:
        client.get("/leak")
        leaks = pii_scan.drain()
        assert [(leak.where, leak.kind, leak.detail) for leak in leaks] == [
            ("GET /leak response body", "phone", "field owner.phone"),
            ("GET /leak response body", "id", "field items[0].id_number"),
        ]

        client.get("/masked")
        assert pii_scan.drain() == []

        client.get("/header")
        [leak] = pii_scan.drain()
        assert (leak.where, leak.value, leak.detail) == (
            "GET /header response",
            NATURAL_ID,
            "header x-owner: 1101**********002X",
        )

        client.get("/stream")
        assert [leak.value for leak in pii_scan.drain()] == [PHONE]

        client.get("/api/dev/outbox")  # the SMS outbox stands in for the phone itself
        assert pii_scan.drain() == []

        client.post("/api/review/applications/a1/reveal")
        assert pii_scan.drain() == []
        client.post("/api/review/applications/a1/reveal?more=1")  # only its `value` is exempt
        assert [leak.detail for leak in pii_scan.drain()] == ["field label"]
        client.get("/api/review/applications/a1/reveal")  # and only the POST that records the opening
        assert [leak.detail for leak in pii_scan.drain()] == ["field value"]


def test_numbers_a_test_makes_up_are_learnt_from_its_requests_and_looked_for_in_responses() -> None:
    # Built at run time, so that no test's source holds them and they are not known values at first.
    serial = f"{random.randrange(10**8):08d}"
    made_up = "133" + serial
    body = "2103022000" + "0101" + serial[:3]
    made_up_id = body + pii_scan._check_character(body)
    assert ric.is_valid(made_up_id)
    not_personal = "135" + serial
    scanner = pii_scan.STATE.scanner
    assert made_up not in scanner.values and made_up_id not in scanner.values
    with TestClient(_app()) as client:
        pii_scan.drain()
        typed = f"{made_up[:3]} {made_up[3:7]} {made_up[7:]}"
        client.post("/echo", json={"form_data": {"contact_phone": typed}, "id_no": made_up_id.lower()})
        assert {leak.value for leak in pii_scan.drain()} == {made_up, made_up_id}
        assert scanner.values[made_up] == "phone" and scanner.values[made_up_id] == "id"
        client.post("/echo", json={"number": "2103002026112600042", "comment": not_personal})
        assert pii_scan.drain() == []  # only values under keys naming a phone or an ID number are learnt
        assert not_personal not in scanner.values


def test_a_log_record_with_a_full_number_is_reported() -> None:
    pii_scan.drain()
    logger = logging.getLogger("tests.pii_scan_probe")
    # Records made by hand, so the app's redacting record factory (functions/app.py) does not mask them first.
    logger.handle(logging.LogRecord(logger.name, logging.INFO, __file__, 1, "SMS to %s", (PHONE,), None))
    try:
        raise ValueError(f"duplicate {NATURAL_ID}")
    except ValueError:
        logger.handle(logging.LogRecord(logger.name, logging.ERROR, __file__, 1, "failed", (), sys.exc_info()))
    logger.handle(logging.LogRecord(logger.name, logging.INFO, __file__, 1, "SMS to %s", ("138****8000",), None))
    structured = logging.LogRecord(logger.name, logging.WARNING, __file__, 1, "sent", (), None)
    structured.recipient = PHONE  # as logger.warning("sent", extra={"recipient": ...}) sets it
    logger.handle(structured)
    leaks = pii_scan.drain()
    assert [(leak.where, leak.value) for leak in leaks] == [
        ("log tests.pii_scan_probe INFO", PHONE),
        ("log tests.pii_scan_probe ERROR", NATURAL_ID),
        ("log tests.pii_scan_probe WARNING", PHONE),
    ]
    assert leaks[0].detail == "SMS to 138****8000"


INNER_TESTS = """
import logging

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient


async def me(request):
    return JSONResponse({"phone": "13800138000" if request.query_params.get("full") else "138****8000"})


APP = Starlette(routes=[Route("/api/me", me)])


def test_leaks_in_a_response():
    assert TestClient(APP).get("/api/me?full=1").status_code == 200


def test_leaks_in_a_log():
    logging.getLogger("functions.sms_probe").debug("sent to %s", "13800138000")


def test_masked_is_fine():
    assert TestClient(APP).get("/api/me").json() == {"phone": "138****8000"}
"""


@pytest.mark.server  # a pytest of its own in a subprocess
def test_the_test_during_which_a_leak_happened_fails_naming_it_masked(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["tests.pii_scan"]\n', encoding="utf-8")
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(INNER_TESTS), encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "test_inner.py"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "2 failed, 1 passed" in output, output
    assert "FAILED test_inner.py::test_leaks_in_a_response" in output
    assert "full phone 138****8000 in GET /api/me?full=1 response body: field phone" in output
    assert "FAILED test_inner.py::test_leaks_in_a_log" in output
    assert "full phone 138****8000 in log functions.sms_probe DEBUG: sent to 138****8000" in output
    assert "PASSED test_inner.py::test_masked_is_fine" in output
    assert PHONE not in output  # not in the failure, not in the captured log it shows
