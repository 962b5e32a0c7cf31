"""Application form values checked against the sub-item's fields from the catalogue."""

from __future__ import annotations

import datetime
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from . import InvalidValue, validators
from .china_time import china_day, chinese_date

MAX_LENGTH = {"text": 200, "textarea": 2000}
# Without a limit of its own a date field still takes only a plausible date: a typed 1099 for 1990 or 2206 for
# 2026 is refused, not filed. The catalogue's not_before / not_after (sitegen/models.py) narrow or move this.
EARLIEST_DATE = datetime.date(1900, 1, 1)
YEARS_AHEAD = 100


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
    @property
    def not_before(self) -> str | None: ...
    @property
    def not_after(self) -> str | None: ...


def check_form(
    fields: Sequence[FieldSpec],
    form_data: dict[str, Any],
    *,
    complete: bool,
    today: datetime.date | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """(normalised values, {field name: Chinese problem}).

    complete=False is a draft: empty and missing fields are fine, what is filled in must still be valid.
    complete=True is a submission: every required field must be filled in too.
    today: the day in China date limits are measured from; None: now.
    """
    today = today or china_day(time.time())
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
            values[name] = check_value(field, raw if isinstance(raw, (str, int, float)) else text, today=today)
        except InvalidValue as exc:
            errors[name] = exc.message
    return values, errors


@dataclass(frozen=True)
class DraftCheck:
    """A draft's form as checked on saving: the applicant never loses what they typed, nothing invalid is filed."""

    values: dict[str, str]
    """The valid values, normalised."""
    kept: dict[str, str]
    """Values typed that fail their field's rule, as typed: the draft keeps them for the applicant to correct."""
    problems: dict[str, str]
    """{field name: Chinese problem} of the kept values."""
    refused: dict[str, str]
    """{field name: Chinese problem} of what no one could have typed into the page: the save is refused."""


def check_draft(
    fields: Sequence[FieldSpec], form_data: dict[str, Any], *, today: datetime.date | None = None
) -> DraftCheck:
    """A draft's form_data split into valid values, values kept to be corrected, and what is refused."""
    values, errors = check_form(fields, form_data, complete=False, today=today)
    by_name = {field.name: field for field in fields}
    kept: dict[str, str] = {}
    problems: dict[str, str] = {}
    refused: dict[str, str] = {}
    for name, message in errors.items():
        if keepable(by_name.get(name), form_data.get(name)):
            kept[name], problems[name] = str(form_data[name]).strip(), message
        else:
            refused[name] = message
    return DraftCheck(values, kept, problems, refused)


def keepable(field: FieldSpec | None, raw: Any) -> bool:
    """Whether a draft keeps a value that fails its field's rule: text typed into a field the form has, no longer
    than the page lets anyone type. A choice the select does not offer, a value of another kind, or an unknown
    field is no one's typing, and is refused."""
    if field is None or field.type == "select" or isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        return False
    return len(str(raw).strip()) <= MAX_LENGTH.get(field.type, MAX_LENGTH["text"])


def date_window(
    not_before: str | None, not_after: str | None, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """(earliest, latest) day a date field accepts: its own limits, else the plausibility window."""
    return (
        _limit(not_before, today) or EARLIEST_DATE,
        _limit(not_after, today) or _years_after(today, YEARS_AHEAD),
    )


def check_value(field: FieldSpec, raw: Any, *, today: datetime.date | None = None) -> str:
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
            day = datetime.date.fromisoformat(text)
        except ValueError:
            raise InvalidValue(f"{label}必须是有效日期（如 2026-11-26）") from None
        _check_date_limits(field, day, today or china_day(time.time()))
        return day.isoformat()
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


def _check_date_limits(field: FieldSpec, day: datetime.date, today: datetime.date) -> None:
    """The field's own not_before / not_after, else the plausibility window; the message names the limit."""
    earliest, latest = date_window(field.not_before, field.not_after, today)
    if day < earliest:
        raise InvalidValue(f"{field.label}不能早于{_limit_name(field.not_before, earliest)}")
    if day > latest:
        raise InvalidValue(f"{field.label}不能晚于{_limit_name(field.not_after, latest)}")


def _limit(bound: str | None, today: datetime.date) -> datetime.date | None:
    if bound is None:
        return None
    return today if bound == "today" else datetime.date.fromisoformat(bound)


def _limit_name(bound: str | None, day: datetime.date) -> str:
    if bound == "today":
        return "今天"
    return chinese_date(day) + ("" if bound else "，请核对年份")


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)
