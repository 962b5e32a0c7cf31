"""The one error shape of DESIGN.md: {"error": {"code", "message", "fields"}} with a 4xx, never a trace.

The one deliberate 5xx: 503 when the deployed catalogue cannot be read (missing, or another format version), a
fault of the deployment rather than of the request; still the JSON shape with a Chinese message."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .catalogue import CatalogueError
from .domain.lifecycle import ActionRefused, TransitionRefused
from .repositories.errors import Conflict, Invalid, NotFound, TooFrequent
from .schemas.accounts import CONTROL_MESSAGE

log = logging.getLogger(__name__)

# Chinese labels of request fields, so a message names the field as the page shows it.
FIELD_LABELS: dict[str, str] = {
    "account_type": "账号类型",
    "login_name": "登录名",
    "password": "密码",
    "real_name": "真实姓名",
    "id_number": "身份证",
    "email": "电子邮箱",
    "phone": "手机",
    "sms_code": "短信验证码",
    "agreement_accepted": "注册协议",
    "organization": "法人信息",
    "name": "机构名称",
    "enterprise_type": "企业类型",
    "credit_code": "统一社会信用代码",
    "registration_authority": "工商登记机关",
    "legal_representative": "法定代表人",
    "legal_representative_id_type": "法人证件类型",
    "legal_representative_id_number": "法人证件号",
    "license_upload_id": "营业执照图片",
    "handler_name": "经办人姓名",
    "handler_id_number": "经办人身份证",
    "handler_phone": "经办人手机",
    "captcha_id": "验证码",
    "captcha_answer": "验证码",
    "purpose": "用途",
    "old_password": "原密码",
    "new_password": "新密码",
    "filename": "文件名",
    "content_type": "文件类型",
    "size": "文件大小",
    "region": "地区代码",
    "subitem_code": "事项编码",
    "application_id": "办件",
    "material_id": "申请材料",
    "upload_id": "上传记录",
    "upload_ids": "材料文件",
    "form_data": "表单内容",
    "rating": "评分",
    "comment": "说明",
    "guide_version": "指南版本",
    "action": "审批操作",
    "corrections": "补正项",
    "kind": "补正项类别",
    "id": "补正项",
    "reason": "补正原因",
    "field": "表单项",
    "status": "状态",
    "limit": "每页条数",
    "cursor": "翻页位置",
    "token": "下载链接",
    "text": "答复内容",
    "start": "预约时段",
    "date": "日期",
}

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}


class BodyTooLarge(Exception):
    """A request body that streamed past its cap (guards.py counts the bytes as they arrive)."""


class ApiError(Exception):
    """A refusal the user can act on: raised anywhere in a route, answered in the JSON error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, str] | None = None,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}
        self.details = details or {}
        """More the page can act on, beside the message (e.g. the link to a changed guide)."""
        self.headers = headers or {}
        """E.g. Retry-After on a 429."""


class ErrorDetail(BaseModel):
    """What went wrong, for the page to show: one message, and one per field it names."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="机器可读的原因，如 invalid、not_found、conflict、too_many_requests")
    message: str = Field(description="给用户看的中文说明")
    fields: dict[str, str] = Field(description="逐项说明：请求字段名（嵌套字段以“.”连接）→ 中文说明；没有则为空")
    guide_url: str | None = Field(None, description="仅“事项已调整”（409）：调整后的服务指南地址")
    changes: list[str] | None = Field(None, description="仅“事项已调整”（409 subitem_changed）：指南调整了什么")
    retry_after: int | None = Field(None, description="仅 429：需等待的秒数，同 Retry-After（页面据此倒计时）")


# Every 4xx (and the one 503) of the API, in the one shape of DESIGN.md.
class ErrorResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    error: ErrorDetail


ERROR_DESCRIPTIONS = {
    400: "请求内容无法解析（如上传表单缺少文件或编码错误）",
    401: "未登录、登录已过期，或登录名与密码不符",
    403: "没有权限：仅审批人员可用、审批人员不能申报，或请求来源（Origin）不是本站",
    404: "对象不存在，或不属于当前用户（他人的编号也答 404）",
    409: "与对象的当前状态冲突（如已提交、已被他人更新、事项已调整）",
    413: "请求内容过大（JSON 64 KB，上传表单 21 MB）",
    415: "请求内容不是 JSON（Content-Type 须为 application/json）",
    422: "请求内容不正确：message 说明，fields 逐项指出",
    429: "请求过于频繁或登录失败次数过多：Retry-After 给出需等待的秒数",
    503: "事项目录暂时无法读取（部署问题，请稍后再试）",
}
RETRY_AFTER = {"Retry-After": {"description": "需等待的秒数", "required": True, "schema": {"type": "integer"}}}
# What the request guards (guards.py) may answer to any POST, PUT, PATCH or DELETE, before the route runs.
GUARDED = (403, 413, 415)
# ... and to a route that reads a JSON body: also 400 (not UTF-8) and 422 (not JSON, or not the schema).
JSON_BODY = (400, 422, *GUARDED)


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route for the error statuses it can answer, each in the error shape."""
    responses: dict[int | str, dict[str, Any]] = {}
    for status in sorted(set(statuses)):
        responses[status] = {"model": ErrorResponse, "description": ERROR_DESCRIPTIONS[status]}
        if status == 429:
            responses[status]["headers"] = RETRY_AFTER
    return responses


