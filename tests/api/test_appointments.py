"""预约办理 (GET /api/appointments/days and /slots, POST /api/appointments, GET, DELETE /{id}) and 审批工作台's 今日预约
(GET /api/review/appointments) on both backends.

The tests' clock stands at 2027-01-15 16:00 China time, a Friday. The fixture catalogue's 甲市 takes appointments
09:00—11:30 and 13:00—17:00 (13 half hours), 5 people a half hour, 14 days ahead; its 节假日安排 has a holiday on
Tuesday 2027-01-19 and a working Saturday (调休) on 2027-01-23.
"""

from __future__ import annotations

import datetime

import pytest
from fastapi.testclient import TestClient

from functions.domain.china_time import CHINA
from tests.api.conftest import ORIGIN
from tests.api.test_applications import other_applicant, staff_client
from tests.factories import login, register, sms_messages

SUBITEM = "210300-XK-0001-02"  # 养犬注销登记: not applied for online
ONLINE_SUBITEM = "210300-XK-0001-01"  # 养犬首次登记: online, no window step
QUERY = {"region": "210300", "subitem_code": SUBITEM}
MONDAY = "2027-01-18"


def at(day: str, clock: str) -> str:
    return f"{day}T{clock}:00+08:00"


@pytest.fixture
def applicant(services, client) -> TestClient:
    register(services, client)
    assert login(services, client).status_code == 200
    return client


def book(client: TestClient, start: str, **overrides):
    return client.post("/api/appointments", json={**QUERY, "start": start, **overrides})


def slots(client: TestClient, day: str, subitem: str = SUBITEM):
    return client.get("/api/appointments/slots", params={**QUERY, "subitem_code": subitem, "date": day})


def fill(services, day: str, clock: str, seats: int) -> None:
    """Seats taken by other people, written through the repository (registering each would cost more)."""
    start = int(datetime.datetime.fromisoformat(at(day, clock)).timestamp())
    for number in range(seats):
        services.appointments.book(
            {
                "id": f"{number:032x}",
                "owner": f"someone-{number}",
                "status": "booked",
                "region": "210300",
                "department": "bureau-social",
                "department_name": "甲市行政审批局社会事务科",
                "subitem_code": SUBITEM,
                "subitem_name": "养犬注销登记",
                "guide_url": "/alpha/guide/x/",
                "location": "甲市政务服务中心（甲市中心路）",
                "day": day,
                "clock": clock,
                "start": start,
                "end": start + 1800,
                "booked_at": start - 86400,
                "applicant_name": "某人",
                "applicant_phone": "13700000000",
            },
            5,
        )


# --- days and slots -------------------------------------------------------------------------------------------------


def test_the_booking_window_starts_tomorrow_and_knows_weekends_holidays_and_working_weekends(client) -> None:
    answer = client.get("/api/appointments/days", params=QUERY)
    assert answer.status_code == 200, answer.text
    options = answer.json()
    assert options["subitem_name"] == "养犬注销登记" and options["location"] == "甲市政务服务中心（甲市中心路）"
    assert options["department_name"] == "甲市行政审批局社会事务科"
    days = {day["date"]: (day["weekday"], day["open"]) for day in options["days"]}
    assert len(days) == 14 and min(days) == "2027-01-16" and max(days) == "2027-01-29"
    assert days["2027-01-16"] == ("周六", False) and days["2027-01-17"] == ("周日", False)
    assert days[MONDAY] == ("周一", True)
    assert days["2027-01-19"] == ("周二", False)  # holiday
    assert days["2027-01-23"] == ("周六", True)  # 调休上班


def test_a_working_day_has_its_half_hours_each_with_the_seats_left(client) -> None:
    answer = slots(client, MONDAY)
    assert answer.status_code == 200, answer.text
    day = answer.json()
    assert len(day) == 13
    assert day[0] == {"start": at(MONDAY, "09:00"), "end": at(MONDAY, "09:30"), "available": 5}
    assert [slot["start"][11:16] for slot in day[4:6]] == ["11:00", "13:00"]  # no slot over lunch
    assert day[-1]["end"] == at(MONDAY, "17:00")
    assert len(slots(client, "2027-01-23").json()) == 13  # a working Saturday


@pytest.mark.parametrize("day", ["2027-01-16", "2027-01-17", "2027-01-19"])
def test_weekends_and_holidays_have_no_slots(client, day) -> None:
    answer = slots(client, day)
    assert answer.status_code == 200 and answer.json() == []


