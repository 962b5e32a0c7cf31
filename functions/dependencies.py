"""Route dependencies as Annotated aliases, so signatures read as plain types."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from .errors import ApiError
from .repositories import rate_limits
from .repositories.accounts import Account
from .repositories.sessions import Session
from .services import Services

SESSION_COOKIE = "portal_session"


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


Store = Annotated[Services, Depends(get_services)]


@dataclass(frozen=True)
class SignedIn:
    account: Account
    session: Session


def maybe_signed_in(request: Request, services: Store) -> SignedIn | None:
    """The signed-in user, or None: for what anonymous visitors may also do (a licence upload while registering)."""
    token = request.cookies.get(SESSION_COOKIE)
    session = services.sessions.resolve(token) if token else None
    account = services.accounts.get(session.account_id) if session else None
    return SignedIn(account=account, session=session) if session and account else None


def signed_in(user: Annotated[SignedIn | None, Depends(maybe_signed_in)]) -> SignedIn:
    if user is None:
        raise ApiError(401, "unauthorized", "请先登录")
    return user


OptionalUser = Annotated[SignedIn | None, Depends(maybe_signed_in)]
CurrentUser = Annotated[SignedIn, Depends(signed_in)]


def client_address(request: Request, services: Services) -> str:
    """The visitor's address: the trusted proxy's header when one is configured, else the connection's."""
    header = services.settings.client_address_header
    if header and (value := request.headers.get(header)):
        return value.rsplit(":", 1)[0]  # "address:port" (CloudFront-Viewer-Address), IPv6 addresses included
    return request.client.host if request.client else "unknown"


def limited(limit: rate_limits.Limit) -> Any:
    """A dependency counting the request against its per-address limit; 429 with Retry-After past it."""

    def check(request: Request, services: Store) -> None:
        wait = services.rate_limits.hit(limit, client_address(request, services))
        if wait is not None:
            minutes = max(1, round(wait / 60))
            raise ApiError(
                429,
                "too_many_requests",
                f"{limit.message}，请 {minutes} 分钟后再试",
                headers={"Retry-After": str(wait)},
            )

    return Depends(check)
