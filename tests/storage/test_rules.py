"""The storage rules both backends share (functions/storage/rules.py) where they are pure functions; the contract
suite (test_contract.py) checks that each backend applies them."""

from __future__ import annotations

import pytest

from functions.storage import aws, rules
from functions.storage.interface import ConditionFailed


def test_content_disposition_has_an_ascii_fallback() -> None:
    header = rules.content_disposition('营业执照 "副本".pdf')
    assert header == (
        'attachment; filename="____ ____.pdf"; '
        "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%22%E5%89%AF%E6%9C%AC%22.pdf"
    )
    assert "\r" not in rules.content_disposition("a\r\nSet-Cookie: x")
    assert rules.content_disposition("\n") == "attachment; filename=\"download\"; filename*=UTF-8''download"


def test_both_backends_name_downloads_by_the_one_content_disposition() -> None:
    """S3 sends it through the presigned link's parameters; the local backend's download route sends it itself."""
    from functions.routes import local_files

    assert aws.content_disposition is rules.content_disposition
    assert local_files.content_disposition is rules.content_disposition


def test_an_item_is_alive_through_its_expiry_second() -> None:
    assert rules.is_alive({"expires_at": 100}, 100.0)
    assert not rules.is_alive({"expires_at": 100}, 100.5)
    assert rules.is_alive({"expires_at": True}, 10**12)  # a bool is not a time
    assert rules.is_alive({}, 10**12)


def test_same_compares_as_dynamodb_does() -> None:
    assert rules.same({"a": 1, "b": [True]}, {"b": [True], "a": 1})
    assert not rules.same(True, 1)
    assert not rules.same(1, "1")


@pytest.mark.parametrize(
    ("item", "expected"),
    [(None, None), ({"a": 1}, {"a": 2}), ({"a": 1}, {"b": 1}), ({"a": 1}, {"a": None}), ({"a": 1}, {"a": True})],
)
def test_check_expected_refuses(item: dict | None, expected: dict | None) -> None:
    with pytest.raises(ConditionFailed):
        rules.check_expected(item, expected)


def test_check_expected_returns_the_item_that_holds() -> None:
    held = {"a": 1, "m": {"x": [1]}}
    assert rules.check_expected(held, {"a": 1, "m": {"x": [1]}, "gone": None}) is held
