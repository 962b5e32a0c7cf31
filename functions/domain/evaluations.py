"""政务服务“好差评”: the five levels, what counts as satisfied and as a 差评, and the 整改 deadline of a 差评.

A 差评 (不满意 or 非常不满意) must be answered by the department within 5 working days: working days are Monday to
Friday in China time (public holidays and the weekends worked in their place are not modelled), and the deadline is
the end of the fifth working day after the day of the rating, so a 差评 given on a Friday evening or on a Sunday
is due by the end of the next Friday.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from .china_time import CHINA

RATING_LABELS: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
"""The five levels, best first, as the national rule names them."""
SATISFIED_MIN = 3
"""基本满意 and better count as satisfied (满意率)."""
BAD_MAX = 2
"""不满意 and 非常不满意 are 差评: a comment is required and the department answers with a 整改 reply."""
REPLY_WORKING_DAYS = 5


def is_bad(rating: int) -> bool:
    return rating <= BAD_MAX


def awaits_reply(evaluation: Mapping[str, Any] | None) -> bool:
    """Whether the application's evaluation is a 差评 the department has not answered yet."""
    if not evaluation:
        return False
    return is_bad(int(evaluation["rating"])) and not evaluation.get("reply")


def reply_deadline(rated_at: int, working_days: int = REPLY_WORKING_DAYS) -> int:
    """The last second (epoch) of the `working_days`-th working day after the day of the rating, China time."""
    day = datetime.datetime.fromtimestamp(rated_at, CHINA).date()
    counted = 0
    while counted < working_days:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:  # Monday..Friday
            counted += 1
    end = datetime.datetime.combine(day, datetime.time(23, 59, 59), CHINA)
    return int(end.timestamp())


def is_overdue(deadline: int, now: float) -> bool:
    return now > deadline
