"""Per-client-address limits: how many requests of one kind one address may make in a window.

A fixed window per address and kind, counted by an atomic increment before anything else is done, so parallel
requests cannot slip past a read-then-count check. Generous by design (an office or a school shares one address
behind NAT); the per-account and per-phone limits (login lock, SMS cooldown and daily cap) do the fine work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..storage.interface import Table


@dataclass(frozen=True)
class Limit:
    kind: str
    requests: int
    window_seconds: int
    message: str


LOGIN = Limit("login", 60, 600, "该网络登录尝试过于频繁")
SMS = Limit("sms", 30, 3600, "该网络获取短信验证码过于频繁")
REGISTER = Limit("register", 30, 3600, "该网络注册过于频繁")
AVAILABILITY = Limit("availability", 300, 3600, "该网络查询登录名过于频繁")
REGISTER_CHECK = Limit("register-check", 300, 3600, "该网络检查注册信息过于频繁")
PASSWORD_RESET = Limit("reset", 30, 3600, "该网络找回密码过于频繁")
# A number and a name are all a lookup needs: the limit (and the captcha) keep anyone from trying numbers in bulk.
PROGRESS = Limit("progress", 60, 3600, "该网络查询办件进度过于频繁")
# Codes are 80 random bits, so guessing is hopeless anyway; the limit keeps the index from being scanned for fun.
VERIFY = Limit("verify", 120, 3600, "该网络核验文书过于频繁")


class RateLimits:
    def __init__(self, table: Table, clock: Callable[[], float], scale: float = 1) -> None:
        """scale multiplies every limit (tests and load runs from one address raise it)."""
        self._table, self._clock, self._scale = table, clock, scale

    def hit(self, limit: Limit, address: str) -> int | None:
        """Count one request from address; None while within the limit, else the seconds until the window ends."""
        now = int(self._clock())
        window = now // limit.window_seconds
        ends_at = (window + 1) * limit.window_seconds
        count = self._table.increment(f"RATE#{limit.kind}#{address}", str(window), expires_at=ends_at)
        return None if count <= limit.requests * self._scale else ends_at - now
