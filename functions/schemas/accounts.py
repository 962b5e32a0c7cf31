"""Bodies of the accounts, sessions and profile endpoints."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

# Bounded everywhere: a field longer than any real value is refused before any work is done.
Short = Annotated[str, Field(max_length=100)]
# Passwords are taken exactly as typed: a space at either end is part of the password.
Secret = Annotated[str, StringConstraints(strip_whitespace=False, max_length=128)]

# An id in a path (uuid hex, captcha token): anything longer names nothing, and is refused before a look-up.
ResourceId = Annotated[str, Path(max_length=64)]

EnterpriseType = Literal["for_profit", "public_institution", "social_organization"]
IdType = Literal["resident_id", "passport", "hk_macao_permit", "taiwan_permit", "foreign_permanent_residence"]


# NUL and the other control characters have no place in anything a person types (tab and line breaks aside, for
# multi-line text): they break logs, file names and the systems a record is later handed to.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = "不能包含控制字符"

# The OpenAPI document says what the validators (domain/validators.py, passwords.py) will refuse, as far as a
# pattern says it exactly: forms typed in ASCII or full width (an IME's), spaces at either end dropped. These are
# for the document only: the validators check them in the route, so a page still gets every field's own message
# at once; what no pattern can say (check digits, birth dates, number ranges) the field's description names.
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
PLAIN_TEXT = f"^[^{_CONTROL}]*$"
FILLED_TEXT = f"^[^{_CONTROL}]*[^\\s\x85{_CONTROL}][^{_CONTROL}]*$"
"""Not blank: a validator answers 请填写… to nothing but spaces."""
# Spaces a person types (ideographic and no-break ones too); the other \s are control characters, refused.
_SPACE = r"[\t\n\r \u00a0\u3000]"
_SEPARATORS = r"[\t\n\r \u00a0\u3000\-()（）－]*"  # what an ID number may be typed with (validators._ID_SEPARATORS)
_DIGIT = "[0-9０-９]"
_USCC_CHAR = "[0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy０-９Ａ-ＨＪ-ＮＰＱＲＴＵＷＸＹａ-ｈｊ-ｎｐｑｒｔｕｗｘｙ]"
LOGIN_NAME_PATTERN = f"^{_SPACE}*[A-Za-zＡ-Ｚａ-ｚ][0-9A-Za-z_０-９Ａ-Ｚａ-ｚ＿]{{3,19}}{_SPACE}*$"
_PHONE_SEPARATORS = r"[ ()（）\-－\u3000]*"
# With a "+" the country must be 86 (validators.mobile); then at least the 11 digits of the national number.
MOBILE_PATTERN = (
    f"^{_SPACE}*(?:[+＋]{_PHONE_SEPARATORS}[8８]{_PHONE_SEPARATORS}[6６])?{_PHONE_SEPARATORS}"
    f"(?:[0-9０-９]{_PHONE_SEPARATORS}){{11,}}{_SPACE}*$"
)
RESIDENT_ID_PATTERN = f"^{_SEPARATORS}(?:{_DIGIT}{_SEPARATORS}){{17}}[0-9０-９XxＸｘ]{_SEPARATORS}$"
CREDIT_CODE_PATTERN = (
    f"^{_SEPARATORS}(?:{_USCC_CHAR}{_SEPARATORS}){{2}}(?:{_DIGIT}{_SEPARATORS}){{6}}"
    f"(?:{_USCC_CHAR}{_SEPARATORS}){{10}}$"
)
EMAIL_PATTERN = f"^[^{_CONTROL}]*[^\\s@＠{_CONTROL}][^{_CONTROL}]*[@＠][^{_CONTROL}]*[^\\s@＠{_CONTROL}][^{_CONTROL}]*$"
SMS_CODE_PATTERN = f"^{_SPACE}*[0-9]{{6}}{_SPACE}*$"
NAME_PATTERN = f"^[^0-9０-９{_CONTROL}]*[^\\s\x850-9０-９{_CONTROL}][^0-9０-９{_CONTROL}]*$"
"""Not blank, and no digits (validators.real_name)."""


def documented(pattern: str | None = None, description: str | None = None, **schema: Any) -> Any:
    """A Field whose pattern (and other keywords) appear in the OpenAPI document only; the validator enforces them."""
    extra = {"pattern": pattern, **schema} if pattern else schema
    return Field(description=description, json_schema_extra=extra or None)


LoginName = Annotated[
    str, Field(max_length=100), documented(LOGIN_NAME_PATTERN, "4-20 位英文字母、数字或下划线，以字母开头（全角亦可）")
]
Mobile = Annotated[
    str, Field(max_length=100), documented(MOBILE_PATTERN, "中国大陆手机号码，可带 +86、空格或短横线；号段另行校验")
]
ResidentId = Annotated[
    str, Field(max_length=100), documented(RESIDENT_ID_PATTERN, "18 位居民身份证号码；地区码、出生日期和校验位另行校验")
]
CreditCode = Annotated[
    str, Field(max_length=100), documented(CREDIT_CODE_PATTERN, "18 位统一社会信用代码（GB 32100）；校验位另行校验")
]
Email = Annotated[str, Field(max_length=254), documented(EMAIL_PATTERN, "电子邮箱地址")]
SmsCode = Annotated[str, Field(max_length=100), documented(SMS_CODE_PATTERN, "短信中的 6 位数字验证码")]
Filled = Annotated[str, Field(max_length=100), documented(FILLED_TEXT)]
PersonName = Annotated[
    str, Field(max_length=100), documented(NAME_PATTERN, "2-50 个汉字（可含“·”）或英文字母；不含数字")
]
NewPassword = Annotated[
    Secret,
    documented(
        f"^[^{_CONTROL}]*[^0-9{_CONTROL}][^{_CONTROL}]*$",
        "8-128 位，不能全是数字、不能是常见密码或与登录名相同",
        minLength=8,
    ),
]


def _document_plain_text(schema: dict[str, Any]) -> None:
    """Every string of a body refuses control characters (Body below): say so on each one that has no pattern."""
    if schema.get("type") == "string" and not ({"pattern", "enum", "const", "format"} & schema.keys()):
        schema["pattern"] = PLAIN_TEXT
    if schema.get("type") == "object" and "additionalProperties" in schema:
        schema.setdefault("propertyNames", {"pattern": PLAIN_TEXT})
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            _document_plain_text(part)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            _document_plain_text(schema[key])


def _plain_text_schema(schema: dict[str, Any], _: type) -> None:
    for prop in schema.get("properties", {}).values():
        _document_plain_text(prop)


def _has_control_characters(value: Any) -> bool:
    if isinstance(value, str):
        return bool(CONTROL_CHARACTERS.search(value))
    if isinstance(value, dict):
        return any(_has_control_characters(key) or _has_control_characters(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_control_characters(item) for item in value)
    return False


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, json_schema_extra=_plain_text_schema)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        if _has_control_characters(value):
            raise ValueError(CONTROL_MESSAGE)
        return value


# The 法人 part of a registration.
class OrganizationCreate(Body):
    name: Filled
    enterprise_type: EnterpriseType
    credit_code: CreditCode
    registration_authority: Filled
    legal_representative: PersonName
    legal_representative_id_type: IdType
    legal_representative_id_number: Filled
    license_upload_id: Filled
    handler_name: PersonName
    handler_id_number: ResidentId
    handler_phone: Mobile


# POST /accounts: a self-registration, 自然人 or 法人.
class AccountCreate(Body):
    account_type: Literal["natural", "legal"]
    login_name: LoginName
    password: NewPassword
    real_name: PersonName
    id_number: ResidentId
    email: Email
    phone: Mobile
    sms_code: SmsCode
    agreement_accepted: bool
    organization: OrganizationCreate | None = None


# PATCH /me: what an applicant may change (never 登录名 or 身份证).
class OrganizationUpdate(Body):
    handler_name: PersonName | None = None
    handler_id_number: ResidentId | None = None
    handler_phone: Mobile | None = None


class AccountUpdate(Body):
    email: Email | None = None
    phone: Mobile | None = None
    sms_code: Short | None = None
    """Needed only when the phone changes (to the new one); otherwise not read."""
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


# Who the signed-in person acts for as its 经办人: the header shows "<机构名称> · <姓名>".
class ActingFor(BaseModel):
    id: str
    name: str
    credit_code: str


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
    acting_for: ActingFor | None = None
    """GET /me only: the organisation the person acts for as its 经办人 right now; the rest is the person's own."""


