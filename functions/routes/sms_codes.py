"""短信验证码: sent only after a captcha, so a script cannot text strangers."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from ..dependencies import Store, limited
from ..domain import validators
from ..errors import ApiError
from ..field_checks import FieldChecks
from ..repositories import captchas, rate_limits, sms_codes
from ..schemas.accounts import SmsCodeRequest

router = APIRouter(prefix="/sms-codes", tags=["sms"])


@router.post("", status_code=status.HTTP_202_ACCEPTED, dependencies=[limited(rate_limits.SMS)])
def request_code(body: SmsCodeRequest, services: Store) -> Response:
    checks = FieldChecks()
    phone = checks.check("phone", validators.mobile, body.phone)
    checks.raise_if_any()
    if not captchas.consume(services, body.captcha_id, body.captcha_answer):
        raise ApiError(422, "captcha_wrong", "图片验证码不正确或已过期，请重新输入", {"captcha_answer": "验证码不正确"})
    sms_codes.send(services, body.purpose, phone)
    return Response(status_code=status.HTTP_202_ACCEPTED)
