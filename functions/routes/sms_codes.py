"""短信验证码: sent only after a captcha, so a script cannot text strangers.

The answer never tells whether a phone or a login name has an account: a registration code to a phone that has
one says so in the text itself (only the phone's owner reads it), and a 找回密码 code goes only to the phone of
the account named, with the same 202 whether or not it was sent.
"""

from __future__ import annotations

import hmac

from fastapi import APIRouter, status

from .. import notifications
from ..dependencies import Store, limited
from ..domain import validators
from ..errors import JSON_BODY, ApiError, error_responses
from ..field_checks import FieldChecks
from ..repositories import rate_limits
from ..repositories.sms_codes import CODE_TTL_SECONDS, RESEND_SECONDS
from ..schemas.accounts import SmsCodeRequest, SmsCodeSent

router = APIRouter(prefix="/sms-codes", tags=["sms"])
# The pages count down and word the code's lifetime from these, rather than keeping copies of the rules.
SENT = SmsCodeSent(retry_after=RESEND_SECONDS, expires_in=CODE_TTL_SECONDS)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[limited(rate_limits.SMS)],
    responses=error_responses(429, *JSON_BODY),
)
def request_code(body: SmsCodeRequest, services: Store) -> SmsCodeSent:
    checks = FieldChecks()
    phone = checks.check("phone", validators.mobile, body.phone)
    if body.purpose == "reset_password" and not body.login_name:
        checks.fail("login_name", "请先填写登录名")
    checks.raise_if_any()
    if not services.captchas.consume(body.captcha_id, body.captcha_answer):
        raise ApiError(422, "captcha_wrong", "图片验证码不正确或已过期，请重新输入", {"captcha_answer": "验证码不正确"})
    if body.purpose == "reset_password":
        account = services.accounts.find_by_login_name(body.login_name or "")
        if account is None or not hmac.compare_digest(account.get("phone", ""), phone):
            return SENT  # nothing sent, nothing told
    note = ""
    if body.purpose == "register" and services.accounts.phone_registered(phone):
        note = "该手机号已注册自然人账号，如忘记密码请使用“找回密码”；"
    code = services.sms_codes.issue(body.purpose, phone)
    notifications.send_code(services.sms, phone, body.purpose, code, note)
    return SENT
