"""Registration (申请账号), the live 登录名 availability check, and the check of a whole form before 提交."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Query, status

from ..dependencies import Store, limited
from ..domain import passwords, validators
from ..domain.masking import lookup_hash, mask_id_number
from ..errors import JSON_BODY, ApiError, error_responses
from ..field_checks import FieldChecks
from ..presenters import account_public
from ..repositories import accounts, rate_limits, uploads
from ..repositories.accounts import Account, UniqueValues
from ..repositories.errors import ValueTaken
from ..schemas.accounts import (
    LOGIN_NAME_PATTERN,
    AccountCreate,
    AccountPublic,
    Availability,
    OrganizationCreate,
    RegistrationChecks,
)
from ..sealing import seal
from ..services import Services

router = APIRouter(prefix="/accounts", tags=["accounts"])


@router.get("/availability", dependencies=[limited(rate_limits.AVAILABILITY)], responses=error_responses(422, 429))
def availability(
    services: Store, login_name: str = Query(max_length=100, json_schema_extra={"pattern": LOGIN_NAME_PATTERN})
) -> Availability:
    checks = FieldChecks()
    checks.check("login_name", validators.login_name, login_name)
    checks.raise_if_any()
    return Availability(login_name=login_name, available=services.accounts.login_name_available(login_name))


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    dependencies=[limited(rate_limits.REGISTER)],
    responses=error_responses(409, 429, *JSON_BODY),
)
def register(body: AccountCreate, services: Store) -> AccountPublic:
    checks = FieldChecks()
    validated, organization = _validated(services, body, checks)
    checks.raise_if_any()
    assert validated is not None  # every check that failed was recorded, and raised above
    record, unique = validated
    if organization:
        unique = replace(unique, credit_code=organization["record"]["credit_code"])
    # The code first: until the phone is proved, nothing tells whether a phone or an ID number has an account.
    services.sms_codes.verify("register", record["phone"], body.sms_code)
    _refuse_taken(services, unique)

    licence_key, claim = None, None
    if organization:
        # The licence leaves the quarantine area (which expires) for the account's own place.
        quarantine_key = organization["record"]["license_key"]
        licence_key = uploads.licence_key(record["id"], quarantine_key)
        _keep_licence(services, quarantine_key, licence_key, organization["content_type"])
        record["organization"] = {**organization["record"], "license_key": licence_key}
        claim = services.uploads.claim(organization["upload_id"], record["id"])
        # 我的材料 offers the licence to later applications: its entry is made with the account, or not at all.
        claim.puts_if_absent.extend(
            services.material_library.licence_writes(record["id"], organization["upload"], licence_key)
        )
    record["password_hash"] = passwords.hash_password(body.password)
    try:
        services.accounts.create(record, unique, also=claim)
    except ValueTaken:
        # Someone registered the same name or number in the moment since the checks above.
        if licence_key:
            services.blobs.delete(licence_key)
        raise
    if organization:
        services.blobs.delete(quarantine_key)
    services.sms_codes.consume("register", record["phone"])
    return account_public(record)


@router.post("/checks", dependencies=[limited(rate_limits.REGISTER_CHECK)], responses=error_responses(429, *JSON_BODY))
def check_registration(body: AccountCreate, services: Store) -> RegistrationChecks:
    """Every problem 提交 would find in the form, at once, so the page shows them in one round with its own checks
    (empty fields, the two passwords). Registers nothing, never reads the SMS code, and says nothing of whether a
    phone, ID number or credit code has an account (only a proved SMS code lets registration say that)."""
    checks = FieldChecks()
    _validated(services, body, checks)
    return RegistrationChecks(fields=checks.errors)


def _validated(
    services: Services, body: AccountCreate, checks: FieldChecks
) -> tuple[tuple[Account, UniqueValues] | None, dict[str, Any] | None]:
    """The account and (法人) organisation as registered, each None when a check failed; every failure in checks."""
    validated = _validated_account(services, body, checks)
    organization = None
    if body.account_type == "legal":
        if body.organization is None:
            checks.fail("organization", "法人注册请填写机构信息")
        else:
            organization = _validated_organization(services, body.organization, checks)
    return validated, organization


def _keep_licence(services: Services, quarantine_key: str, licence_key: str, content_type: str) -> None:
    """Write the checked licence image, write-once, to the account's key (the bucket refuses copies there)."""
    try:
        data = services.blobs.read(quarantine_key)
    except KeyError:  # expired from quarantine since the checks above
        raise ApiError(
            422,
            "invalid",
            "营业执照图片已过期，请重新上传",
            {"organization.license_upload_id": "请重新上传营业执照图片"},
        ) from None
    services.blobs.put(licence_key, data, content_type)


