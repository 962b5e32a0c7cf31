"""预约办理: appointments at a region's service centre, the seats of each half hour, and each department's day list.

A slot of capacity N has N numbered seats. Booking one writes, in one transaction of puts-if-absent:
- the seat (APPTSEAT#<region>#<day>, <HH:MM>#<seat>): seat numbers stop at the capacity, so no more than N can
  exist, however many people book at once, on either backend;
- the once-a-day item (APPTONCE#<owner>, <sub-item>#<day>): a second booking of the same sub-item on the same
  day by the same person fails on it, even from two tabs at the same moment;
- the appointment itself under its owner (APPT#<owner>, <id>), so another account's id finds nothing;
- the department's day index (APPTDAY#<region>#<department>#<day>, <HH:MM>#<id>) for 审批工作台's 今日预约;
- and whatever the caller adds (the 消息中心 message), stored together or not at all.
A seat taken meanwhile fails the transaction; the next free seat is tried, and when none is left the slot is full.
Cancelling sets the appointment's status on condition it is still booked, and deletes its seat, once-a-day item
and index in the same transaction: the seat is free again exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from ..storage.interface import ConditionFailed, Table, Transaction
from .errors import Conflict, NotFound

Appointment = dict[str, Any]
ID_LENGTH = 32
KEEP_INDEX_SECONDS = 30 * 86400
"""Seats, once-a-day items and day lists are kept a month past the day (TTL), then go; the appointment stays."""


class SlotFull(Conflict):
    def __init__(self) -> None:
        super().__init__("slot_full", "该时段已约满，请选择其他时段", {"start": "已约满"})


class AlreadyBooked(Conflict):
    def __init__(self) -> None:
        super().__init__(
            "already_booked", "您当天已预约过该事项，同一事项每天只能预约一次", {"start": "当天已预约该事项"}
        )


def _seat_key(region: str, day: str, clock: str, seat: int) -> tuple[str, str]:
    return f"APPTSEAT#{region}#{day}", f"{clock}#{seat:03d}"


def _once_key(owner: str, subitem_code: str, day: str) -> tuple[str, str]:
    return f"APPTONCE#{owner}", f"{subitem_code}#{day}"


def _own_key(owner: str, appointment_id: str) -> tuple[str, str]:
    return f"APPT#{owner}", appointment_id


def _day_key(region: str, department: str, day: str, clock: str, appointment_id: str) -> tuple[str, str]:
    return f"APPTDAY#{region}#{department}#{day}", f"{clock}#{appointment_id}"


def new_appointment_id() -> str:
    return uuid.uuid4().hex


def is_appointment_id(text: str) -> bool:
    return len(text) == ID_LENGTH and all(c in "0123456789abcdef" for c in text)


class Appointments:
    def __init__(self, table: Table, clock: Callable[[], float]) -> None:
        self._table, self._clock = table, clock

    def taken(self, region: str, day: str) -> dict[str, int]:
        """HH:MM -> seats booked, for each slot of the day that has any."""
        counts: dict[str, int] = {}
        for item in self._table.query(f"APPTSEAT#{region}#{day}"):
            clock = item["sk"].split("#")[0]
            counts[clock] = counts.get(clock, 0) + 1
        return counts

    def book(
        self, appointment: Appointment, capacity: int, also: Callable[[Transaction], object] | None = None
    ) -> Appointment:
        """Store the appointment (id, owner, region, department, subitem_code, day, clock, start, ...) on a free seat
        of its slot; SlotFull or AlreadyBooked otherwise. `also` adds its writes to the same transaction."""
        owner, region, day, clock = (
            appointment["owner"],
            appointment["region"],
            appointment["day"],
            appointment["clock"],
        )
        once = _once_key(owner, appointment["subitem_code"], day)
        if self._table.get(*once) is not None:
            raise AlreadyBooked()
        seats_pk = f"APPTSEAT#{region}#{day}"
        taken = {item["sk"] for item in self._table.query(seats_pk, f"{clock}#")}
        expires_at = int(appointment["end"]) + KEEP_INDEX_SECONDS
        for seat in range(1, capacity + 1):
            seat_pk, seat_sk = _seat_key(region, day, clock, seat)
            if seat_sk in taken:
                continue
            record = {**appointment, "seat": seat}
            day_pk, day_sk = _day_key(region, appointment["department"], day, clock, appointment["id"])
            transaction = Transaction(
                puts_if_absent=[
                    {"pk": seat_pk, "sk": seat_sk, "appointment_id": appointment["id"], "expires_at": expires_at},
                    {"pk": once[0], "sk": once[1], "appointment_id": appointment["id"], "expires_at": expires_at},
                    {"pk": _own_key(owner, appointment["id"])[0], "sk": appointment["id"], **record},
                    {"pk": day_pk, "sk": day_sk, **record, "expires_at": expires_at},
                ]
            )
            if also:
                also(transaction)
            try:
                self._table.transact(transaction)
                return record
            except ConditionFailed:
                if self._table.get(*once) is not None:
                    raise AlreadyBooked() from None
                continue  # someone took this seat meanwhile: try the next
        raise SlotFull()

    def of_owner(self, owner: str) -> list[Appointment]:
        """The owner's appointments, the latest start first."""
        records = self._table.query(f"APPT#{owner}")
        return sorted((_appointment(record) for record in records), key=lambda a: a["start"], reverse=True)

    def get(self, owner: str, appointment_id: str) -> Appointment:
        stored = self._table.get(*_own_key(owner, appointment_id)) if is_appointment_id(appointment_id) else None
        if stored is None:
            raise NotFound("not_found", "预约不存在")
        return _appointment(stored)

    def cancel(self, appointment: Appointment, also: Callable[[Transaction], object] | None = None) -> Appointment:
        """Cancel a booked appointment and free its seat; Conflict if it was cancelled already."""
        now = int(self._clock())
        owner, region, day, clock = (
            appointment["owner"],
            appointment["region"],
            appointment["day"],
            appointment["clock"],
        )
        transaction = Transaction(
            updates=[
                (
                    *_own_key(owner, appointment["id"]),
                    {"status": "cancelled", "cancelled_at": now},
                    {"status": "booked"},
                )
            ],
            deletes=[
                _seat_key(region, day, clock, appointment["seat"]),
                _once_key(owner, appointment["subitem_code"], day),
                _day_key(region, appointment["department"], day, clock, appointment["id"]),
            ],
        )
        if also:
            also(transaction)
        try:
            self._table.transact(transaction)
        except ConditionFailed:
            raise Conflict("already_cancelled", "该预约已取消") from None
        return {**appointment, "status": "cancelled", "cancelled_at": now}

    def of_department(self, region: str, department: str, day: str) -> list[Appointment]:
        """The department's booked appointments of the day, in time order."""
        return [_appointment(record) for record in self._table.query(f"APPTDAY#{region}#{department}#{day}")]


def _appointment(record: dict[str, Any]) -> Appointment:
    return {key: value for key, value in record.items() if key not in ("pk", "sk", "expires_at")}
