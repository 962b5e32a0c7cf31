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
    """The account the request acts for: the organisation while its 经办人 acts for it, else the person's own. Every
    ownership check (applications, uploads) compares with this one."""
    session: Session
    person: Account
    """Who is actually signed in: the account whose password opened the session. Account management (profile,
    password, 经办人, 消息中心, 退出) acts on this one, never on the organisation acted for."""

    @property
    def acting(self) -> bool:
        """Whether the person acts as an organisation's 经办人 in this request."""
        return bool(self.account["id"] != self.person["id"])


def maybe_signed_in(request: Request, services: Store) -> SignedIn | None:
    """The signed-in user, or None: for what anonymous visitors may also do (a licence upload while registering)."""
    token = request.cookies.get(SESSION_COOKIE)
    session = services.sessions.resolve(token) if token else None
    person = services.accounts.get(session.account_id) if session else None
    if session is None or person is None:
        return None
    return SignedIn(account=_acted_for(services, session, person), session=session, person=person)


def _acted_for(services: Services, session: Session, person: Account) -> Account:
    """The organisation the session acts for, if the grant still stands at this very request (a revocation takes
    effect at once, in sessions already acting too); else the person."""
    if not session.acting_for:
        return person
    if services.handlers.accepted(session.acting_for, person["id"]):
        organization = services.accounts.get(session.acting_for)
        if organization is not None:
            return organization
    services.sessions.set_acting(session.token_hash, None)  # revoked: back to acting as oneself, for good
    return person


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
