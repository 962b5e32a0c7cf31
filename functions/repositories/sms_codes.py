"""SMS verification codes: 6 digits, valid 5 minutes, 5 tries, 60 s between sends, a daily cap per phone.

The repository issues and checks codes; sending the text is the caller's (notifications.send_code).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

from ..storage.interface import ConditionFailed, Table
from .errors import Invalid, RecordChanged, TooFrequent

CODE_TTL_SECONDS = 300
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
DAILY_CAP = 10


def _key(purpose: str, phone: str) -> tuple[str, str]:
    return f"SMS#{purpose}#{phone}", "CODE"


class SmsCodes:
    def __init__(self, table: Table, clock: Callable[[], float], secret: bytes) -> None:
        """secret keys the codes' digests, so the stored records do not give the codes away."""
        self._table, self._clock, self._secret = table, clock, secret

    def _digest(self, code: str) -> str:
        return hmac.new(self._secret, code.encode(), hashlib.sha256).hexdigest()

    def issue(self, purpose: str, phone: str) -> str:
        """A new code for the phone, stored (as its digest) and returned for the text; TooFrequent inside the
        resend interval or past the daily cap."""
        now = int(self._clock())
        self._hold_interval(purpose, phone, now)
        day = time.strftime("%Y%m%d", time.gmtime(now + 8 * 3600))  # the day as people in China count it
        sent_today = self._table.increment(f"SMSDAY#{phone}#{day}", "COUNT", expires_at=now + 2 * 86400)
        if sent_today > DAILY_CAP:
            until_midnight = 86400 - (now + 8 * 3600) % 86400  # China's midnight, when the day's count starts anew
            raise TooFrequent(
                "sms_daily_cap",
                "该手机号今日获取验证码次数已达上限，请明天再试",
                {"phone": "今日次数已达上限"},
                retry_after=until_midnight,
            )
        code = f"{secrets.randbelow(10**6):06d}"
        self._table.put(
            {
                "pk": _key(purpose, phone)[0],
                "sk": "CODE",
                "code_hash": self._digest(code),
                "attempts": 0,
                "sent_at": now,
                "expires_at": now + CODE_TTL_SECONDS,
            }
        )
        return code

    def _hold_interval(self, purpose: str, phone: str, now: int) -> None:
        """The interval is held by an item that exists for RESEND_SECONDS: creating it is the atomic check, so
        two requests at once cannot both send (a read of the last send time would let both through)."""
        if self._table.put_if_absent(
            {"pk": f"SMSWAIT#{purpose}#{phone}", "sk": "WAIT", "sent_at": now, "expires_at": now + RESEND_SECONDS}
        ):
            return
        held = self._table.get(f"SMSWAIT#{purpose}#{phone}", "WAIT")
        wait = max(1, RESEND_SECONDS - (now - held["sent_at"])) if held else 1
        raise TooFrequent(
            "sms_too_frequent",
            f"短信发送过于频繁，请 {wait} 秒后再试",
            {"phone": "请稍后再获取验证码"},
            retry_after=wait,
        )

    def verify(self, purpose: str, phone: str, code: str) -> None:
        """Count the try and check the code; Invalid (naming the sms_code field) if it is wrong.

        The code stays valid until `consume`, so a registration refused for another reason can be corrected
        and sent again without a new SMS.
        """
        pk, sk = _key(purpose, phone)
        record = self._table.get(pk, sk)
        if record is None:
            raise Invalid("sms_code_invalid", "短信验证码已过期或未获取，请重新获取", {"sms_code": "请重新获取验证码"})
        try:
            record = self._table.update(
                pk, sk, {"attempts": record["attempts"] + 1}, expected={"attempts": record["attempts"]}
            )
        except ConditionFailed:
            # Another try at the same code is being counted this moment.
            raise RecordChanged("验证码正在校验中，请重试", {"sms_code": "请重试"}, code="sms_code_busy") from None
        if record["attempts"] > MAX_ATTEMPTS:
            self._table.delete(pk, sk)
            raise Invalid("sms_code_exhausted", "验证码错误次数过多，请重新获取", {"sms_code": "请重新获取验证码"})
        if not hmac.compare_digest(record["code_hash"], self._digest(code.strip())):
            raise Invalid("sms_code_wrong", "短信验证码不正确", {"sms_code": "短信验证码不正确"})

    def consume(self, purpose: str, phone: str) -> None:
        """Spend a verified code once what it authorised is done."""
        self._table.delete(*_key(purpose, phone))
