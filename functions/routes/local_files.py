"""The local backend's stand-ins for S3's presigned POST and GET (mounted only with PORTAL_BACKEND=local).

They accept exactly the form a presigned POST takes, so the pages' upload code is the same on both backends.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from ..dependencies import Store
from ..errors import ApiError, error_responses
from ..repositories.uploads import EVIDENCE_PREFIX
from ..storage.interface import LinkRefused, SelfServedBlobs
from ..storage.rules import content_disposition

router = APIRouter(tags=["local storage"])


def self_served_blobs(services: Store) -> SelfServedBlobs:
    """The store whose links these routes serve; the app mounts them only on the local backend, whose store is."""
    if not isinstance(services.blobs, SelfServedBlobs):
        raise ApiError(404, "not_found", "请求的资源不存在")
    return services.blobs


Blobs = Annotated[SelfServedBlobs, Depends(self_served_blobs)]

# What the person uploading is told, by the store's reason code; each says what to do next.
UPLOAD_REFUSALS = {
    "bad_signature": "上传凭证无效，请重新选择文件上传",
    "expired": "上传凭证已过期，请重新选择文件上传",
    "used": "上传凭证已使用过，请重新选择文件上传",
    "exists": "该文件已上传，不能再次覆盖，请重新选择文件上传",
    "wrong_key": "上传表单与上传凭证不符（文件位置），请重新选择文件上传",
    "wrong_content_type": "上传表单与上传凭证不符（文件类型），请重新选择文件上传",
    "too_large": "文件大于上传前申报的大小，请重新选择文件上传",
    "empty": "文件是空的，请重新选择文件上传",
}


FILE_TYPES = ("application/pdf", "image/jpeg", "image/png")  # what a checked upload can be (file_types.py)
# The form of a presigned POST: the ticket's fields, and the file last.
UPLOAD_FORM = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
                "additionalProperties": {"type": "string"},
            }
        }
    },
}


# Like S3: 400 for a form without a file or over the declared size, 403 for a bad or expired signature,
# 409 for a ticket used already; the guards' 403 (Origin) and 413 (over 21 MB).
@router.post(
    "/local-uploads",
    status_code=204,
    openapi_extra={"requestBody": UPLOAD_FORM},
    responses=error_responses(400, 403, 409, 413),
)
async def accept_upload(request: Request, blobs: Blobs) -> Response:
    form = await request.form(max_files=1, max_fields=20)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise ApiError(400, "bad_request", "缺少上传的文件", {"file": "请选择文件"})
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    try:
        blobs.accept_post(fields, upload.file)
    except LinkRefused as refused:
        message = UPLOAD_REFUSALS.get(refused.reason, "上传被拒绝，请重新选择文件上传")
        raise ApiError(refused.http_status, "upload_refused", message, {"file": message}) from None
    finally:
        await form.close()
    return Response(status_code=204)


@router.get(
    "/local-files/{token}",
    response_class=Response,
    responses={
        200: {
            "content": {media_type: {"schema": {"type": "string", "format": "binary"}} for media_type in FILE_TYPES},
            "description": "文件本身",
        },
        **error_responses(404, 422),
    },
)
def download(token: Annotated[str, Path(max_length=2000)], blobs: Blobs) -> Response:
    try:
        key, filename = blobs.resolve_get(token)
    except LinkRefused:
        raise ApiError(404, "not_found", "下载链接无效或已过期") from None
    # Only checked, write-once keys are served: their bytes are the ones whose sha256 was recorded.
    head = blobs.head(key) if key.startswith(EVIDENCE_PREFIX) else None
    if head is None:
        raise ApiError(404, "not_found", "文件不存在")
    return Response(
        blobs.read(key),
        media_type=head["content_type"],
        headers={"Content-Disposition": content_disposition(filename), "Cache-Control": "private, no-store"},
    )
