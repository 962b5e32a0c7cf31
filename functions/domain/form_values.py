"""Application form values checked against the sub-item's fields from the catalogue."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, Protocol

from . import InvalidValue, validators

MAX_LENGTH = {"text": 200, "textarea": 2000}


class FieldSpec(Protocol):
    """What a form field must tell: the catalogue's FormField has it, and so may any plain object."""

    @property
    def name(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def required(self) -> bool: ...
    @property
    def options(self) -> Sequence[str]: ...


def check_form(
    fields: Sequence[FieldSpec], form_data: dict[str, Any], *, complete: bool
) -> tuple[dict[str, str], dict[str, str]]:
    """(normalised values, {field name: Chinese problem}).

    complete=False is a draft: empty and missing fields are fine, what is filled in must still be valid.
    complete=True is a submission: every required field must be filled in too.
    """
    by_name = {field.name: field for field in fields}
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in form_data:
        if name not in by_name:
            errors[name] = f"该事项的申请表没有“{name}”这一项"
    for name, field in by_name.items():
        raw = form_data.get(name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            if complete and field.required:
                errors[name] = f"请填写{field.label}"
            continue
        try:
            values[name] = check_value(field, raw if isinstance(raw, (str, int, float)) else text)
        except InvalidValue as exc:
            errors[name] = exc.message
    return values, errors


def check_value(field: FieldSpec, raw: Any) -> str:
    label, kind = field.label, field.type
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise InvalidValue(f"{label}格式不正确")
    text = str(raw).strip()
    if kind in MAX_LENGTH:
        if len(text) > MAX_LENGTH[kind]:
            raise InvalidValue(f"{label}不能超过 {MAX_LENGTH[kind]} 个字")
        return text
    if kind in ("number", "date", "phone"):
        # A Chinese IME in full-width mode types "１２３"; other scripts' digits (\d would take "١٢٣") are refused.
        text = unicodedata.normalize("NFKC", text).strip()
    if kind == "number":
        if not re.fullmatch(r"-?[0-9]{1,12}(\.[0-9]{1,4})?", text):
            raise InvalidValue(f"{label}必须是数字")
        return text
    if kind == "date":
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
                raise ValueError(text)
            return datetime.date.fromisoformat(text).isoformat()
        except ValueError:
            raise InvalidValue(f"{label}必须是有效日期（如 2026-11-26）") from None
    if kind == "select":
        if text not in field.options:
            raise InvalidValue(f"{label}请从选项中选择")
        return text
    if kind == "phone":
        return _phone(text, label)
    if kind == "id_number":
        return validators.resident_id(text, label=label)
    if kind == "email":
        return validators.email(text)
    raise InvalidValue(f"{label}的类型 {kind} 无法识别")


def _phone(text: str, label: str) -> str:
    """A mobile or a landline with its area code: applicants give whichever reaches them."""
    import phonenumbers

    digits = re.sub(r"[\s\-()]", "", text)
    try:
        number = phonenumbers.parse(digits, "CN")
    except phonenumbers.NumberParseException:
        raise InvalidValue(f"{label}格式不正确") from None
    if not re.fullmatch(r"\+?[0-9]{7,15}", digits) or not phonenumbers.is_valid_number_for_region(number, "CN"):
        raise InvalidValue(f"{label}格式不正确（手机号码或带区号的固定电话）")
    return digits
