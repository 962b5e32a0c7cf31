"""Bodies of the accounts, sessions and profile endpoints."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

# Bounded everywhere: a field longer than any real value is refused before any work is done.
Short = Annotated[str, Field(max_length=100)]
# Passwords are taken exactly as typed: a space at either end is part of the password.
Secret = Annotated[str, StringConstraints(strip_whitespace=False, max_length=128)]

EnterpriseType = Literal["for_profit", "public_institution", "social_organization"]
IdType = Literal["resident_id", "passport", "hk_macao_permit", "taiwan_permit", "foreign_permanent_residence"]


# NUL and the other control characters have no place in anything a person types (tab and line breaks aside, for
# multi-line text): they break logs, file names and the systems a record is later handed to.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "不能包含控制字符"


def _has_control_characters(value: Any) -> bool:
    if isinstance(value, str):
        return bool(CONTROL_CHARACTERS.search(value))
    if isinstance(value, dict):
        return any(_has_control_characters(key) or _has_control_characters(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_control_characters(item) for item in value)
    return False


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if _has_control_characters(value):
            raise ValueError(CONTROL_MESSAGE)
        return value


# The 法人 part of a registration.
class OrganizationCreate(Body):
    name: Short
    enterprise_type: EnterpriseType
    credit_code: Short
    registration_authority: Short
    legal_representative: Short
    legal_representative_id_type: IdType
    legal_representative_id_number: Short
    license_upload_id: Short
    handler_name: Short
    handler_id_number: Short
    handler_phone: Short


# POST /accounts: a self-registration, 自然人 or 法人.
class AccountCreate(Body):
    account_type: Literal["natural", "legal"]
    login_name: Short
    password: Secret
    real_name: Short
    id_number: Short
    email: Annotated[str, Field(max_length=254)]
    phone: Short
    sms_code: Short
    agreement_accepted: bool
    organization: OrganizationCreate | None = None


# PATCH /me: what an applicant may change (never 登录名 or 身份证).
class OrganizationUpdate(Body):
    handler_name: Short | None = None
    handler_id_number: Short | None = None
    handler_phone: Short | None = None


class AccountUpdate(Body):
    email: Annotated[str, Field(max_length=254)] | None = None
    phone: Short | None = None
    sms_code: Short | None = None
    organization: OrganizationUpdate | None = None


# GET /me and the answers of register/login: personal numbers masked.
class OrganizationPublic(BaseModel):
    name: str
    enterprise_type: EnterpriseType
    enterprise_type_label: str
    credit_code: str
    registration_authority: str
    legal_representative: str
    legal_representative_id_type: IdType
    legal_representative_id_type_label: str
    legal_representative_id_number: str
    handler_name: str
    handler_id_number: str
    handler_phone: str


class AccountPublic(BaseModel):
    id: str
    account_type: Literal["natural", "legal"]
    role: Literal["applicant", "staff"]
    login_name: str
    display_name: str
    """What the header shows: 真实姓名, or the organisation's name for 法人."""
    real_name: str
    id_number: str
    email: str
    phone: str
    organization: OrganizationPublic | None = None
    region: str | None = None
    department: str | None = None
    region_name: str | None = None
    department_name: str | None = None
    """Staff only: where they work (审批工作台 shows it)."""


class Availability(BaseModel):
    login_name: str
    available: bool


class Login(Body):
    login_name: Short
    password: Secret
    captcha_id: Short
    captcha_answer: Short


class PasswordChange(Body):
    old_password: Secret
    new_password: Secret


class PasswordReset(Body):
    login_name: Short
    phone: Short
    sms_code: Short
    new_password: Secret


class SmsCodeRequest(Body):
    phone: Short
    purpose: Literal["register", "reset_password", "change_phone"]
    captcha_id: Short
    captcha_answer: Short
    login_name: Short | None = None
    """找回密码 only: the code is sent only if this account's phone is `phone` (the answer is the same either way)."""


class Captcha(BaseModel):
    captcha_id: str
    image: str
