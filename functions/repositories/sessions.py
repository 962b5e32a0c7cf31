"""Login sessions: an opaque random token in the cookie, only its SHA-256 stored; idle and absolute expiry."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from ..storage.interface import ConditionFailed, Table, Transaction

# Writing last_seen on every request would double the writes; a minute of slack on a 30-minute idle limit is fine.
TOUCH_INTERVAL_SECONDS = 60


@dataclass(frozen=True)
class Session:
    token_hash: str
    account_id: str
    created_at: int
    last_seen_at: int
    acting_for: str | None = None
    """The organisation the signed-in person chose to act for as its 经办人 (checked against the grant on every
    request, in dependencies.maybe_signed_in), or None."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Sessions:
    def __init__(self, table: Table, clock: Callable[[], float], idle_seconds: int, absolute_seconds: int) -> None:
        self._table, self._clock = table, clock
        self._idle, self._absolute = idle_seconds, absolute_seconds

    def create(self, account_id: str) -> str:
        """A new session for the account; returns the token for the cookie (never stored)."""
        token = secrets.token_urlsafe(32)
        token_hash = _hash(token)
        now = int(self._clock())
        expires_at = min(now + self._idle, now + self._absolute)
        self._table.transact(
            Transaction(
                puts=[
                    {
                        "pk": f"SESSION#{token_hash}",
                        "sk": "SESSION",
                        "account_id": account_id,
                        "created_at": now,
                        "last_seen_at": now,
                        "expires_at": expires_at,
                    },
                    # Listed under the account too, so a password change can end every other session.
                    {"pk": f"ACCOUNT#{account_id}", "sk": f"SESSION#{token_hash}", "expires_at": now + self._absolute},
                ]
            )
        )
        return token

    def resolve(self, token: str) -> Session | None:
        """The live session of a cookie token, refreshing its idle deadline; None if unknown or expired."""
        token_hash = _hash(token)
        record = self._table.get(f"SESSION#{token_hash}", "SESSION")
        if record is None:
            return None
        now = int(self._clock())
        if now - record["last_seen_at"] > self._idle or now - record["created_at"] > self._absolute:
            self.end(token_hash, record["account_id"])
            return None
        if now - record["last_seen_at"] >= TOUCH_INTERVAL_SECONDS:
            expires_at = min(now + self._idle, record["created_at"] + self._absolute)
            self._table.update(f"SESSION#{token_hash}", "SESSION", {"last_seen_at": now, "expires_at": expires_at})
        return Session(token_hash, record["account_id"], record["created_at"], now, record.get("acting_for"))

    def set_acting(self, token_hash: str, organization_id: str | None) -> None:
        """Act for the organisation from the next request on (None: act as oneself again)."""
        try:
            self._table.update(f"SESSION#{token_hash}", "SESSION", {"acting_for": organization_id})
        except ConditionFailed:
            pass  # the session ended meanwhile: there is nothing left to act in

    def end(self, token_hash: str, account_id: str) -> None:
        self._table.transact(
            Transaction(
                deletes=[
                    (f"SESSION#{token_hash}", "SESSION"),
                    (f"ACCOUNT#{account_id}", f"SESSION#{token_hash}"),
                ]
            )
        )

    def end_all(self, account_id: str, keep_token_hash: str | None = None) -> int:
        """End every session of the account except the one named; returns how many ended."""
        ended = 0
        for index in self._table.query(f"ACCOUNT#{account_id}", "SESSION#"):
            token_hash = index["sk"].removeprefix("SESSION#")
            if token_hash != keep_token_hash:
                self.end(token_hash, account_id)
                ended += 1
        return ended
