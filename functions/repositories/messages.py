"""消息中心: each account's in-site messages, newest first, and which of them are still unread.

A message is kept under its owner's partition, so another account's message id finds nothing. Every unread message
also has an index item (UNREAD#<owner>); reading a message removes it in the same transaction as the message's
`read` flag, so the header's count never drifts from the list, on either backend, however many tabs read at once.
A message id starts with its time in milliseconds: the list's sort key order is the newest-first order.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from ..storage.interface import ConditionFailed, Table, Transaction
from .errors import NotFound

Message = dict[str, Any]
KINDS = ("status", "correction", "document", "security", "evaluation_reply", "appointment")
"""status: an application's status changed; correction: 补正 asked for; document: a result document issued;
security: password or phone changed, a login from a new device; evaluation_reply: a department's 整改 reply;
appointment: a 预约办理 booked or cancelled."""
ID_LENGTH = 32
# Read-all marks messages in transactions of this many (each message and its unread index: two writes).
READ_ALL_BATCH = 25


def _partition(owner: str) -> str:
    return f"INBOX#{owner}"


def _unread_partition(owner: str) -> str:
    return f"UNREAD#{owner}"


def _sk(message_id: str) -> str:
    return f"MSG#{message_id}"


def new_message_id(at_ms: int) -> str:
    """Time-ordered and unguessable: 13 digits of milliseconds, then 19 random hex digits."""
    return f"{at_ms:013d}{uuid.uuid4().hex[: ID_LENGTH - 13]}"


def is_message_id(text: str) -> bool:
    return len(text) == ID_LENGTH and text[:13].isdigit() and all(c in "0123456789abcdef" for c in text[13:])


class Messages:
    def __init__(self, table: Table, clock: Callable[[], float]) -> None:
        self._table, self._clock = table, clock

    def posting(
        self,
        owner: str,
        kind: str,
        title: str,
        text: str,
        application_id: str | None = None,
        into: Transaction | None = None,
    ) -> Transaction:
        """The writes of a new message (and its unread index), added to `into` if given: a status change and its
        message are stored together or not at all."""
        if kind not in KINDS:
            raise ValueError(f"unknown message kind {kind!r}")
        at = self._clock()
        message_id = new_message_id(int(at * 1000))
        message = {
            "id": message_id,
            "at": int(at),
            "kind": kind,
            "title": title,
            "text": text,
            "application_id": application_id,
            "read": False,
        }
        transaction = into or Transaction()
        transaction.puts_if_absent.append({"pk": _partition(owner), "sk": _sk(message_id), **message})
        transaction.puts_if_absent.append({"pk": _unread_partition(owner), "sk": message_id})
        return transaction

    def post(self, owner: str, kind: str, title: str, text: str, application_id: str | None = None) -> None:
        self._table.transact(self.posting(owner, kind, title, text, application_id))

    def page(self, owner: str, limit: int, after: str | None = None) -> tuple[list[Message], str | None]:
        """Up to `limit` messages newest first, continuing after the message id `after`; and the id to continue
        after for the next page (None on the last)."""
        records = self._table.query(
            _partition(owner), "MSG#", descending=True, limit=limit + 1, start_after=_sk(after) if after else None
        )
        page = [_message(record) for record in records[:limit]]
        return page, (page[-1]["id"] if len(records) > limit else None)

    def unread_count(self, owner: str) -> int:
        return len(self._table.query(_unread_partition(owner)))

    def mark_read(self, owner: str, message_id: str) -> Message:
        """The message, read; NotFound if the owner has no such message. Reading it twice changes nothing."""
        stored = self._table.get(_partition(owner), _sk(message_id)) if is_message_id(message_id) else None
        if stored is None:
            raise NotFound("not_found", "消息不存在")
        if not stored["read"]:
            self._mark(owner, [message_id])
        return {**_message(stored), "read": True}

    def mark_all_read(self, owner: str) -> int:
        """Mark every unread message read; the number marked."""
        unread = [record["sk"] for record in self._table.query(_unread_partition(owner))]
        for start in range(0, len(unread), READ_ALL_BATCH):
            self._mark(owner, unread[start : start + READ_ALL_BATCH])
        return len(unread)

    def _mark(self, owner: str, message_ids: list[str]) -> None:
        transaction = Transaction(
            updates=[
                (_partition(owner), _sk(message_id), {"read": True}, {"read": False}) for message_id in message_ids
            ],
            deletes=[(_unread_partition(owner), message_id) for message_id in message_ids],
        )
        try:
            self._table.transact(transaction)
        except ConditionFailed:
            # Another tab read one of them meanwhile: mark the rest one by one, each atomic with its index.
            for message_id in message_ids:
                try:
                    self._table.transact(
                        Transaction(
                            updates=[(_partition(owner), _sk(message_id), {"read": True}, {"read": False})],
                            deletes=[(_unread_partition(owner), message_id)],
                        )
                    )
                except ConditionFailed:
                    pass  # already read


def _message(record: dict[str, Any]) -> Message:
    return {key: record.get(key) for key in ("id", "at", "kind", "title", "text", "application_id", "read")}
