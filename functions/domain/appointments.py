"""预约办理's rules: which days and half hours a service centre takes appointments, and until when one is cancelled.

Plain functions of the catalogue's rules (sessions, days ahead, the 节假日安排) and China's clock; no storage, no HTTP.
A day can be booked from tomorrow on, for `days_ahead` days: booking today would leave no day to cancel on, since
an appointment can be cancelled up to the day before it (China time).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .china_time import CHINA, china_day

SLOT_MINUTES = 30
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Calendar:
    """The State Council's 节假日安排 as the catalogue carries it: ISO dates."""

    holidays: Collection[str]
    workdays: Collection[str]
    """Weekend days that are working days (调休上班)."""

    def is_working_day(self, day: datetime.date) -> bool:
        iso = day.isoformat()
        if iso in self.workdays:
            return True
        return day.weekday() < 5 and iso not in self.holidays


@dataclass(frozen=True)
class Slot:
    start: datetime.datetime
    end: datetime.datetime

    @property
    def clock(self) -> str:
        """The start as HH:MM, China time: the slot's key within its day."""
        return f"{self.start:%H:%M}"


def day_slots(sessions: Sequence[Sequence[str]], day: datetime.date) -> list[Slot]:
    """The half-hour slots of the day's sessions (whether or not the day is a working day)."""
    slots: list[Slot] = []
    for start_text, end_text in sessions:
        start = _at(day, start_text)
        end = _at(day, end_text)
        while start + datetime.timedelta(minutes=SLOT_MINUTES) <= end:
            following = start + datetime.timedelta(minutes=SLOT_MINUTES)
            slots.append(Slot(start, following))
            start = following
    return slots


def _at(day: datetime.date, clock: str) -> datetime.datetime:
    hours, minutes = clock.split(":")
    return datetime.datetime.combine(day, datetime.time(int(hours), int(minutes)), CHINA)


def bookable_days(now: float, days_ahead: int) -> list[datetime.date]:
    """Tomorrow and the days after it that can be booked, working or not (the page shows the closed ones)."""
    today = china_day(now)
    return [today + datetime.timedelta(days=offset) for offset in range(1, days_ahead + 1)]


def day_refusal(now: float, day: datetime.date, days_ahead: int) -> str | None:
    """Why the day cannot be booked at all (in the past, today, too far ahead), or None."""
    today = china_day(now)
    if day <= today:
        return "只能预约明天及以后的日期"
    if day > today + datetime.timedelta(days=days_ahead):
        return f"只能预约 {days_ahead} 天内的日期"
    return None


def start_refusal(
    now: float, start: datetime.datetime, sessions: Sequence[Sequence[str]], days_ahead: int, calendar: Calendar
) -> tuple[str, Slot | None]:
    """("", the slot) if an appointment can start at `start` (aware), else (why not, None)."""
    day = china_day(start)
    why = day_refusal(now, day, days_ahead)
    if why:
        return why, None
    if not calendar.is_working_day(day):
        return "该日为周末或法定节假日，政务服务中心不办公", None
    slot = next((slot for slot in day_slots(sessions, day) if slot.start == start), None)
    if slot is None:
        return "所选时间不是可预约的时段（每半小时一个时段，须在办公时间内）", None
    return "", slot


def can_cancel(now: float, start: float) -> bool:
    """Up to the day before: on the day itself, or after it, the seat is kept."""
    return china_day(now) < china_day(start)


def weekday_label(day: datetime.date) -> str:
    """周一 … 周日."""
    return "周" + WEEKDAYS[day.weekday()]
