"""What the repositories refuse, in the portal's terms; functions/errors.py answers each kind with its response.

A refusal carries the machine code, the Chinese message and the fields it names, as the error shape of DESIGN.md
has them; which HTTP status it gets is decided by its kind, in one handler each, never by the repository.
"""

from __future__ import annotations


class Refusal(Exception):
    """Something the person can act on: `code` for the page, `message` and `fields` to show."""

    def __init__(self, code: str, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.fields = code, message, fields or {}


class Conflict(Refusal):
    """The stored state does not allow the change (answered 409)."""


class RecordChanged(Conflict):
    """Someone changed the record since it was read: nothing was written; read it again and retry."""

    def __init__(
        self,
        message: str = "办件已在别处更新，请刷新页面后再操作",
        fields: dict[str, str] | None = None,
        code: str = "conflict",
    ) -> None:
        super().__init__(code, message, fields)


class ValueTaken(Conflict):
    """A value that must be unique (登录名, phone, 身份证, 统一社会信用代码) was registered meanwhile."""

    def __init__(
        self, message: str = "登录名或证件信息刚刚已被注册，请检查后重试", fields: dict[str, str] | None = None
    ) -> None:
        super().__init__("conflict", message, fields)


class DraftExists(Conflict):
    """The applicant already has a draft of this sub-item (another tab started it a moment ago)."""

    def __init__(self) -> None:
        super().__init__("conflict", "该事项已有草稿")


class NotFound(Refusal):
    """The record is gone, or was never the asker's (answered 404)."""


class Invalid(Refusal):
    """The request's content is wrong in a way only the stored records tell (answered 422)."""


class TooFrequent(Refusal):
    """Asked again too soon, or too often today (answered 429, with Retry-After)."""

    def __init__(self, code: str, message: str, fields: dict[str, str] | None, retry_after: int) -> None:
        super().__init__(code, message, fields)
        self.retry_after = retry_after