# GET /me: who is signed in, asked by every page on load — a visitor is an answer (200), not an error (401).
class MeSignedIn(AccountPublic):
    signed_in: Literal[True] = True


class MeSignedOut(BaseModel):
    signed_in: Literal[False] = False
    """Nobody is signed in: the page shows 登录 / 注册, or sends a page needing a user to 登录."""


Me = Annotated[MeSignedIn | MeSignedOut, Field(discriminator="signed_in")]


class Availability(BaseModel):
    login_name: str
    available: bool


# POST /accounts/checks: what 提交 would find wrong with a registration, without registering.
class RegistrationChecks(BaseModel):
    fields: dict[str, str]
    """{field (as in the error format, e.g. organization.credit_code): its Chinese problem}; empty when none."""


class Login(Body):
    login_name: Short
    password: Secret
    captcha_id: Short
    captcha_answer: Short


class PasswordChange(Body):
    old_password: Secret
    new_password: NewPassword


class PasswordReset(Body):
    login_name: Short
    phone: Mobile
    sms_code: SmsCode
    new_password: NewPassword


class SmsCodeRequest(Body):
    phone: Mobile
    purpose: Literal["register", "reset_password", "change_phone"]
    captcha_id: Short
    captcha_answer: Short
    login_name: Short | None = None
    """找回密码 only: the code is sent only if this account's phone is `phone` (the answer is the same either way)."""


class SmsCodeSent(BaseModel):
    """The same answer whether or not a text went out (找回密码 never tells)."""

    retry_after: int
    """seconds until another code may be asked for this phone"""
    expires_in: int
    """seconds the code stays valid"""


class Captcha(BaseModel):
    captcha_id: str
    image: str