def _validated_account(
    services: Services, body: AccountCreate, checks: FieldChecks
) -> tuple[Account, UniqueValues] | None:
    login_name = checks.check("login_name", validators.login_name, body.login_name)
    checks.check("password", passwords.check_password_rules, body.password, body.login_name)
    real_name = checks.check("real_name", validators.real_name, body.real_name)
    id_number = checks.check("id_number", validators.resident_id, body.id_number)
    email = checks.check("email", validators.email, body.email)
    phone = checks.check("phone", validators.mobile, body.phone)
    if not body.agreement_accepted:
        checks.fail("agreement_accepted", "请阅读并勾选《辽宁省政务服务网注册协议》")
    if not body.sms_code:
        checks.fail("sms_code", "请填写短信验证码")
    if checks.errors:
        return None
    id_hash = lookup_hash(services.secret, "resident_id", id_number)
    record = {
        "id": accounts.new_id(),
        "account_type": body.account_type,
        "role": "applicant",
        "login_name": login_name,
        "real_name": real_name,
        "email": email,
        "phone": phone,
        "id_number_sealed": seal(services.secret, id_number),
        "id_number_masked": mask_id_number(id_number),
        "id_hash": id_hash,
        "created_at": int(services.clock()),
    }
    if body.account_type == "natural":
        # Among natural persons one phone and one 身份证 make one account; an organisation's handler may
        # also have a personal account, so legal accounts do not take these.
        return record, UniqueValues(login_name, phone=phone, id_hash=id_hash)
    return record, UniqueValues(login_name)


def _validated_organization(services: Services, org: OrganizationCreate, checks: FieldChecks) -> dict[str, Any] | None:
    name = checks.check("organization.name", validators.organization_name, org.name)
    credit_code = checks.check("organization.credit_code", validators.credit_code, org.credit_code)
    authority = checks.check(
        "organization.registration_authority", validators.registration_authority, org.registration_authority
    )
    representative = checks.check(
        "organization.legal_representative", validators.real_name, org.legal_representative, label="法定代表人"
    )
    rep_id = checks.check(
        "organization.legal_representative_id_number",
        validators.legal_rep_id,
        org.legal_representative_id_type,
        org.legal_representative_id_number,
    )
    handler_name = checks.check("organization.handler_name", validators.real_name, org.handler_name, label="经办人姓名")
    handler_id = checks.check(
        "organization.handler_id_number", validators.resident_id, org.handler_id_number, label="经办人身份证号码"
    )
    handler_phone = checks.check("organization.handler_phone", validators.mobile, org.handler_phone, label="经办人手机")
    upload = services.uploads.get(org.license_upload_id)
    if (
        upload is None
        or upload["purpose"] != "business_license"
        or upload["status"] != "complete"
        or upload.get("claimed_by")
    ):
        checks.fail("organization.license_upload_id", "请上传营业执照图片（JPEG 或 PNG）")
    if checks.errors or upload is None:
        return None
    return {
        "upload_id": org.license_upload_id,
        "upload": upload,
        "content_type": upload["content_type"],
        "record": {
            "name": name,
            "enterprise_type": org.enterprise_type,
            "credit_code": credit_code,
            "registration_authority": authority,
            "legal_representative": representative,
            "legal_representative_id_type": org.legal_representative_id_type,
            "legal_representative_id_number_sealed": seal(services.secret, rep_id),
            "legal_representative_id_number_masked": validators.mask_document(org.legal_representative_id_type, rep_id),
            "handler_name": handler_name,
            "handler_id_number_sealed": seal(services.secret, handler_id),
            "handler_id_number_masked": mask_id_number(handler_id),
            "handler_phone": handler_phone,
            "license_key": upload["key"],
        },
    }


# A value registered already, by UniqueValues field: (request field, message).
TAKEN = {
    "login_name": ("login_name", "该登录名已被注册"),
    "phone": ("phone", "该手机号已注册自然人账号"),
    "id_hash": ("id_number", "该身份证号已注册自然人账号"),
    "credit_code": ("organization.credit_code", "该统一社会信用代码已注册法人账号"),
}


def _refuse_taken(services: Services, unique: UniqueValues) -> None:
    """Friendly, field-specific messages for values already registered (the transaction still decides)."""
    taken = services.accounts.taken(unique)
    fields = dict(TAKEN[name] for name in TAKEN if name in taken)
    if fields:
        raise ValueTaken("；".join(fields.values()), fields)
