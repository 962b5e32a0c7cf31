"""The 整改 deadline of a 差评: the end of the fifth working day after the rating's day, China time."""

from __future__ import annotations

import datetime

import pytest

from functions.domain.evaluations import is_overdue, reply_deadline

CHINA = datetime.timezone(datetime.timedelta(hours=8))


def at(text: str) -> int:
    return int(datetime.datetime.fromisoformat(text).timestamp())


@pytest.mark.parametrize(
    ("rated", "deadline"),
    [
        ("2027-01-11T09:00:00+08:00", "2027-01-18T23:59:59+08:00"),  # Monday: to the next Monday
        ("2027-01-13T23:30:00+08:00", "2027-01-20T23:59:59+08:00"),  # Wednesday night: Thu Fri Mon Tue Wed
        ("2027-01-15T16:00:00+08:00", "2027-01-22T23:59:59+08:00"),  # Friday
        ("2027-01-16T10:00:00+08:00", "2027-01-22T23:59:59+08:00"),  # Saturday: the weekend counts nothing
        ("2027-01-17T10:00:00+08:00", "2027-01-22T23:59:59+08:00"),  # Sunday
        ("2027-01-17T17:30:00+00:00", "2027-01-25T23:59:59+08:00"),  # Sunday in UTC, already Monday in China
    ],
)
def test_the_deadline_skips_weekends_in_china_time(rated, deadline) -> None:
    assert datetime.datetime.fromtimestamp(reply_deadline(at(rated)), CHINA).isoformat() == deadline


def test_overdue_only_after_the_deadlines_last_second() -> None:
    deadline = reply_deadline(at("2027-01-15T16:00:00+08:00"))
    assert not is_overdue(deadline, deadline) and is_overdue(deadline, deadline + 1)
