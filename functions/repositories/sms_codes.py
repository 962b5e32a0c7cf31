"""SMS verification codes: 6 digits, valid 5 minutes, 5 tries, 60 s between sends, a daily cap per phone."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from ..errors import ApiError
from ..services import Services
from ..storage.interface import ConditionFailed

CODE_TTL_SECONDS = 300
MAX_ATTEMPTS = 5
RESEND_SECONDS = 60
DAILY_CAP = 10
PURPOSES = {"register": "注册", "reset_password": "找回密码", "change_phone": "更换手机号码"}


def _key(purpose: str, phone: str) -> tuple[str, str]:
    return f"SMS#{purpose}#{phone}", "CODE"


def _digest(services: Services, code: str) -> str:
    return hmac.new(services.secret, code.encode(), hashlib.sha256).hexdigest()


def send(services: Services, purpose: str, phone: str, note: str = "") -> None:
    """Issue a new code and text it (with `note` before the code, if given); refuses inside the resend interval
    or past the daily cap."""
    now = int(services.clock())
    # The interval is held by an item that exists for RESEND_SECONDS: creating it is the atomic check, so two
    # requests at once cannot both send (a read of the last send time would let both through).
    if not services.table.put_if_absent(
        {"pk": f"SMSWAIT#{purpose}#{phone}", "sk": "WAIT", "sent_at": now, "expires_at": now + RESEND_SECONDS}
    ):
        held = services.table.get(f"SMSWAIT#{purpose}#{phone}", "WAIT")
        wait = max(1, RESEND_SECONDS - (now - held["sent_at"])) if held else 1
        raise ApiError(
            429,
            "sms_too_frequent",
            f"短信发送过于频繁，请 {wait} 秒后再试",
            {"phone": "请稍后再获取验证码"},
            headers={"Retry-After": str(wait)},
        )
    day = time.strftime("%Y%m%d", time.gmtime(now + 8 * 3600))  # the day as people in China count it
    sent_today = services.table.increment(f"SMSDAY#{phone}#{day}", "COUNT", expires_at=now + 2 * 86400)
    if sent_today > DAILY_CAP:
        until_midnight = 86400 - (now + 8 * 3600) % 86400  # China's midnight, when the day's count starts anew
        raise ApiError(
            429,
            "sms_daily_cap",
            "该手机号今日获取验证码次数已达上限，请明天再试",
            {"phone": "今日次数已达上限"},
            headers={"Retry-After": str(until_midnight)},
        )
    code = f"{secrets.randbelow(10**6):06d}"
    services.table.put(
        {
            "pk": _key(purpose, phone)[0],
            "sk": "CODE",
            "code_hash": _digest(services, code),
            "attempts": 0,
            "sent_at": now,
            "expires_at": now + CODE_TTL_SECONDS,
        }
    )
    services.sms.send(
        phone, f"【辽宁政务服务网】{note}您的{PURPOSES[purpose]}验证码为 {code}，5 分钟内有效。请勿泄露给他人。"
    )


def verify(services: Services, purpose: str, phone: str, code: str) -> None:
    """Count the try and check the code; raise ApiError naming the sms_code field if it is wrong.

    The code stays valid until `consume`, so a registration refused for another reason can be corrected
    and sent again without a new SMS.
    """
    pk, sk = _key(purpose, phone)
    record = services.table.get(pk, sk)
    if record is None:
        raise ApiError(
            422, "sms_code_invalid", "短信验证码已过期或未获取，请重新获取", {"sms_code": "请重新获取验证码"}
        )
    try:
        record = services.table.update(
            pk, sk, {"attempts": record["attempts"] + 1}, expected={"attempts": record["attempts"]}
        )
    except ConditionFailed:
        raise ApiError(409, "sms_code_busy", "验证码正在校验中，请重试", {"sms_code": "请重试"}) from None
    if record["attempts"] > MAX_ATTEMPTS:
        services.table.delete(pk, sk)
        raise ApiError(422, "sms_code_exhausted", "验证码错误次数过多，请重新获取", {"sms_code": "请重新获取验证码"})
    if not hmac.compare_digest(record["code_hash"], _digest(services, code.strip())):
        raise ApiError(422, "sms_code_wrong", "短信验证码不正确", {"sms_code": "短信验证码不正确"})


def consume(services: Services, purpose: str, phone: str) -> None:
    """Spend a verified code once what it authorised is done."""
    services.table.delete(*_key(purpose, phone))
