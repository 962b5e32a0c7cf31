"""找回密码: 登录名 + the registered phone + an SMS code sent to it."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Response, status

from .. import notifications
from ..dependencies import Store, limited
from ..domain import passwords, validators
from ..errors import JSON_BODY, ApiError, error_responses
from ..field_checks import FieldChecks
from ..repositories import rate_limits
from ..schemas.accounts import PasswordReset

router = APIRouter(prefix="/password-resets", tags=["accounts"])

# A code sent for another account's phone is wrong for this one: the same answer as a wrong code, so a reset
# never tells whether a login name exists or which phone it has.
WRONG_CODE = "短信验证码不正确或已过期，请重新获取"


@router.post(
    "",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[limited(rate_limits.PASSWORD_RESET)],
    responses=error_responses(409, 429, *JSON_BODY),
)
def reset_password(body: PasswordReset, services: Store) -> Response:
    checks = FieldChecks()
    phone = checks.check("phone", validators.mobile, body.phone)
    checks.check("new_password", passwords.check_password_rules, body.new_password, body.login_name)
    checks.raise_if_any()
    # The code proves the phone first, so this endpoint cannot be used to probe which names exist.
    services.sms_codes.verify("reset_password", phone, body.sms_code)
    account = services.accounts.find_by_login_name(body.login_name)
    if account is None or not hmac.compare_digest(account.get("phone", ""), phone):
        raise ApiError(422, "sms_code_wrong", WRONG_CODE, {"sms_code": WRONG_CODE})
    services.accounts.update(account["id"], {"password_hash": passwords.hash_password(body.new_password)})
    services.sms_codes.consume("reset_password", phone)
    services.sessions.end_all(account["id"])
    services.login_attempts.clear(validators.login_name_key(body.login_name))
    notifications.security_notice(
        services.sms, services.messages, account, "登录密码已通过“找回密码”重设", services.clock()
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
