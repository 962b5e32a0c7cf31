"""办件编号: region code + date (China time) + the region's sequence of the day, e.g. 21030020261126 00042."""

from __future__ import annotations

import time

CHINA_OFFSET_SECONDS = 8 * 3600
SEQUENCE_DIGITS = 5


def china_date(epoch_seconds: float) -> str:
    return time.strftime("%Y%m%d", time.gmtime(epoch_seconds + CHINA_OFFSET_SECONDS))


def format_number(region_code: str, date: str, sequence: int) -> str:
    return f"{region_code}{date}{sequence:0{SEQUENCE_DIGITS}d}"
