"""The portal's cookies: HttpOnly, SameSite=Lax, and Secure everywhere but on localhost."""

from __future__ import annotations

from fastapi import Request, Response

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]"}


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int, path: str = "/") -> None:
    host = request.url.hostname or ""  # the Host the request came in on; X-Forwarded-Host is anyone's to send
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=path,
        httponly=True,
        samesite="lax",
        secure=host not in LOCAL_HOSTS or request.url.scheme == "https",
    )
