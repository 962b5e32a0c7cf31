"""Content errors: one clean line per problem, naming the file, the field and what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails


class ContentError(Exception):
    """A problem in an editor's file; printed as `path: field: problem`, never as a traceback."""

    def __init__(self, path: Path | str, field: str, problem: str, line_number: int | None = None) -> None:
        self.path = str(path)
        self.field = field
        self.problem = problem
        self.line_number = line_number
        """1-based line in the file where the field (or its nearest written parent) stands, when known."""
        super().__init__(self.line)

    def __reduce__(
        self,
    ) -> tuple[
        type[ContentError], tuple[str, str, str, int | None]
    ]:  # errors travel back from the build's worker processes
        return (ContentError, (self.path, self.field, self.problem, self.line_number))

    @property
    def line(self) -> str:
        """`path:line: field: problem`, the form editors' terminals and editors turn into a link."""
        where = f"{self.path}:{self.line_number}" if self.line_number else self.path
        return f"{where}: {self.field}: {self.problem}" if self.field else f"{where}: {self.problem}"


class ContentErrors(Exception):
    """Every problem found in one pass, so an editor fixes them all before building again."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        super().__init__("\n".join(error.line for error in errors))


# Pydantic's messages are English; editors read Chinese. Types not listed keep pydantic's text.
_PYDANTIC_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段（请检查拼写）",
    "string_type": "必须是文字",
    "string_too_short": "不能为空",
    "int_type": "必须是整数",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "bool_type": "必须是 true 或 false",
    "bool_parsing": "必须是 true 或 false",
    "list_type": "必须是列表",
    "dict_type": "必须是键值映射",
    "model_type": "必须是键值映射",
    "model_attributes_type": "必须是键值映射",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "必须大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "too_short": "至少需要 {min_length} 项",
}


Loc = tuple[int | str, ...]
"""Where a field stands in a file: ('subitems', 0, 'materials', 2, 'formats')."""


def field_path(loc: Loc) -> str:
    """('subitems', 0, 'materials', 2, 'formats') -> 'subitems[0].materials[2].formats'."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "literal_error":
        allowed = error.get("ctx", {}).get("expected", "")
        return f"{error.get('input')!r} 不是允许的取值，可选：{allowed}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    template = _PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return error["msg"]
    return template.format(**error.get("ctx", {}))


def from_validation_error(
    path: Path | str,
    exc: ValidationError,
    prefix: Loc = (),
    locate: Callable[[Loc], int | None] | None = None,
) -> list[ContentError]:
    """Turn pydantic's report into our one-line errors, in Chinese where we know the error type.

    `locate` maps a field's location to its line in the file (see sitegen.yaml_lines)."""
    errors = []
    for error in exc.errors():
        # Pydantic adds the name of a union/literal branch to loc, and '[key]' after a mapping key it refused;
        # neither means anything to an editor.
        loc = tuple(part for part in error["loc"] if not str(part).startswith("function-") and part != "[key]")
        line = locate(prefix + loc) if locate else None
        errors.append(ContentError(path, field_path(prefix + loc), _message(error), line))
    return errors
