"""预约办理: the days and half hours a sub-item can be booked at its region's service centre, booking, the
applicant's own appointments (我的预约) and cancelling up to the day before.

Which sub-items can be booked, and the centre's sessions, capacity and the 节假日安排, come from the catalogue the
build wrote (never content/); the rules are functions.domain.appointments, the seats repositories.appointments.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Response, status

from .. import notifications
from ..application_views import china_time
from ..dependencies import CurrentUser, Store
from ..domain.appointments import (
    Calendar,
    bookable_days,
    can_cancel,
    day_refusal,
    day_slots,
    start_refusal,
    weekday_label,
)
from ..domain.china_time import CHINA, china_day
from ..errors import GUARDED, JSON_BODY, ApiError, error_responses
from ..repositories.appointments import new_appointment_id
from ..schemas.accounts import ResourceId
from ..schemas.appointments import (
    AppointmentCreate,
    AppointmentList,
    AppointmentView,
    BookingDay,
    BookingOptions,
    SlotView,
)
from ..services import Services

if TYPE_CHECKING:  # the catalogue's models load with the first request that reads it (catalogue_models.py)
    from ..catalogue_models import AppointmentRules, RegionRef, SubItem

router = APIRouter(prefix="/appointments", tags=["appointments"])
RegionQuery = Annotated[str, Query(pattern=r"^[0-9]{6}$", description="6 位行政区划代码，如 210300")]
SubitemQuery = Annotated[str, Query(max_length=60, description="事项编码")]
STATUS_LABELS = {"booked": "已预约", "cancelled": "已取消"}


def _bookable(services: Services, region_code: str, subitem_code: str) -> tuple[RegionRef, SubItem, AppointmentRules]:
    found = services.catalogue.subitem(region_code, subitem_code)
    if found is None:
        raise ApiError(404, "not_found", "事项不存在或已调整，请从服务指南重新进入", {"subitem_code": "事项不存在"})
    region, subitem = found
    if region.appointment is None or not subitem.appointment:
        raise ApiError(422, "not_bookable", "该事项暂不提供预约办理", {"subitem_code": "不提供预约办理"})
    return region, subitem, region.appointment


def _calendar(services: Services) -> Calendar:
    holidays = services.catalogue.index.holidays
    return Calendar(frozenset(holidays.holidays), frozenset(holidays.workdays))


def view(appointment: dict[str, Any], now: float) -> AppointmentView:
    booked = appointment["status"] == "booked"
    deadline = china_day(appointment["start"]) - datetime.timedelta(days=1)
    return AppointmentView(
        appointment_id=appointment["id"],
        start=china_time(appointment["start"]),
        end=china_time(appointment["end"]),
        location=appointment["location"],
        status=appointment["status"],
        status_label=STATUS_LABELS[appointment["status"]],
        region=appointment["region"],
        subitem_code=appointment["subitem_code"],
        subitem_name=appointment["subitem_name"],
        department_name=appointment["department_name"],
        guide_url=appointment["guide_url"],
        booked_at=china_time(appointment["booked_at"]),
        cancellable=booked and can_cancel(now, appointment["start"]),
        cancel_deadline=deadline.isoformat(),
    )


@router.get("/days", responses=error_responses(404, 422, 503))
def booking_days(
    services: Store,
    region: RegionQuery,
    subitem_code: SubitemQuery,
) -> BookingOptions:
    """The booking window (tomorrow on, for the centre's days ahead), each day open or not; no login needed."""
    region_ref, subitem, rules = _bookable(services, region, subitem_code)
    calendar = _calendar(services)
    days = [
        BookingDay(date=day.isoformat(), weekday=weekday_label(day), open=calendar.is_working_day(day))
        for day in bookable_days(services.clock(), rules.days_ahead)
    ]
    return BookingOptions(
        region=region_ref.code,
        region_name=region_ref.name,
        subitem_code=subitem.code,
        subitem_name=subitem.name,
        department_name=services.catalogue.department_name(region_ref.code, subitem.department),
        location=rules.location,
        days=days,
    )


@router.get("/slots", responses=error_responses(404, 422, 503))
def slots(
    services: Store,
    response: Response,
    region: RegionQuery,
    subitem_code: SubitemQuery,
    date: Annotated[datetime.date, Query(description="日期，如 2027-01-18")],
) -> list[SlotView]:
    """The day's half hours and the seats left in each; none on a weekend or holiday."""
    region_ref, _, rules = _bookable(services, region, subitem_code)
    why = day_refusal(services.clock(), date, rules.days_ahead)
    if why:
        raise ApiError(422, "invalid", why, {"date": why})
    response.headers["Cache-Control"] = "no-store"
    if not _calendar(services).is_working_day(date):
        return []
    taken = services.appointments.taken(region_ref.code, date.isoformat())
    return [
        SlotView(
            start=slot.start.isoformat(timespec="seconds"),
            end=slot.end.isoformat(timespec="seconds"),
            available=max(0, rules.slot_capacity - taken.get(slot.clock, 0)),
        )
        for slot in day_slots(rules.sessions, date)
    ]


@router.post("", status_code=status.HTTP_201_CREATED, responses=error_responses(401, 403, 404, 409, 503, *JSON_BODY))
def book(body: AppointmentCreate, user: CurrentUser, services: Store) -> AppointmentView:
    account = user.account
    if account.get("role") == "staff":
        raise ApiError(403, "forbidden", "审批人员账号不能预约办理")
    region, subitem, rules = _bookable(services, body.region, body.subitem_code)
    if account["account_type"] not in subitem.audiences:
        raise ApiError(422, "wrong_audience", "该事项的服务对象不包括当前账号类型", {"subitem_code": "服务对象不符"})
    start = body.start if body.start.tzinfo else body.start.replace(tzinfo=CHINA)
    now = services.clock()
    why, slot = start_refusal(now, start.astimezone(CHINA), rules.sessions, rules.days_ahead, _calendar(services))
    if slot is None:
        raise ApiError(422, "invalid", why, {"start": why})
    appointment = {
        "id": new_appointment_id(),
        "owner": account["id"],
        "status": "booked",
        "region": region.code,
        "department": subitem.department,
        "department_name": services.catalogue.department_name(region.code, subitem.department),
        "subitem_code": subitem.code,
        "subitem_name": subitem.name,
        "guide_url": subitem.guide_url,
        "location": rules.location,
        "day": slot.start.date().isoformat(),
        "clock": slot.clock,
        "start": int(slot.start.timestamp()),
        "end": int(slot.end.timestamp()),
        "booked_at": int(now),
        "applicant_name": account.get("real_name") or "",
        "applicant_phone": account.get("phone") or "",
    }
    kind, title, text = notifications.appointment_message(appointment)
    booked = services.appointments.book(
        appointment,
        rules.slot_capacity,
        also=lambda writes: services.messages.posting(account["id"], kind, title, text, into=writes),
    )
    notifications.appointment_booked(services.sms, account, booked)
    return view(booked, now)


@router.get("", responses=error_responses(401))
def my_appointments(user: CurrentUser, services: Store, response: Response) -> AppointmentList:
    """我的预约: the latest start first, cancelled ones too."""
    response.headers["Cache-Control"] = "no-store"
    now = services.clock()
    return AppointmentList(items=[view(item, now) for item in services.appointments.of_owner(user.account["id"])])


@router.delete(
    "/{appointment_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401, 404, 409, 422, *GUARDED)
)
def cancel(appointment_id: ResourceId, user: CurrentUser, services: Store) -> Response:
    """取消预约, up to the day before; the seat is free again at once."""
    account = user.account
    appointment = services.appointments.get(account["id"], appointment_id)
    if appointment["status"] != "booked":
        raise ApiError(409, "already_cancelled", "该预约已取消")
    if not can_cancel(services.clock(), appointment["start"]):
        raise ApiError(409, "too_late", "预约当天及之后不能取消，如不能按时前往，请致电办理地点说明")
    kind, title, text = notifications.appointment_cancelled_message(appointment)
    cancelled = services.appointments.cancel(
        appointment, also=lambda writes: services.messages.posting(account["id"], kind, title, text, into=writes)
    )
    notifications.appointment_cancelled(services.sms, account, cancelled)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
