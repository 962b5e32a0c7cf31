"""Uploads go from the browser straight to storage; the API hands out the ticket and checks the result."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from fastapi import APIRouter, Request, Response, status

from ..application_views import current_subitem
from ..cookies import set_cookie
from ..dependencies import OptionalUser, SignedIn, Store
from ..domain.lifecycle import is_editable, may_change
from ..errors import GUARDED, JSON_BODY, ApiError, error_responses
from ..file_types import EXTENSIONS, FORMAT_TYPES, image_problem, pdf_problem, sniff
from ..repositories.uploads import QUARANTINE_SECONDS, Upload
from ..schemas.accounts import ResourceId
from ..schemas.uploads import UploadRequest, UploadResult, UploadTicket
from ..services import Services

router = APIRouter(prefix="/uploads", tags=["uploads"])

TICKET_SECONDS = 600
VISITOR_COOKIE = "portal_upload_visitor"
LICENCE_MAX_SIZE = 5 * 1024 * 1024
FORMAT_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}


def _visitor_owner(token: str) -> str:
    return "visitor#" + hashlib.sha256(token.encode()).hexdigest()


def _owner(request: Request, user: SignedIn | None) -> str | None:
    """Who an upload belongs to: the account, or for a visitor not signed in (a 法人 registering) the browser
    holding the visitor cookie, so nobody else can complete or reuse it; None for a visitor without one."""
    if user:
        return str(user.account["id"])
    token = request.cookies.get(VISITOR_COOKIE)
    return _visitor_owner(token) if token else None


@router.post("", status_code=status.HTTP_201_CREATED, responses=error_responses(404, 409, 503, *JSON_BODY))
def start_upload(
    body: UploadRequest, request: Request, response: Response, user: OptionalUser, services: Store
) -> UploadTicket:
    owner = _owner(request, user)
    if owner is None:
        token = secrets.token_urlsafe(32)
        set_cookie(request, response, VISITOR_COOKIE, token, QUARANTINE_SECONDS, path="/api/uploads")
        owner = _visitor_owner(token)
    types, max_size, label, target = _rules(services, body, user.account["id"] if user else None)
    if body.content_type not in types:
        allowed = "、".join(sorted(FORMAT_NAMES[t] for t in types))
        raise ApiError(422, "invalid", f"{label}只接受 {allowed} 格式", {"content_type": f"只接受 {allowed} 文件"})
    if body.size > max_size:
        raise ApiError(
            422,
            "too_large",
            f"{label}不能超过 {max_size // 1048576} MB",
            {"size": f"文件不能超过 {max_size // 1048576} MB"},
        )
    upload = services.uploads.create(
        body.purpose,
        body.content_type,
        max_size,
        body.filename,
        owner=owner,
        extension=EXTENSIONS[body.content_type],
        declared_size=body.size,
        **target,
    )
    # The declared size is what the ticket allows: the store refuses a larger body (S3 by the signed policy).
    post = services.blobs.presigned_post(upload["incoming_key"], body.content_type, body.size, TICKET_SECONDS)
    return UploadTicket(upload_id=upload["id"], url=post["url"], fields=post["fields"], max_size=max_size)


def _rules(services: Services, body: UploadRequest, owner: str | None) -> tuple[set[str], int, str, dict[str, Any]]:
    """(accepted content types, size limit, label, where it belongs) for this purpose."""
    if body.purpose == "business_license":
        return {"image/jpeg", "image/png"}, LICENCE_MAX_SIZE, "营业执照图片", {}
    app = services.applications.get(body.application_id or "")
    if owner is None or app is None or app["owner"] != owner:
        raise ApiError(404, "not_found", "办件不存在", {"application_id": "办件不存在"})
    if not is_editable(app["status"]):
        raise ApiError(409, "not_editable", "办件已提交，当前不能上传材料")
    item = current_subitem(services, app).material(body.material_id or "")
    if item is None:
        raise ApiError(404, "not_found", "该事项没有这项申请材料", {"material_id": "材料不存在"})
    if not may_change(app, "material", item.id):  # in 待补正 only what staff marked, as attach_files says
        raise ApiError(409, "not_marked", f"“{item.name}”不在本次补正范围内，不能更换", {"material_id": "无需补正"})
    return (
        {FORMAT_TYPES[f] for f in item.formats},
        item.max_size,
        f"“{item.name}”",
        {
            "application_id": app["id"],
            "material_id": item.id,
            "material_name": item.name,
            "valid_days": item.valid_days,
        },
    )


@router.post("/{upload_id}/complete", responses=error_responses(404, 409, 422, *GUARDED))
def complete_upload(upload_id: ResourceId, request: Request, user: OptionalUser, services: Store) -> UploadResult:
    """Check the ticket's object once and keep exactly the checked bytes, write-once, where no ticket reaches.

    A ticket can be sent again (an S3 presigned POST is good until it expires), so after this nothing reads
    the incoming key: the upload's "key" names the checked copy, whose size and sha256 are recorded.
    """
    upload = services.uploads.get(upload_id)
    owner = _owner(request, user)
    if upload is None or owner is None or upload.get("owner") != owner:
        raise ApiError(404, "not_found", "上传记录不存在或已过期，请重新上传")
    if upload["status"] == "complete":
        return _result(upload)
    incoming = upload.get("incoming_key")  # none on a ticket from before checked keys: it must be sent anew
    size, data = _read_incoming(services, upload, incoming) if incoming else (None, b"")
    if incoming is None or size is None:
        raise ApiError(422, "not_uploaded", "文件尚未上传成功，请重新上传", {"file": "文件尚未上传"})
    problem = _problem(upload, size, data)
    if problem:
        services.uploads.discard(upload_id, incoming)
        raise ApiError(422, "invalid_file", problem, {"file": problem})
    kept = services.uploads.keep_checked(upload, data)
    if kept.get("application_id") and kept.get("material_name"):
        # 我的材料 offers it again for later applications (a ticket from before it was kept has no material name).
        services.material_library.keep(kept["owner"], kept, data, kept["material_name"], kept.get("valid_days"))
    return _result(kept)


def _read_incoming(services: Services, upload: Upload, key: str) -> tuple[int | None, bytes]:
    """(size, bytes) of the ticket's object, read once; (None, b"") if there is none.

    The size is checked before reading, so an oversized object is never loaded into memory; the read is
    bounded too, and the checks then judge the bytes read, even if the object was replaced since the head.
    """
    stored = services.blobs.head(key)
    if stored is None:
        return None, b""
    if stored["size"] > upload["max_size"]:
        return stored["size"], b""
    declared: int = upload["declared_size"] if "declared_size" in upload else upload["max_size"]
    try:
        data = services.blobs.read(key, max_bytes=declared + 1)
    except KeyError:
        return None, b""
    return len(data), data


def _problem(upload: Upload, size: int, data: bytes) -> str | None:
    """Why the stored object is refused, judged by its real bytes and naming the file; None if it is fine."""
    problem = _content_problem(upload, size, data)
    return f"文件“{upload['filename']}”：{problem}" if problem else None


def _content_problem(upload: Upload, size: int, data: bytes) -> str | None:
    declared = upload.get("declared_size", size)
    if size != declared:
        return f"文件大小（{size} 字节）与上传前申报的（{declared} 字节）不一致，请重新上传"
    if size > upload["max_size"]:
        return f"文件超过 {upload['max_size'] // 1048576} MB"
    real_type = sniff(data[:16])
    if real_type != upload["content_type"]:
        return f"文件内容不是真正的 {FORMAT_NAMES[upload['content_type']]} 文件（可能只是改了扩展名）"
    return pdf_problem(data) if real_type == "application/pdf" else image_problem(upload["content_type"], data)


def _result(upload: Upload) -> UploadResult:
    return UploadResult(
        upload_id=upload["id"],
        status="complete",
        content_type=upload["content_type"],
        size=upload["size"],
        sha256=upload["sha256"],
    )
