"""China's clock, for every date and time the portal shows, numbers or decides by (Lambda's clock is UTC).

China has had no daylight saving since 1991, so a fixed offset is exact (and needs no tzdata on Lambda).
"""

from __future__ import annotations

import datetime
from typing import Final

CHINA: Final = datetime.timezone(datetime.timedelta(hours=8), "Asia/Shanghai")


def china_day(moment: datetime.datetime | float) -> datetime.date:
    """The date in China of an aware datetime or of epoch seconds."""
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is None:
            raise ValueError("a naive datetime has no date in China; give its time zone")
        return moment.astimezone(CHINA).date()
    return datetime.datetime.fromtimestamp(moment, CHINA).date()


def chinese_date(day: datetime.date) -> str:
    """2026年12月2日, as documents and notices write dates."""
    return f"{day.year}年{day.month}月{day.day}日"


def wall_clock(epoch: float) -> str:
    """China's wall clock as people read it in a notice: 2026年12月2日 09:05."""
    moment = datetime.datetime.fromtimestamp(epoch, CHINA)
    return f"{chinese_date(moment.date())} {moment:%H:%M}"
