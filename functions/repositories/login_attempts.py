"""Login lockout: 5 failures for one login name lock it for 15 minutes, whether or not the name exists."""

from __future__ import annotations

from ..services import Services

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def _key(login_key: str) -> tuple[str, str]:
    return f"LOGINFAIL#{login_key}", "COUNT"


def is_locked(services: Services, login_key: str) -> bool:
    record = services.table.get(*_key(login_key))
    return record is not None and record.get("value", 0) >= MAX_FAILURES


def record_failure(services: Services, login_key: str) -> int:
    """Count a failure; the lock runs 15 minutes from the latest one."""
    pk, sk = _key(login_key)
    return services.table.increment(pk, sk, expires_at=int(services.clock()) + LOCK_SECONDS)


def clear(services: Services, login_key: str) -> None:
    services.table.delete(*_key(login_key))
