"""The registration fields' rules (SPEC §1): each function returns the normalised value or raises InvalidValue.

Input is NFKC-normalised first, because Chinese input methods in full-width mode type
"１３８…" or "ａｂｃ＠ｑｑ．ｃｏｍ" and the user cannot see the difference.
python-stdnum, phonenumbers and email-validator each take 40-60 ms to import, so they are
imported inside the functions that need them: a cold Lambda that serves no registration
does not pay for them.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from typing import Final

from . import InvalidValue
from .china_time import CHINA
from .masking import mask_document

__all__ = [
    "ENTERPRISE_TYPE_LABELS",
    "ID_TYPE_LABELS",
    "LEGAL_REP_ID_TYPE_LABELS",
    "InvalidValue",
    "credit_code",
    "email",
    "enterprise_type",
    "iso7064_mod11_2",
    "legal_rep_id",
    "legal_rep_id_type",
    "login_name",
    "login_name_key",
    "mask_document",
    "mobile",
    "organization_name",
    "real_name",
    "registration_authority",
    "resident_id",
]

ENTERPRISE_TYPE_LABELS: Final[dict[str, str]] = {
    "for_profit": "盈利性企业",
    "public_institution": "事业单位",
    "social_organization": "社会团体",
}

LEGAL_REP_ID_TYPE_LABELS: Final[dict[str, str]] = {
    "resident_id": "居民身份证",
    "passport": "护照",
    "hk_macao_permit": "港澳居民来往内地通行证",
    "taiwan_permit": "台湾居民来往大陆通行证",
    "foreign_permanent_residence": "外国人永久居留身份证",
}
# The same map under the shorter name the API's presenters import.
ID_TYPE_LABELS: Final = LEGAL_REP_ID_TYPE_LABELS


# Unified ideographs, Ext A, compatibility ideographs and Ext B-H: rare characters in people's and
# places' names (生僻字) live outside the basic block. 〇 is the Chinese zero.
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"

_LOGIN_NAME_CHARS = re.compile(r"[A-Za-z0-9_]+")
_HAN_NAME = re.compile(f"[{_HAN}]+(?:·[{_HAN}]+)*")
_LATIN_NAME = re.compile(f"[{_LATIN}]+(?:[ '\\-][{_LATIN}]+)*")
_HAN_ONLY = re.compile(f"[{_HAN}]+")
_ORGANIZATION_NAME = re.compile(f"[{_HAN}{_LATIN}0-9 （）()·&.,'、\\-]+")
_ID_SEPARATORS = re.compile(r"[\s\-()（）]")

# Variants that input methods and word processors produce for the separators allowed in names.
_NAME_PUNCTUATION = str.maketrans(
    {
        "\u2022": "·",
        "\u2027": "·",
        "\u30fb": "·",
        "\u2219": "·",
        "\u22c5": "·",  # middle dots
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "`": "'",  # apostrophes
        "\u2010": "-",
        "\u2011": "-",
        "\u2013": "-",
        "\u2212": "-",  # hyphens
    }
)

# GB/T 2260 province codes that begin resident ID numbers; 81/82/83 begin the 港澳台居民居住证
# numbers (810000, 820000, 830000), which follow the same standard.
_PROVINCE_CODES: Final = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 81 82 83".split()
)
# Nobody born before this is alive to register; it also rejects typos like 1099 for 1990.
_EARLIEST_BIRTH_DATE: Final = datetime.date(1900, 1, 1)

# GB 32100: characters 1-2 (登记管理部门码, 机构类别码) may be letters, e.g. N2 农业 or Y1 其他, which
# stdnum's validate() refuses; 3-8 are the 行政区划码 (digits); the alphabet lacks I, O, S, V and Z.
_USCC_FORMAT = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")


def _text(value: object, label: str) -> str:
    """The value as NFKC-normalised, stripped text; missing or non-text input names the label."""
    if not isinstance(value, str):
        raise InvalidValue(f"请填写{label}")
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        raise InvalidValue(f"请填写{label}")
    return text


def _compact_id(value: object, label: str) -> str:
    """An identity document number without spaces, hyphens or brackets, in upper case."""
    return _ID_SEPARATORS.sub("", _text(value, label)).upper()


def _china_today() -> datetime.date:
    """Today's date in China (Lambda's clock is UTC, eight hours behind Beijing)."""
    return datetime.datetime.now(CHINA).date()


# --- 登录名 ---------------------------------------------------------------------------------------


def login_name(value: object) -> str:
    """4-20 ASCII letters, digits or underscores starting with a letter; returned with its case as typed."""
    name = _text(value, "登录名")
    if not _LOGIN_NAME_CHARS.fullmatch(name):
        raise InvalidValue("登录名只能包含英文字母、数字和下划线")
    if not ("a" <= name[0].lower() <= "z"):
        raise InvalidValue("登录名必须以英文字母开头")
    if not 4 <= len(name) <= 20:
        raise InvalidValue("登录名长度应为4-20个字符")
    return name


def login_name_key(value: str) -> str:
    """The case-insensitive uniqueness key of a login name; never raises, so login can use it on any input."""
    return unicodedata.normalize("NFKC", value).strip().lower()


# --- 真实姓名 -------------------------------------------------------------------------------------


def real_name(value: object, *, label: str = "真实姓名") -> str:
    """2-50 characters: Chinese (with · between parts of minority and foreign names) or Latin letters."""
    name = " ".join(_text(value, label).translate(_NAME_PUNCTUATION).split())
    if any(char.isdigit() for char in name):
        raise InvalidValue(f"{label}不能包含数字")
    if _HAN_ONLY.search(name):
        # A full stop between Han parts is the usual way to type the middle dot without a Chinese IME.
        name = name.replace(".", "·")
    if not 2 <= len(name) <= 50:
        raise InvalidValue(f"{label}长度应为2-50个字符")
    if not (_HAN_NAME.fullmatch(name) or _LATIN_NAME.fullmatch(name)):
        raise InvalidValue(f"{label}只能由汉字（少数民族姓名可含间隔号“·”）或英文字母组成")
    return name


# --- 身份证 ---------------------------------------------------------------------------------------


def iso7064_mod11_2(body: str) -> str:
    """The GB 11643 check character (ISO 7064 MOD 11-2) for 17 digits."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2**(17-i) mod 11
    total = sum(int(digit) * weight for digit, weight in zip(body, weights, strict=True))
    return "10X98765432"[total % 11]


