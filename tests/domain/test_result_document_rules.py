"""The rules of 结果文书 that need no storage: 文号, verification codes as people type them, the holder's mask."""

from __future__ import annotations

import re

import pytest

from functions.domain.masking import mask_name
from functions.domain.result_documents import (
    document_number,
    issues_document,
    new_verification_code,
    normalised_code,
    normalised_sha256,
)


def test_only_decisions_that_end_an_application_issue_one() -> None:
    assert [
        s
        for s in ("submitted", "accepted", "correction_required", "approved", "denied", "rejected", "withdrawn")
        if issues_document(s)
    ] == [
        "approved",
        "denied",
        "rejected",
    ]


def test_the_number_names_issuer_decision_year_and_count() -> None:
    assert document_number("鞍行审", "approved", 2026, 1) == "鞍行审许准字〔2026〕第0001号"
    assert document_number("沈市监", "denied", 2027, 42) == "沈市监不许字〔2027〕第0042号"
    assert document_number("大公", "rejected", 2026, 12345) == "大公不受字〔2026〕第12345号"


def test_codes_are_grouped_unambiguous_and_different() -> None:
    codes = {new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code) for code in codes)


@pytest.mark.parametrize(
    "typed",
    ["K7PM-3XQ9-T2VD-8HCE", "k7pm3xq9t2vd8hce", " k7pm 3xq9 t2vd 8hce ", "K7PM－3XQ9－T2VD－8HCE"],
)
def test_a_code_is_read_however_it_is_typed(typed: str) -> None:
    assert normalised_code(typed) == "K7PM-3XQ9-T2VD-8HCE"


def test_misread_letters_are_taken_for_the_digits_they_look_like() -> None:
    assert normalised_code("O7PM-3XQ9-T2VD-8HCI") == "07PM-3XQ9-T2VD-8HC1"


@pytest.mark.parametrize(
    "typed", ["", "K7PM-3XQ9", "K7PM-3XQ9-T2VD-8HCE-0000", "U7PM-3XQ9-T2VD-8HCE", "张7PM-3XQ9-T2VD-8HCE"]
)
def test_what_cannot_be_a_code_is_refused(typed: str) -> None:
    assert normalised_code(typed) is None


def test_a_hash_is_64_hex_digits_in_any_case() -> None:
    assert normalised_sha256(" " + "AB" * 32 + " ") == "ab" * 32
    assert normalised_sha256("ab" * 31) is None and normalised_sha256("zz" * 32) is None


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张伟", "张*"),
        ("张小伟", "张*伟"),
        ("欧阳小明", "欧**明"),
        ("鞍山市某公司", "鞍山**公司"),
        ("鞍山市某某科技有限公司", "鞍山*****有限公司"),
        ("王", "王"),
    ],
)
def test_the_holder_is_shown_masked(name: str, masked: str) -> None:
    assert mask_name(name) == masked
    assert len(mask_name(name)) == len(name)
