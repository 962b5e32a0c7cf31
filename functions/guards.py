"""Request guards that run before any route: body size, JSON content type, and the Origin check (CSRF)."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from .errors import error_body

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_JSON_BODY = 64 * 1024
# Routes that take something other than JSON: the local backend's upload endpoint takes the multipart form.
NON_JSON_PATHS = ("/api/local-uploads",)


def _refuse(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status)


def _same_origin(request: Request, origin: str) -> bool:
    """Origin must name this very site: the configured public origin, or the host the browser reached."""
    public_origin = request.app.state.services.settings.public_origin
    if public_origin and origin.rstrip("/") == public_origin.rstrip("/"):
        return True
    parts = urlsplit(origin)
    host = request.headers.get("x-forwarded-host") or request.headers.get("host", "")
    return bool(parts.netloc) and parts.netloc == host


class RequestGuards(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        if request.method in UNSAFE_METHODS and request.url.path.startswith("/api/"):
            # A browser always sends Origin on a cross-site POST; a request without it cannot carry a
            # victim's cookie from another site, so only a present, foreign Origin is refused.
            origin = request.headers.get("origin")
            if origin is not None and not _same_origin(request, origin):
                return _refuse(403, "forbidden_origin", "请求来源不被允许，请从本站页面提交")
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > MAX_JSON_BODY and not request.url.path.startswith(
                NON_JSON_PATHS
            ):
                return _refuse(413, "too_large", "请求内容过大")
            content_type = request.headers.get("content-type", "")
            has_body = bool(length and length != "0") or "transfer-encoding" in request.headers
            if has_body and not request.url.path.startswith(NON_JSON_PATHS) and not content_type.startswith(
                "application/json"
            ):
                return _refuse(415, "unsupported_media_type", "请求内容必须是 JSON（Content-Type: application/json）")
        return await call_next(request)
