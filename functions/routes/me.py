"""个人中心: read and edit one's own account, change the password.

Always the signed-in person's own account (SignedIn.person), also while they act for an organisation as its 经办人:
a handler sees and changes their own profile and password, never the organisation's.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from .. import notifications
from ..dependencies import CurrentUser, OptionalUser, SignedIn, Store
from ..domain import passwords, validators
from ..domain.masking import mask_id_number, mask_phone
from ..errors import JSON_BODY, ApiError, error_responses
from ..field_checks import FieldChecks
from ..presenters import account_public
from ..repositories import login_attempts
from ..schemas.accounts import AccountPublic, AccountUpdate, ActingFor, Me, MeSignedIn, MeSignedOut, PasswordChange
from ..sealing import seal

router = APIRouter(prefix="/me", tags=["me"])


@router.get("")
def read_me(user: OptionalUser, response: Response) -> Me:
    """Who is signed in: their profile with signed_in true, or only signed_in false for a visitor."""
    response.headers["Cache-Control"] = "no-store"
    if user is None:
        return MeSignedOut()
    return MeSignedIn(**dict(me_view(user)))


def me_view(user: SignedIn) -> AccountPublic:
    """The person's own profile, and the organisation they act for, if they do."""
    view = account_public(user.person)
    if user.acting:
        org = user.account["organization"]
        view.acting_for = ActingFor(id=user.account["id"], name=org["name"], credit_code=org["credit_code"])
    return view


@router.patch("", responses=error_responses(401, 409, *JSON_BODY))
def edit_me(body: AccountUpdate, user: CurrentUser, services: Store) -> AccountPublic:
    account = user.person
    checks = FieldChecks()
    changes: dict[str, Any] = {}
    if body.email is not None:
        changes["email"] = checks.check("email", validators.email, body.email)
    org_changes = _organization_changes(account, body, checks, services.secret)
    if org_changes:
        changes["organization"] = {**account["organization"], **org_changes}
    new_phone = checks.check("phone", validators.mobile, body.phone) if body.phone is not None else None
    if new_phone and new_phone != account["phone"] and not body.sms_code:
        checks.fail("sms_code", "更换手机号码需要填写发送到新号码的短信验证码")
    checks.raise_if_any()

    if new_phone and new_phone != account["phone"]:
        services.sms_codes.verify("change_phone", new_phone, body.sms_code or "")
        changed = services.accounts.change_phone(account, new_phone, changes)  # ValueTaken: 409, a person has it
        services.sms_codes.consume("change_phone", new_phone)
        notifications.security_notice(
            services.sms, services.messages, account, f"绑定手机号已更换为 {mask_phone(new_phone)}", services.clock()
        )
        return account_public(changed)
    return account_public(services.accounts.update(account["id"], changes) if changes else account)


def _organization_changes(
    account: dict[str, Any], body: AccountUpdate, checks: FieldChecks, secret: bytes
) -> dict[str, Any]:
    org = body.organization
    if org is None:
        return {}
    if account["account_type"] != "legal":
        checks.fail("organization", "自然人账号没有机构信息")
        return {}
    changes: dict[str, Any] = {}
    if org.handler_name is not None:
        changes["handler_name"] = checks.check(
            "organization.handler_name", validators.real_name, org.handler_name, label="经办人姓名"
        )
    if org.handler_phone is not None:
        changes["handler_phone"] = checks.check(
            "organization.handler_phone", validators.mobile, org.handler_phone, label="经办人手机"
        )
    if org.handler_id_number is not None:
        number = checks.check(
            "organization.handler_id_number", validators.resident_id, org.handler_id_number, label="经办人身份证号码"
        )
        if number:
            changes["handler_id_number_sealed"] = seal(secret, number)
            changes["handler_id_number_masked"] = mask_id_number(number)
    return changes


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401, 429, *JSON_BODY))
def change_password(body: PasswordChange, user: CurrentUser, services: Store) -> Response:
    account = user.person
    # The old password is guessed at like a login (a session left open on a shared computer): the same count.
    login_key = validators.login_name_key(account["login_name"])
    if not services.login_attempts.admit(login_key):
        raise ApiError(
            429,
            "locked",
            "原密码错误次数过多，请 15 分钟后再试",
            {"old_password": "错误次数过多"},
            headers={"Retry-After": str(login_attempts.LOCK_SECONDS)},
        )
    if not passwords.verify_password(account["password_hash"], body.old_password):
        raise ApiError(422, "wrong_password", "原密码不正确", {"old_password": "原密码不正确"})
    checks = FieldChecks()
    checks.check("new_password", passwords.check_password_rules, body.new_password, account["login_name"])
    checks.raise_if_any()
    services.accounts.update(account["id"], {"password_hash": passwords.hash_password(body.new_password)})
    services.login_attempts.clear(login_key)
    services.sessions.end_all(account["id"], keep_token_hash=user.session.token_hash)
    notifications.security_notice(services.sms, services.messages, account, "登录密码已修改", services.clock())
    return Response(status_code=status.HTTP_204_NO_CONTENT)
