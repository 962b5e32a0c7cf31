"""The local backend's stand-ins for S3's presigned POST and GET (mounted only with PORTAL_BACKEND=local).

They accept exactly the form a presigned POST takes, so the pages' upload code is the same on both backends.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ..dependencies import Store
from ..errors import ApiError
from ..storage.local import DownloadRefused, UploadRefused, content_disposition

router = APIRouter(tags=["local storage"])


@router.post("/local-uploads", status_code=204)
async def accept_upload(request: Request, services: Store) -> Response:
    form = await request.form(max_files=1, max_fields=20)
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise ApiError(400, "bad_request", "缺少上传的文件", {"file": "请选择文件"})
    fields = {name: value for name, value in form.items() if isinstance(value, str)}
    try:
        services.blobs.accept_post(fields, upload.file)
    except UploadRefused as refused:
        raise ApiError(403, "upload_refused", f"上传被拒绝：{refused}") from None
    finally:
        await form.close()
    return Response(status_code=204)


@router.get("/local-files/{token}")
def download(token: str, services: Store) -> Response:
    try:
        key, filename = services.blobs.resolve_get(token)
    except DownloadRefused:
        raise ApiError(404, "not_found", "下载链接无效或已过期") from None
    head = services.blobs.head(key)
    if head is None:
        raise ApiError(404, "not_found", "文件不存在")
    return Response(services.blobs.read(key), media_type=head["content_type"],
                    headers={"Content-Disposition": content_disposition(filename), "Cache-Control": "private, no-store"})
