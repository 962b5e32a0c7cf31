"""Captcha challenges: single use, expiring, answered case-insensitively."""

from __future__ import annotations

import secrets

from ..services import Services
from ..storage.interface import ConditionFailed

TTL_SECONDS = 300
TEST_MODE_ANSWER = "0000"


def create(services: Services, answer: str) -> str:
    captcha_id = secrets.token_urlsafe(16)
    services.table.put(
        {
            "pk": f"CAPTCHA#{captcha_id}",
            "sk": "CAPTCHA",
            "answer": answer.upper(),
            "expires_at": int(services.clock()) + TTL_SECONDS,
        }
    )
    return captcha_id


def consume(services: Services, captcha_id: str, answer: str) -> bool:
    """True when the answer is right; the challenge is spent either way, so it cannot be guessed at."""
    try:
        # Marking it used is conditional, so two requests racing with one challenge cannot both pass.
        record = services.table.update(f"CAPTCHA#{captcha_id}", "CAPTCHA", {"used": True}, expected={"used": None})
    except ConditionFailed:
        return False
    expected = TEST_MODE_ANSWER if services.settings.test_mode else record["answer"]
    # As bytes: compare_digest refuses non-ASCII text, and the answer is whatever a stranger typed.
    return secrets.compare_digest(answer.strip().upper().encode(), expected.encode())


def answer_to_speak(services: Services, captcha_id: str) -> str | None:
    """The answer of a live, unused challenge, for its spoken version; None otherwise."""
    record = services.table.get(f"CAPTCHA#{captcha_id[:64]}", "CAPTCHA")
    return record["answer"] if record and not record.get("used") else None
