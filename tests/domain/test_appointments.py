"""预约办理's rules: working days with holidays and 调休, half-hour slots of the sessions, the booking window, and
cancelling up to the day before, all on China's clock."""

from __future__ import annotations

import datetime

from functions.domain.appointments import Calendar, bookable_days, can_cancel, day_refusal, day_slots, start_refusal
from functions.domain.china_time import CHINA

CALENDAR = Calendar(holidays={"2026-10-01", "2026-10-02"}, workdays={"2026-10-10"})
SESSIONS = [["08:30", "11:30"], ["13:00", "16:30"]]


def china(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=CHINA)


def test_weekends_and_holidays_are_closed_and_a_working_weekend_day_is_open() -> None:
    assert CALENDAR.is_working_day(datetime.date(2026, 9, 30))  # Wednesday
    assert not CALENDAR.is_working_day(datetime.date(2026, 10, 1))  # 国庆节, a Thursday
    assert not CALENDAR.is_working_day(datetime.date(2026, 10, 3))  # Saturday
    assert CALENDAR.is_working_day(datetime.date(2026, 10, 10))  # Saturday, 调休上班


def test_the_sessions_are_cut_into_half_hours() -> None:
    slots = day_slots(SESSIONS, datetime.date(2026, 12, 3))
    assert len(slots) == 6 + 7
    assert (slots[0].start, slots[0].end) == (china(2026, 12, 3, 8, 30), china(2026, 12, 3, 9, 0))
    assert [slot.clock for slot in slots[5:7]] == ["11:00", "13:00"]
    assert slots[-1].end == china(2026, 12, 3, 16, 30)


def test_the_window_is_tomorrow_on_in_china_even_when_it_is_still_yesterday_in_utc() -> None:
    late_evening = china(2026, 12, 2, 23, 30).timestamp()  # 15:30 UTC on 2 December
    assert bookable_days(late_evening, 2) == [datetime.date(2026, 12, 3), datetime.date(2026, 12, 4)]
    assert day_refusal(late_evening, datetime.date(2026, 12, 2), 14) == "只能预约明天及以后的日期"
    assert day_refusal(late_evening, datetime.date(2026, 12, 17), 14) == "只能预约 14 天内的日期"
    assert day_refusal(late_evening, datetime.date(2026, 12, 16), 14) is None


def test_a_start_must_be_a_slot_of_an_open_day() -> None:
    now = china(2026, 12, 2, 10, 0).timestamp()
    why, slot = start_refusal(now, china(2026, 12, 3, 13, 0), SESSIONS, 14, CALENDAR)
    assert why == "" and slot is not None and slot.clock == "13:00"
    assert start_refusal(now, china(2026, 12, 3, 16, 30), SESSIONS, 14, CALENDAR)[1] is None  # closing time
    assert "周末" in start_refusal(now, china(2026, 12, 5, 9, 0), SESSIONS, 14, CALENDAR)[0]


def test_cancelling_ends_at_midnight_before_the_day_china_time() -> None:
    start = china(2026, 12, 3, 9, 0).timestamp()
    assert can_cancel(china(2026, 12, 2, 23, 59).timestamp(), start)
    assert not can_cancel(china(2026, 12, 3, 0, 0).timestamp(), start)
