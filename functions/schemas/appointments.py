"""预约办理: the booking page's days and slots, the applicant's appointments, and 审批工作台's 今日预约."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from .accounts import Body
from .applications import Code

RegionCode = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="6 位行政区划代码，如 210300")]
AppointmentStatus = Literal["booked", "cancelled"]


# POST /appointments: book the half hour that starts at `start` (China time when no offset is given).
class AppointmentCreate(Body):
    region: RegionCode
    subitem_code: Code
    start: datetime.datetime = Field(description="时段开始时间，ISO 8601，如 2027-01-18T09:00:00+08:00")


# GET /appointments/slots: one half hour of a day and the seats left in it.
class SlotView(BaseModel):
    start: str
    """China time, ISO 8601."""
    end: str
    available: int
    """Seats left (0: 已约满)."""


# One day of the booking window: open or not (weekend, holiday).
class BookingDay(BaseModel):
    date: str
    weekday: str
    """周一 … 周日."""
    open: bool
    """False on a weekend or holiday (a 调休 working weekend day is open)."""


# GET /appointments/days: what the booking page shows before a day is picked.
class BookingOptions(BaseModel):
    region: str
    region_name: str
    subitem_code: str
    subitem_name: str
    department_name: str
    location: str
    days: list[BookingDay]


# An appointment as its holder sees it (POST /appointments answers it too).
class AppointmentView(BaseModel):
    appointment_id: str
    start: str
    """China time, ISO 8601."""
    end: str
    location: str
    status: AppointmentStatus
    status_label: str
    region: str
    subitem_code: str
    subitem_name: str
    department_name: str
    guide_url: str
    booked_at: str
    cancellable: bool
    """Booked, and before the day of the appointment (China time)."""
    cancel_deadline: str
    """The last day it can be cancelled on (ISO date)."""


class AppointmentList(BaseModel):
    items: list[AppointmentView]


# 审批工作台's 今日预约: who comes to the department's windows on the day.
class DepartmentAppointment(BaseModel):
    appointment_id: str
    start: str
    end: str
    subitem_code: str
    subitem_name: str
    applicant_name: str
    applicant_phone: str
    """Masked."""


class DepartmentDay(BaseModel):
    date: str
    items: list[DepartmentAppointment]