@pytest.mark.parametrize("day", ["2027-01-14", "2027-01-15", "2027-01-30"])
def test_days_outside_the_window_are_refused(client, day) -> None:
    answer = slots(client, day)
    assert answer.status_code == 422, answer.text
    assert "date" in answer.json()["error"]["fields"]


def test_unknown_region_or_sub_item_and_sub_items_without_appointments(client) -> None:
    assert client.get("/api/appointments/days", params={**QUERY, "region": "999999"}).status_code == 404
    assert client.get("/api/appointments/days", params={**QUERY, "subitem_code": "NOPE-1"}).status_code == 404
    refused = slots(client, MONDAY, subitem=ONLINE_SUBITEM)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "not_bookable"
    beta = client.get("/api/appointments/days", params={"region": "210100", "subitem_code": "210100-XK-0001-01"})
    assert beta.status_code == 422 and beta.json()["error"]["code"] == "not_bookable"  # 乙市 takes none


# --- booking --------------------------------------------------------------------------------------------------------


def test_booking_answers_the_appointment_texts_and_posts_a_message(services, applicant) -> None:
    answer = book(applicant, at(MONDAY, "09:30"))
    assert answer.status_code == 201, answer.text
    booked = answer.json()
    assert len(booked["appointment_id"]) == 32
    assert booked["start"] == at(MONDAY, "09:30") and booked["end"] == at(MONDAY, "10:00")
    assert booked["location"] == "甲市政务服务中心（甲市中心路）"
    assert booked["status"] == "booked" and booked["cancellable"] is True and booked["cancel_deadline"] == "2027-01-17"
    assert slots(applicant, MONDAY).json()[1]["available"] == 4
    phone, text = sms_messages(services)[-1]
    assert phone == "13800138000" and "2027年1月18日 09:30—10:00" in text and "养犬注销登记" in text
    [message] = [m for m in applicant.get("/api/messages").json()["items"] if m["kind"] == "appointment"]
    assert message["title"] == "预约办理成功" and "甲市政务服务中心" in message["text"]
    mine = applicant.get("/api/appointments").json()["items"]
    assert [item["appointment_id"] for item in mine] == [booked["appointment_id"]]


def test_a_start_without_offset_is_china_time(applicant) -> None:
    answer = book(applicant, f"{MONDAY}T13:00:00")
    assert answer.status_code == 201, answer.text
    assert answer.json()["start"] == at(MONDAY, "13:00")


def test_a_full_slot_is_refused(services, applicant) -> None:
    fill(services, MONDAY, "10:00", 5)
    assert slots(applicant, MONDAY).json()[2]["available"] == 0
    answer = book(applicant, at(MONDAY, "10:00"))
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "slot_full"
    assert applicant.get("/api/appointments").json()["items"] == []


