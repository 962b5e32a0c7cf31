"""Run domain validators over request fields, collecting every problem so the page can show them all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .domain.validators import InvalidValue
from .errors import ApiError


class FieldChecks:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def check(self, field: str, validator: Callable[..., Any], *args: Any, label: str | None = None) -> Any:
        """The validator's normalised value, or None with the problem recorded under the field.

        label: the field's name on the page, for validators shared by several fields (姓名, 身份证).
        """
        try:
            value = validator(*args, label=label) if label else validator(*args)
        except InvalidValue as exc:
            self.errors.setdefault(field, str(exc))
            return None
        self.values[field] = value
        return value

    def fail(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ApiError(422, "invalid", "；".join(dict.fromkeys(self.errors.values())), self.errors)
