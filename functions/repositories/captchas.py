"""Captcha challenges: single use, expiring, answered case-insensitively."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from ..storage.interface import ConditionFailed, Table

TTL_SECONDS = 300
TEST_MODE_ANSWER = "0000"


class Captchas:
    def __init__(self, table: Table, clock: Callable[[], float], test_mode: bool = False) -> None:
        """test_mode: every answer is TEST_MODE_ANSWER (the local backend's PORTAL_TEST_MODE)."""
        self._table, self._clock, self._test_mode = table, clock, test_mode

    def create(self, answer: str) -> str:
        captcha_id = secrets.token_urlsafe(16)
        self._table.put(
            {
                "pk": f"CAPTCHA#{captcha_id}",
                "sk": "CAPTCHA",
                "answer": answer.upper(),
                "expires_at": int(self._clock()) + TTL_SECONDS,
            }
        )
        return captcha_id

    def consume(self, captcha_id: str, answer: str) -> bool:
        """True when the answer is right; the challenge is spent either way, so it cannot be guessed at."""
        try:
            # Marking it used is conditional, so two requests racing with one challenge cannot both pass.
            record = self._table.update(f"CAPTCHA#{captcha_id}", "CAPTCHA", {"used": True}, expected={"used": None})
        except ConditionFailed:
            return False
        expected = TEST_MODE_ANSWER if self._test_mode else str(record["answer"])
        # As bytes: compare_digest refuses non-ASCII text, and the answer is whatever a stranger typed.
        return secrets.compare_digest(answer.strip().upper().encode(), expected.encode())

    def answer_to_speak(self, captcha_id: str) -> str | None:
        """The answer of a live, unused challenge, for its spoken version; None otherwise."""
        record = self._table.get(f"CAPTCHA#{captcha_id[:64]}", "CAPTCHA")
        return str(record["answer"]) if record and not record.get("used") else None
