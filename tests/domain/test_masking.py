"""Masks for display, redaction for logs, keyed hashes for lookups."""

from __future__ import annotations

import hashlib
import hmac
import io
import logging

import pytest

from functions.domain.masking import RedactingFilter, lookup_hash, mask_id_number, mask_phone, redact


def test_mask_id_number_as_in_the_spec():
    assert mask_id_number("210302199001011234") == "2103**********1234"
    assert mask_id_number("11010519491231002X") == "1101**********002X"


def test_mask_shorter_documents_hides_most_of_them():
    assert mask_id_number("USA110190101001") == "USA1*******1001"
    assert mask_id_number("E12345678") == "E1*****78"
    assert mask_id_number("01234567") == "01****67"
    assert mask_id_number("123") == "***"


def test_mask_phone_as_in_the_spec():
    assert mask_phone("13800000000") == "138****0000"
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("12345") == "*****"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("注册 11010519491231002X 成功", "注册 1101**********002X 成功"),
        ("id=11010519491231002x", "id=1101**********002x"),
        ("身份证210302199001011234，手机13800000000", "身份证2103**********1234，手机138****0000"),
        ("sms to 13912345678 sent", "sms to 139****5678 sent"),
        ("phone +86 138-0000-0000", "phone +86 138****0000"),
        ("phone +8613800000000", "phone +86138****0000"),
        ('{"phone": "138 1234 5678"}', '{"phone": "138****5678"}'),
        ("two: 13800000000,13912345678", "two: 138****0000,139****5678"),
    ],
)
def test_redact_masks_ids_and_mobiles_in_text(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "epoch ms 1700000000000",  # 13 digits: not a phone
        "order 2024061300000012345",  # a longer number
        "token a13800000000b and 0xff110105194912310021ff",  # inside tokens
        "landline 0412-5591290",
        "code 91350100M000100Y43",
        "no numbers here",
    ],
)
def test_redact_leaves_other_text_alone(text):
    assert redact(text) == text


def logger_with_filter() -> tuple[logging.Logger, io.StringIO]:
    """A private logger whose handler carries the filter and writes to a string."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("tests.domain.redaction")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    return logger, stream


def test_filter_redacts_message_and_args():
    logger, stream = logger_with_filter()
    logger.info("registered %s with phone %s", "11010519491231002X", "13800000000")
    logger.warning("direct 13912345678")
    output = stream.getvalue()
    assert "11010519491231002X" not in output and "13800000000" not in output and "13912345678" not in output
    assert "INFO registered 1101**********002X with phone 138****0000" in output
    assert "WARNING direct 139****5678" in output


def test_filter_redacts_tracebacks():
    logger, stream = logger_with_filter()
    try:
        raise ValueError("duplicate id 11010519491231002X")
    except ValueError:
        logger.exception("registration failed for %s", "13800000000")
    output = stream.getvalue()
    assert "11010519491231002X" not in output and "13800000000" not in output
    assert "duplicate id 1101**********002X" in output and "Traceback" in output


def test_filter_keeps_malformed_records():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", ("only one",), None)
    assert RedactingFilter().filter(record) is True


def test_lookup_hash_is_keyed_hmac_sha256_of_kind_and_value():
    secret = b"0123456789abcdef0123456789abcdef"
    digest = lookup_hash(secret, "resident_id", "11010519491231002X")
    expected = hmac.new(secret, b"resident_id:11010519491231002X", hashlib.sha256).hexdigest()
    assert digest == expected and len(digest) == 64
    assert "11010519491231002X" not in digest
    assert lookup_hash(secret, "resident_id", " 11010519491231002X ") == digest


def test_lookup_hash_differs_by_kind_and_secret():
    secret = b"0123456789abcdef0123456789abcdef"
    assert lookup_hash(secret, "phone", "13800000000") != lookup_hash(secret, "login_name", "13800000000")
    assert lookup_hash(secret, "phone", "13800000000") != lookup_hash(b"another secret", "phone", "13800000000")


@pytest.mark.parametrize(("secret", "kind"), [(b"", "phone"), (b"k", ""), (b"k", "a:b")])
def test_lookup_hash_rejects_misuse(secret, kind):
    with pytest.raises(ValueError):
        lookup_hash(secret, kind, "13800000000")


def test_redaction_keeps_the_shape_of_arguments():
    """uvicorn's access formatter unpacks record.args; redaction must leave them a tuple."""
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/x?phone=13800138000", "1.1", 200),
        None,
    )
    RedactingFilter().filter(record)
    client, method, path, version, status = record.args
    assert (client, method, version, status) == ("127.0.0.1:5000", "GET", "1.1", 200)
    assert path == "/api/x?phone=138****8000"