def test_one_booking_per_person_per_sub_item_per_day(services, applicant) -> None:
    assert book(applicant, at(MONDAY, "09:00")).status_code == 201
    again = book(applicant, at(MONDAY, "14:00"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_booked"
    assert book(applicant, at("2027-01-20", "09:00")).status_code == 201  # another day is another booking
    other = other_applicant(services, applicant)
    assert book(other, at(MONDAY, "09:00")).status_code == 201  # and another person is too


@pytest.mark.parametrize(
    ("start", "why"),
    [
        (at("2027-01-16", "09:00"), "周末"),  # Saturday
        (at("2027-01-19", "09:00"), "节假日"),  # holiday
        (at("2027-01-14", "09:00"), "明天"),  # past
        ("2027-01-15T17:30:00+08:00", "明天"),  # later today
        (at("2027-01-30", "09:00"), "14 天"),  # beyond the window
        (at(MONDAY, "08:30"), "时段"),  # before opening
        (at(MONDAY, "11:30"), "时段"),  # the morning's end
        (at(MONDAY, "12:00"), "时段"),  # lunch
        (at(MONDAY, "09:15"), "时段"),  # not on the half hour
        (at(MONDAY, "17:00"), "时段"),  # closing
    ],
)
def test_starts_the_centre_does_not_offer_are_refused(applicant, start, why) -> None:
    answer = book(applicant, start)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert why in error["message"] and "start" in error["fields"]


def test_an_offset_other_than_china_is_the_same_instant(applicant) -> None:
    answer = book(applicant, f"{MONDAY}T01:00:00Z")  # 09:00 in China
    assert answer.status_code == 201 and answer.json()["start"] == at(MONDAY, "09:00")


def test_booking_refuses_unknown_region_unknown_and_unbookable_sub_items(applicant) -> None:
    assert book(applicant, at(MONDAY, "09:00"), region="999999").status_code == 404
    assert book(applicant, at(MONDAY, "09:00"), subitem_code="NOPE-1").status_code == 404
    assert book(applicant, at(MONDAY, "09:00"), subitem_code=ONLINE_SUBITEM).status_code == 422
    assert book(applicant, "明天上午").status_code == 422


def test_anonymous_is_refused(client) -> None:
    assert book(client, at(MONDAY, "09:00")).status_code == 401
    assert client.get("/api/appointments").status_code == 401
    assert client.delete("/api/appointments/" + "0" * 32).status_code == 401


def test_staff_cannot_book(services, applicant) -> None:
    staff = staff_client(services, applicant)
    assert book(staff, at(MONDAY, "09:00")).status_code == 403


# --- cancelling -----------------------------------------------------------------------------------------------------


def test_cancelling_frees_the_seat_and_allows_booking_the_day_again(services, applicant) -> None:
    booked = book(applicant, at(MONDAY, "09:00")).json()
    cancelled = applicant.delete(f"/api/appointments/{booked['appointment_id']}")
    assert cancelled.status_code == 204, cancelled.text
    assert slots(applicant, MONDAY).json()[0]["available"] == 5
    [item] = applicant.get("/api/appointments").json()["items"]
    assert item["status"] == "cancelled" and item["status_label"] == "已取消" and item["cancellable"] is False
    assert "预约已取消" in [m["title"] for m in applicant.get("/api/messages").json()["items"]]
    assert "已取消" in sms_messages(services)[-1][1]
    again = applicant.delete(f"/api/appointments/{booked['appointment_id']}")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_cancelled"
    assert slots(applicant, MONDAY).json()[0]["available"] == 5  # released once only
    assert book(applicant, at(MONDAY, "10:00")).status_code == 201


def test_cancelling_is_possible_until_the_day_before_china_time(services, applicant) -> None:
    booked = book(applicant, at(MONDAY, "09:00")).json()
    services.clock.now = datetime.datetime(2027, 1, 17, 23, 59, tzinfo=CHINA).timestamp()
    assert login(services, applicant).status_code == 200  # the session ran out meanwhile
    assert applicant.get("/api/appointments").json()["items"][0]["cancellable"] is True
    services.clock.advance(60)  # Monday 00:00 in China (Sunday 16:00 UTC)
    [item] = applicant.get("/api/appointments").json()["items"]
    assert item["cancellable"] is False
    late = applicant.delete(f"/api/appointments/{booked['appointment_id']}")
    assert late.status_code == 409 and late.json()["error"]["code"] == "too_late"
    assert slots_left(services) == 4


def slots_left(services) -> int:
    return 5 - services.appointments.taken("210300", MONDAY).get("09:00", 0)


def test_another_users_appointment_is_not_found(services, applicant) -> None:
    booked = book(applicant, at(MONDAY, "09:00")).json()
    other = other_applicant(services, applicant)
    assert other.delete(f"/api/appointments/{booked['appointment_id']}").status_code == 404
    assert other.get("/api/appointments").json()["items"] == []
    assert applicant.delete("/api/appointments/not-an-id").status_code == 404
    assert slots_left(services) == 4


# --- 审批工作台: 今日预约 -----------------------------------------------------------------------------------------


def test_staff_see_the_days_bookings_of_their_department(services, applicant) -> None:
    booked = book(applicant, at(MONDAY, "14:00")).json()
    staff = staff_client(services, applicant)
    answer = staff.get("/api/review/appointments", params={"date": MONDAY})
    assert answer.status_code == 200, answer.text
    day = answer.json()
    assert day["date"] == MONDAY
    [item] = day["items"]
    assert item["appointment_id"] == booked["appointment_id"] and item["start"] == at(MONDAY, "14:00")
    assert item["applicant_name"] == "测试用户" and item["applicant_phone"] == "138****8000"
    assert staff.get("/api/review/appointments").json() == {"date": "2027-01-15", "items": []}  # today by default
    parent = staff_client(services, applicant, department="bureau", login_name="shenpi_as09")
    assert parent.get("/api/review/appointments", params={"date": MONDAY}).json()["items"] == []
    assert applicant.get("/api/review/appointments").status_code == 403
    assert TestClient(applicant.app, base_url=ORIGIN).get("/api/review/appointments").status_code == 401
    applicant.delete(f"/api/appointments/{booked['appointment_id']}")
    assert staff.get("/api/review/appointments", params={"date": MONDAY}).json()["items"] == []
