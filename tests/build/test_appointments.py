"""预约办理 in the content and the catalogue: each region's service-centre sessions and capacity, the holiday schedule,
and which sub-items offer booking (not online, or a window step, unless the guide says otherwise)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitegen.catalog_export import catalog_files
from sitegen.errors import ContentError, ContentErrors
from sitegen.loading import load_catalog
from tests.conftest import FIXTURE_CONTENT, ROOT
from tests.factories import edit_front_matter, edit_yaml

EXPECTED_SITE = ROOT / "tests/fixtures/expected-site"
ALPHA = Path("regions/alpha")
FIRST = ALPHA / "items/pet-licence/first.md"  # online, no window step
CANCEL = ALPHA / "items/pet-licence/cancel.md"  # not online


def errors_of(content: Path) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_catalog(content)
    return [ContentError(e.path, e.field, e.problem).line for e in caught.value.errors]


def bookable(content: Path) -> dict[str, bool]:
    files = catalog_files(load_catalog(content))
    return {
        code: record["appointment"]
        for code, record in json.loads(files["catalog/210300/subitems-00.json"])["subitems"].items()
    }


def test_the_catalogue_carries_sessions_capacity_holidays_and_which_sub_items_are_bookable() -> None:
    files = catalog_files(load_catalog(FIXTURE_CONTENT))
    index = json.loads(files["catalog.json"])
    assert index["holidays"] == {"holidays": ["2027-01-19"], "workdays": ["2027-01-23"]}
    alpha, beta = sorted(index["regions"], key=lambda region: region["code"], reverse=True)
    assert alpha["appointment"] == {
        "sessions": [["09:00", "11:30"], ["13:00", "17:00"]],
        "slot_capacity": 5,
        "days_ahead": 14,
        "location": "甲市政务服务中心（甲市中心路）",
    }
    assert beta["appointment"] is None  # 乙市's centre takes none: its guides offer none either
    assert bookable(FIXTURE_CONTENT) == {"210300-XK-0001-01": False, "210300-XK-0001-02": True}
    beta_shard = json.loads(files["catalog/210100/subitems-00.json"])["subitems"]
    assert [record["appointment"] for record in beta_shard.values()] == [False]


def test_a_window_step_or_the_guides_own_word_decides(content_copy: Path) -> None:
    def window_step(front: dict) -> None:
        front["process"][0]["window"] = True

    edit_front_matter(content_copy / FIRST, window_step)
    edit_front_matter(content_copy / CANCEL, lambda front: front.update(appointment=False))
    assert bookable(content_copy) == {"210300-XK-0001-01": True, "210300-XK-0001-02": False}


def test_the_guide_page_links_to_booking_only_where_offered() -> None:
    site = EXPECTED_SITE  # the fixture's build, as test_golden.py keeps it
    offered = (site / "alpha/guide/210300-XK-0001-02/index.html").read_text(encoding="utf-8")
    assert 'href="/alpha/my/appointments/new/?region=210300&amp;item=210300-XK-0001-02"' in offered
    assert "预约办理" not in (site / "alpha/guide/210300-XK-0001-01/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("sessions", "problem"),
    [
        ([["09:00", "09:00"]], "办公时段 09:00—09:00 的结束时间应晚于开始时间"),
        ([["13:00", "17:00"], ["09:00", "11:30"]], "办公时段 09:00—11:30 与前一时段重叠或顺序颠倒"),
    ],
)
def test_sessions_must_be_in_order(content_copy: Path, sessions, problem) -> None:
    edit_yaml(
        content_copy / ALPHA / "region.yaml",
        lambda region: region["service_centre"]["appointment"].update(sessions=sessions),
    )
    assert errors_of(content_copy) == [f"content/{ALPHA}/region.yaml: service_centre.appointment: {problem}"]


def test_sessions_are_on_the_half_hour(content_copy: Path) -> None:
    edit_yaml(
        content_copy / ALPHA / "region.yaml",
        lambda region: region["service_centre"]["appointment"].update(sessions=[["08:45", "11:30"]]),
    )
    assert errors_of(content_copy) == [
        f"content/{ALPHA}/region.yaml: service_centre.appointment.sessions[0][0]: "
        "时间 '08:45' 应写成整点或半点的 HH:MM，如 08:30（预约时段每半小时一个）"
    ]


@pytest.mark.parametrize(
    ("holidays", "problem"),
    [
        (
            {"holidays": ["2027-01-23"], "workdays": ["2027-01-23"]},
            "2027-01-23 不能既是节假日（holidays）又是调休上班日（workdays）",
        ),
        ({"workdays": ["2027-01-20"]}, "调休上班日（workdays）应为周六或周日：2027-01-20 是工作日"),
    ],
)
def test_holiday_schedule_is_checked(content_copy: Path, holidays, problem) -> None:
    edit_yaml(content_copy / "portal.yaml", lambda portal: portal.update(holidays=holidays))
    assert errors_of(content_copy) == [f"content/portal.yaml: holidays: {problem}"]