def resident_id(value: object, *, label: str = "身份证号码") -> str:
    """An 18-character 居民身份证 number (GB 11643); lower-case x becomes X."""
    from stdnum.cn import ric  # lazy: see the module docstring

    number = ric.compact(_compact_id(value, label))
    if len(number) != 18:
        raise InvalidValue(f"{label}应为18位")
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise InvalidValue(f"{label}前17位应为数字，最后一位为数字或X")
    # Only the province is checked: stdnum's county table rejects real numbers whose county code
    # was renamed or created after the birth year (python-stdnum issue #442).
    if number[:2] not in _PROVINCE_CODES:
        raise InvalidValue(f"{label}的地区码不正确")
    _check_birth_date(number, label)
    if number[-1] != ric.calc_check_digit(number):
        raise InvalidValue(f"{label}校验位不正确")
    return number


def _check_birth_date(number: str, label: str) -> None:
    """Characters 7-14 are a real calendar date, not in the future and not before 1900."""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    try:
        born = ric.get_birth_date(number)
    except ValidationError:
        raise InvalidValue(f"{label}中的出生日期不正确") from None
    if born > _china_today():
        raise InvalidValue(f"{label}中的出生日期不能晚于今天")
    if born < _EARLIEST_BIRTH_DATE:
        raise InvalidValue(f"{label}中的出生日期不正确")


# --- 统一社会信用代码 ------------------------------------------------------------------------------


def credit_code(value: object) -> str:
    """An 18-character 统一社会信用代码 with a valid GB 32100 check character, in upper case."""
    from stdnum.cn import uscc  # lazy: see the module docstring

    code = uscc.compact(_compact_id(value, "统一社会信用代码"))
    if len(code) != 18:
        raise InvalidValue("统一社会信用代码应为18位")
    if not _USCC_FORMAT.fullmatch(code):
        raise InvalidValue("统一社会信用代码只能包含数字和大写英文字母（不含I、O、S、V、Z），第3-8位为数字")
    if code[-1] != uscc.calc_check_digit(code):
        raise InvalidValue("统一社会信用代码校验位不正确")
    return code


# --- 手机, 电子邮箱 --------------------------------------------------------------------------------


def mobile(value: object, *, label: str = "手机号码") -> str:
    """A mainland mobile number, typed with or without +86, spaces or dashes; returns its 11 digits."""
    import phonenumbers  # lazy: see the module docstring

    text = _text(value, label)
    # phonenumbers also reads letters (vanity numbers) and extensions; a form field should not.
    if not re.fullmatch(r"\+?[0-9 ()\-]+", text):
        raise InvalidValue(f"{label}只能包含数字")
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise InvalidValue(f"{label}格式不正确") from None
    if number.country_code != 86:
        raise InvalidValue(f"请填写中国大陆的{label}")
    mobile_types = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    national = str(number.national_number)
    if (
        len(national) != 11
        or not phonenumbers.is_valid_number_for_region(number, "CN")
        or phonenumbers.number_type(number) not in mobile_types
    ):
        raise InvalidValue(f"{label}格式不正确，应为11位中国大陆手机号码")
    return national


def email(value: object) -> str:
    """A syntactically valid e-mail address (no DNS look-up), normalised by email-validator."""
    from email_validator import EmailNotValidError, validate_email  # lazy: see the module docstring

    text = _text(value, "电子邮箱")
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError:
        raise InvalidValue("电子邮箱格式不正确") from None


# --- 法人: 机构名称 --------------------------------------------------------------------------------