def error_body(
    code: str, message: str, fields: dict[str, str] | None = None, details: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}, **(details or {})}}


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header") and not isinstance(part, int)]
    return ".".join(parts) if parts else "body"


def _validation_message(error: Mapping[str, Any]) -> str:
    name = _field_name(tuple(error["loc"]))
    label = FIELD_LABELS.get(name.split(".")[-1], name)
    kind = error["type"]
    if kind == "missing":
        return f"请填写{label}"
    if kind in ("literal_error", "enum"):
        return f"{label}的取值不在允许范围内"
    if kind in ("string_too_long", "too_long"):
        return f"{label}过长"
    if kind in ("string_pattern_mismatch", "string_too_short") and not str(error.get("input", "")).strip():
        return f"请填写{label}"
    if kind == "string_pattern_mismatch":
        return f"{label}格式不正确"
    if kind == "value_error":
        text = str(error.get("ctx", {}).get("error", f"{label}不正确"))
        return text if text != CONTROL_MESSAGE else f"{label}{text}"
    if kind in ("model_attributes_type", "dict_type", "model_type") and name == "body":
        return "请求内容必须是 JSON 对象"
    if kind == "json_invalid":
        return "请求内容不是有效的 JSON"
    return f"{label}格式不正确"


async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
    # The wait in the body too, so a page counts it down without reading it out of the message.
    wait = {"retry_after": int(exc.headers["Retry-After"])} if "Retry-After" in exc.headers else {}
    return JSONResponse(
        error_body(exc.code, exc.message, exc.fields, exc.details | wait), status_code=exc.status, headers=exc.headers
    )


# The repositories' refusals, one handler per kind: the status is the kind's, the rest the refusal's own.
async def _conflict(request: Request, exc: Conflict) -> JSONResponse:
    return await _api_error(request, ApiError(409, exc.code, exc.message, exc.fields))


async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
    return await _api_error(request, ApiError(404, exc.code, exc.message, exc.fields))


async def _invalid(request: Request, exc: Invalid) -> JSONResponse:
    return await _api_error(request, ApiError(422, exc.code, exc.message, exc.fields))


async def _too_frequent(request: Request, exc: TooFrequent) -> JSONResponse:
    return await _api_error(
        request, ApiError(429, exc.code, exc.message, exc.fields, headers={"Retry-After": str(exc.retry_after)})
    )


async def _transition_refused(_: Request, exc: TransitionRefused) -> JSONResponse:
    """The state machine said no: the application is in a status that does not allow the action."""
    return JSONResponse(error_body("invalid_transition", str(exc)), status_code=409)


async def _action_refused(_: Request, exc: ActionRefused) -> JSONResponse:
    """The action is allowed now, but a detail it needs is missing or wrong: named by its field."""
    return JSONResponse(error_body("invalid", exc.message, {exc.field: exc.message}), status_code=422)


async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
    fields: dict[str, str] = {}
    for error in exc.errors():
        fields.setdefault(_field_name(tuple(error["loc"])), _validation_message(error))
    message = "；".join(dict.fromkeys(fields.values())) or "请求内容不正确"
    return JSONResponse(error_body("invalid", message, fields), status_code=422)


# What FastAPI, Starlette and the multipart parser say in English ("There was an error parsing the body",
# "Too many fields. Maximum number of fields is 20.", ...), said in Chinese by status.
HTTP_MESSAGES = {
    400: "请求内容无法解析，请检查后重试（须为 UTF-8 编码的 JSON 或表单）",
    401: "请先登录",
    403: "没有权限进行此操作",
    404: "请求的资源不存在",
    405: "不支持该请求方法",
    413: "请求内容过大",
    415: "请求内容的格式不受支持",
    429: "请求过于频繁，请稍后再试",
}
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = STATUS_CODES.get(exc.status_code, "error")
    detail = exc.detail if isinstance(exc.detail, str) else ""
    # Our own raises speak Chinese already; anything else is replaced, never shown in English.
    message = detail if _CHINESE.search(detail) else HTTP_MESSAGES.get(exc.status_code, "请求无法处理")
    return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)


async def _catalogue_unavailable(_: Request, exc: CatalogueError) -> JSONResponse:
    """The deployed catalogue cannot be read (missing, or another format version): the operators must act."""
    log.error("catalogue unavailable: %s", exc)
    return JSONResponse(error_body("catalogue_unavailable", "事项目录暂时无法读取，请稍后再试"), status_code=503)


async def _body_too_large(_: Request, exc: BodyTooLarge) -> JSONResponse:
    return JSONResponse(error_body("too_large", "请求内容过大"), status_code=413)


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    # The trace goes to the log (with personal data redacted by the log filter), never to the user.
    log.exception("unhandled error")
    return JSONResponse(error_body("internal", "系统繁忙，请稍后再试"), status_code=500)


HANDLERS: dict[type[Exception], Callable[[Request, Any], Awaitable[JSONResponse]]] = {
    ApiError: _api_error,
    Conflict: _conflict,
    NotFound: _not_found,
    Invalid: _invalid,
    TooFrequent: _too_frequent,
    TransitionRefused: _transition_refused,
    ActionRefused: _action_refused,
    CatalogueError: _catalogue_unavailable,
    BodyTooLarge: _body_too_large,
    RequestValidationError: _validation_error,
    StarletteHTTPException: _http_error,
    Exception: _unexpected,
}


def install_error_handlers(app: FastAPI) -> None:
    for kind, handler in HANDLERS.items():
        app.add_exception_handler(kind, handler)
