"""Date fields of an application form: a real date, and one that can be (issue 14: a future 出生日期 was accepted)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest

from functions.domain import InvalidValue, form_values

TODAY = datetime.date(2026, 12, 2)


@dataclass(frozen=True)
class DateField:
    label: str = "出生日期"
    not_before: str | None = None
    not_after: str | None = None
    name: str = "birth_date"
    type: str = "date"
    required: bool = True
    options: tuple[str, ...] = field(default_factory=tuple)


def check(spec: DateField, text: str) -> str:
    return form_values.check_value(spec, text, today=TODAY)


def refusal(spec: DateField, text: str) -> str:
    with pytest.raises(InvalidValue) as caught:
        check(spec, text)
    return caught.value.message


def test_a_birth_date_may_be_today_or_earlier_but_not_tomorrow() -> None:
    born = DateField(not_after="today")
    assert check(born, "2026-12-02") == "2026-12-02"
    assert check(born, "１９９０-０５-１７") == "1990-05-17"
    assert refusal(born, "2026-12-03") == "出生日期不能晚于今天"


def test_today_is_china_s_day_not_the_server_s() -> None:
    """At 20:00 UTC on 1 December it is already 2 December in China: a child born that morning may be registered."""
    evening_utc = datetime.datetime(2026, 12, 1, 20, 0, tzinfo=datetime.UTC).timestamp()
    born = DateField(not_after="today")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(form_values.time, "time", lambda: evening_utc)
        assert form_values.check_value(born, "2026-12-02") == "2026-12-02"
        values, errors = form_values.check_form([born], {"birth_date": "2026-12-03"}, complete=True)
    assert values == {} and errors == {"birth_date": "出生日期不能晚于今天"}


def test_without_limits_of_its_own_a_date_stays_within_a_plausible_window() -> None:
    plain = DateField(label="清算结束日期")
    assert check(plain, "1900-01-01") == "1900-01-01"
    assert refusal(plain, "1899-12-31") == "清算结束日期不能早于1900年1月1日，请核对年份"
    assert check(plain, "2126-12-02") == "2126-12-02"
    assert refusal(plain, "2126-12-03") == "清算结束日期不能晚于2126年12月2日，请核对年份"
    assert refusal(plain, "0990-05-17") == "清算结束日期不能早于1900年1月1日，请核对年份"


def test_a_field_s_own_limits_replace_the_window_on_their_side() -> None:
    expiry = DateField(label="有效期届满日期", not_before="today")
    assert refusal(expiry, "2026-12-01") == "有效期届满日期不能早于今天"
    assert refusal(expiry, "2127-01-01") == "有效期届满日期不能晚于2126年12月2日，请核对年份"
    since = DateField(label="开始收住老年人日期", not_before="2020-01-01", not_after="today")
    assert refusal(since, "2019-12-31") == "开始收住老年人日期不能早于2020年1月1日"
    assert check(since, "2020-01-01") == "2020-01-01"


def test_the_window_ends_on_28_february_when_a_century_later_has_no_29th() -> None:
    assert form_values.check_value(DateField(), "2124-02-29", today=datetime.date(2024, 2, 29)) == "2124-02-29"
    leap_day = datetime.date(2000, 2, 29)
    assert form_values.check_value(DateField(), "2100-02-28", today=leap_day) == "2100-02-28"
    with pytest.raises(InvalidValue, match="2100年2月28日"):
        form_values.check_value(DateField(), "2100-03-01", today=leap_day)


def test_a_draft_keeps_what_was_typed_wrong_and_refuses_what_no_one_types() -> None:
    """Issue 14: a wrong value is kept, as typed, with its problem; a select choice not offered, an unknown field,
    a value of another kind or longer than the page allows is refused."""
    born = DateField(not_after="today")
    kind = DateField(name="kind", label="类型", type="select", options=("甲", "乙"))
    note = DateField(name="note", label="备注", type="text")
    draft = form_values.check_draft(
        [born, kind, note],
        {"birth_date": " 2026-12-03 ", "kind": "丙", "note": "好", "colour": "黄"},
        today=TODAY,
    )
    assert draft.values == {"note": "好"}
    assert draft.kept == {"birth_date": "2026-12-03"}
    assert draft.problems == {"birth_date": "出生日期不能晚于今天"}
    assert set(draft.refused) == {"kind", "colour"}
    assert set(form_values.check_draft([note], {"note": "长" * 201}, today=TODAY).refused) == {"note"}
    assert set(form_values.check_draft([note], {"note": True}, today=TODAY).refused) == {"note"}


def test_the_date_window_is_what_a_date_input_s_min_and_max_show() -> None:
    assert form_values.date_window(None, "today", TODAY) == (datetime.date(1900, 1, 1), TODAY)
    assert form_values.date_window("2020-01-01", None, TODAY) == (datetime.date(2020, 1, 1), datetime.date(2126, 12, 2))