def organization_name(value: object) -> str:
    """2-100 characters of a registered name: Chinese or Latin letters, digits and the usual punctuation."""
    name = " ".join(_text(value, "机构名称").split())
    if not _ORGANIZATION_NAME.fullmatch(name):
        raise InvalidValue("机构名称只能包含汉字、英文字母、数字、括号和常用标点")
    if not re.search(f"[{_HAN}{_LATIN}]", name):
        raise InvalidValue("机构名称应包含汉字或英文字母")
    if _HAN_ONLY.search(name):
        # Registered Chinese names use full-width brackets, e.g. 华为技术（深圳）有限公司; NFKC made them ASCII.
        name = name.replace("(", "（").replace(")", "）")
    if not 2 <= len(name) <= 100:
        raise InvalidValue("机构名称长度应为2-100个字符")
    return name


# --- 法人: 工商登记机关, 企业类型 ------------------------------------------------------------------


def registration_authority(value: object) -> str:
    """2-50 Chinese characters and nothing else (SPEC: 工商登记机关 is Chinese characters only)."""
    text = _text(value, "工商登记机关")
    if not _HAN_ONLY.fullmatch(text):
        raise InvalidValue("工商登记机关只能填写汉字")
    if not 2 <= len(text) <= 50:
        raise InvalidValue("工商登记机关长度应为2-50个汉字")
    return text


def enterprise_type(value: object) -> str:
    """One of the codes of ENTERPRISE_TYPE_LABELS."""
    code = _text(value, "企业类型")
    if code not in ENTERPRISE_TYPE_LABELS:
        raise InvalidValue("企业类型应为" + "、".join(ENTERPRISE_TYPE_LABELS.values()) + "之一")
    return code


# --- 法人证件类型 / 法人证件号 ----------------------------------------------------------------------


def legal_rep_id_type(value: object) -> str:
    """One of the codes of LEGAL_REP_ID_TYPE_LABELS."""
    code = _text(value, "法人证件类型")
    if code not in LEGAL_REP_ID_TYPE_LABELS:
        raise InvalidValue("法人证件类型应为" + "、".join(LEGAL_REP_ID_TYPE_LABELS.values()) + "之一")
    return code


def legal_rep_id(id_type: object, number: object) -> str:
    """The legal representative's document number, checked by the published format of its type."""
    code = legal_rep_id_type(id_type)
    return _ID_NUMBER_RULES[code](number, LEGAL_REP_ID_TYPE_LABELS[code] + "号码")


def _passport(value: object, label: str) -> str:
    """5-17 letters and digits, at least one digit.

    The issuing country is not asked, so no narrower rule is safe: Chinese ordinary passports
    (E + 8 digits, E + letter + 7 digits since 2019, G + 8 digits before 2012) all fit, and a
    country-specific pattern would reject some foreign passport. A passport number carries
    no check digit of its own (the MRZ one is printed beside it).
    """
    number = _compact_id(value, label)
    if not re.fullmatch(r"[A-Z0-9]{5,17}", number) or not re.search(r"[0-9]", number):
        raise InvalidValue(f"{label}格式不正确，应为5-17位英文字母和数字")
    return number


def _hk_macao_permit(value: object, label: str) -> str:
    """H (Hong Kong) or M (Macao) + 8 digits; booklets before 2013 add a 2-digit issue count."""
    number = _compact_id(value, label)
    if not re.fullmatch(r"[HM][0-9]{8}(?:[0-9]{2})?", number):
        raise InvalidValue(f"{label}格式不正确，应为H或M加8位数字")
    return number


def _taiwan_permit(value: object, label: str) -> str:
    """8 digits (cards since 2015); the older booklets' 10 digits (8 + issue count) are also accepted."""
    number = _compact_id(value, label)
    if not re.fullmatch(r"[0-9]{8}(?:[0-9]{2})?", number):
        raise InvalidValue(f"{label}格式不正确，应为8位数字")
    return number


def _foreign_permanent_residence(value: object, label: str) -> str:
    """2017 card: 3 letters (nationality) + 12 digits; 2023 card: 9 + 16 digits + MOD 11-2 check character."""
    number = _compact_id(value, label)
    if re.fullmatch(r"[A-Z]{3}[0-9]{12}", number):
        return number
    if not re.fullmatch(r"9[0-9]{16}[0-9X]", number):
        raise InvalidValue(f"{label}格式不正确，应为15位（3位字母加12位数字）或以9开头的18位")
    if number[-1] != iso7064_mod11_2(number[:17]):
        raise InvalidValue(f"{label}校验位不正确")
    return number


def _resident_id_rule(value: object, label: str) -> str:
    """The 居民身份证 rule with the document's own label."""
    return resident_id(value, label=label)


_ID_NUMBER_RULES: Final[dict[str, Callable[[object, str], str]]] = {
    "resident_id": _resident_id_rule,
    "passport": _passport,
    "hk_macao_permit": _hk_macao_permit,
    "taiwan_permit": _taiwan_permit,
    "foreign_permanent_residence": _foreign_permanent_residence,
}
