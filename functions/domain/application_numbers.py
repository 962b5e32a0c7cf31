"""办件编号: region code + date (China time) + the region's sequence of the day, e.g. 21030020261126 00042."""

from __future__ import annotations

import re
import time

CHINA_OFFSET_SECONDS = 8 * 3600
SEQUENCE_DIGITS = 5
_REGION = re.compile(r"[0-9]{6}")
_DATE = re.compile(r"[0-9]{8}")


def china_date(epoch_seconds: float) -> str:
    return time.strftime("%Y%m%d", time.gmtime(epoch_seconds + CHINA_OFFSET_SECONDS))


def format_number(region_code: str, date: str, sequence: int) -> str:
    """The number, or ValueError for parts that would not give a well-formed one.

    Past 99,999 a day the sequence would take a sixth digit: a longer number that every reader of the
    format (the 办件进度查询, staff's search, printed receipts) would misread, so none is issued.
    """
    if not (_REGION.fullmatch(region_code) and _DATE.fullmatch(date)):
        raise ValueError(f"办件编号的地区代码应为6位数字、日期应为8位数字: {region_code!r}, {date!r}")
    if not 1 <= sequence < 10**SEQUENCE_DIGITS:
        raise ValueError(f"办件编号的当日序号超出范围: {sequence}")
    return f"{region_code}{date}{sequence:0{SEQUENCE_DIGITS}d}"
