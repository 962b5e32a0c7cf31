"""Request guards that run before any route: the Origin check (CSRF), JSON content type, and body size.

A pure ASGI middleware, because the size cap must hold while the body streams in: a chunked body carries no
Content-Length, so the bytes are counted as they arrive and the request is refused at the first byte over.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import BodyTooLarge, error_body

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MAX_JSON_BODY = 64 * 1024
# The local backend's stand-in for S3's upload endpoint takes the multipart form of a presigned POST: the file
# (at most the largest material, 20 MB, as the store's own per-ticket limit says) and a few small fields.
NON_JSON_PATHS = ("/api/local-uploads",)
MAX_UPLOAD_BODY = 21 * 1024 * 1024


def _refusal(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status)


TOO_LARGE = ("too_large", "请求内容过大")


def same_origin(scope: Scope, headers: Headers, origin: str, public_origin: str | None) -> bool:
    """Origin must name this very site, scheme included: the configured public origin, or the scheme and Host
    the request came in on. X-Forwarded-Host is not trusted: any client can send it."""
    if public_origin and origin.rstrip("/") == public_origin.rstrip("/"):
        return True
    parts = urlsplit(origin)
    return (
        bool(parts.netloc) and parts.scheme == scope.get("scheme", "http") and parts.netloc == headers.get("host", "")
    )


class RequestGuards:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        json_body = not scope["path"].startswith(NON_JSON_PATHS)
        refusal = self._refusal(scope, headers, json_body)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if json_body:
            body = await _read_capped(receive, MAX_JSON_BODY)
            if body is None:
                await _refusal(413, *TOO_LARGE)(scope, receive, send)
                return
            receive = _replay(body, receive)
        else:
            receive = _counting(receive, MAX_UPLOAD_BODY)
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope, headers: Headers, json_body: bool) -> JSONResponse | None:
        # A browser always sends Origin on a cross-site POST; a request without it cannot carry a victim's
        # cookie from another site, so only a present, foreign Origin is refused.
        origin = headers.get("origin")
        public_origin = scope["app"].state.services.settings.public_origin if "app" in scope else None
        if origin is not None and not same_origin(scope, headers, origin, public_origin):
            return _refusal(403, "forbidden_origin", "请求来源不被允许，请从本站页面提交")
        length = headers.get("content-length", "")
        cap = MAX_JSON_BODY if json_body else MAX_UPLOAD_BODY
        if length.isdigit() and int(length) > cap:
            return _refusal(413, *TOO_LARGE)
        has_body = (length.isdigit() and int(length) > 0) or "transfer-encoding" in headers
        if json_body and has_body and not headers.get("content-type", "").startswith("application/json"):
            return _refusal(415, "unsupported_media_type", "请求内容必须是 JSON（Content-Type: application/json）")
        return None


async def _read_capped(receive: Receive, cap: int) -> bytes | None:
    """The whole body, or None as soon as it passes `cap` bytes (the rest is never read)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away: the route will see an empty body
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body read already, then the client's own messages (a disconnect, when it comes)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _counting(receive: Receive, cap: int) -> Receive:
    """receive, raising BodyTooLarge once more than `cap` bytes came through (a form is parsed as it streams)."""
    size = 0

    async def counted() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > cap:
                raise BodyTooLarge()
        return message

    return counted
