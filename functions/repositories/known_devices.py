"""The browsers each account has signed in from, so a login from a new one is told to the account's owner.

A browser is known by a random token in a long-lived cookie; only the token's hash is stored, under the account,
and it is forgotten a year after its last login there.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from ..storage.interface import Table

REMEMBER_SECONDS = 365 * 86400


def _partition(account_id: str) -> str:
    return f"DEVICE#{account_id}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_device_token() -> str:
    return secrets.token_urlsafe(32)


class KnownDevices:
    def __init__(self, table: Table, clock: Callable[[], float]) -> None:
        self._table, self._clock = table, clock

    def is_known(self, account_id: str, token: str | None) -> bool:
        return bool(token) and self._table.get(_partition(account_id), _hash(token or "")) is not None

    def any_known(self, account_id: str) -> bool:
        return bool(self._table.query(_partition(account_id), limit=1))

    def remember(self, account_id: str, token: str, description: str) -> None:
        """Record (or refresh) the browser's login: it stays known for a year from now."""
        now = int(self._clock())
        self._table.put(
            {
                "pk": _partition(account_id),
                "sk": _hash(token),
                "description": description,
                "last_login_at": now,
                "expires_at": now + REMEMBER_SECONDS,
            }
        )
