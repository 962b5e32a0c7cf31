"""Login lockout: 5 tries that fail for one login name lock it for 15 minutes, whether or not the name exists.

Every try is counted before its password is checked (an atomic increment), and only the first MAX_FAILURES of a
window are checked at all, so parallel guesses cannot get more tries than sequential ones: the slow password
hash is the window a read-then-count lock would leave open. A successful login clears the count.
"""

from __future__ import annotations

from collections.abc import Callable

from ..storage.interface import Table

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def _key(login_key: str) -> tuple[str, str]:
    return f"LOGINFAIL#{login_key}", "COUNT"


class LoginAttempts:
    def __init__(self, table: Table, clock: Callable[[], float]) -> None:
        self._table, self._clock = table, clock

    def admit(self, login_key: str) -> bool:
        """Count a try at this login name; False when the name is locked (the try is then not evaluated)."""
        pk, sk = _key(login_key)
        tries = self._table.increment(pk, sk, expires_at=int(self._clock()) + LOCK_SECONDS)
        return tries <= MAX_FAILURES

    def clear(self, login_key: str) -> None:
        self._table.delete(*_key(login_key))
