"""经办人: a 法人 administrator invites and revokes handlers; a 自然人 accepts, and acts for the organisation.

The administrator is whoever signs in with the 法人 account's own password; a handler signs in as themselves and
switches (POST /me/acting) to act for it. While acting, SignedIn.account is the organisation (so the applications
and uploads routes check ownership against it unchanged) and SignedIn.person the handler; every route here looks at
the person, so a handler never manages the organisation's handlers.
"""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from .. import notifications
from ..application_views import china_time
from ..dependencies import CurrentUser, SignedIn, Store
from ..errors import GUARDED, JSON_BODY, ApiError, error_responses
from ..repositories.handlers import Grant
from ..schemas.accounts import AccountPublic, ResourceId
from ..schemas.handlers import (
    STATUS_LABELS,
    ActingChoice,
    HandlerGrant,
    HandlerInvite,
    HandlerList,
    OrganizationGrant,
    OrganizationList,
)
from .me import me_view

router = APIRouter(prefix="/me", tags=["handlers"])


def _administrator(user: SignedIn) -> None:
    """Only the 法人 account itself (its administrator) manages its handlers: not a handler acting for it."""
    if user.person["account_type"] != "legal":
        raise ApiError(403, "forbidden", "只有法人账号的管理员可以管理经办人")


def _natural_person(user: SignedIn) -> None:
    if user.person["account_type"] != "natural" or user.person.get("role", "applicant") != "applicant":
        raise ApiError(403, "forbidden", "只有自然人账号可以作为单位经办人")


def _handler_view(grant: Grant) -> HandlerGrant:
    return HandlerGrant(
        id=grant["id"],
        login_name=grant["person_login_name"],
        # The real name of whoever holds a login name is theirs to give: shown once they accepted, not on invitation.
        name=grant["person_name"] if grant["accepted_at"] else "",
        status=grant["status"],
        status_label=STATUS_LABELS[grant["status"]],
        invited_at=china_time(grant["invited_at"]),
        accepted_at=china_time(grant["accepted_at"]),
        revoked_at=china_time(grant["revoked_at"]),
    )


def _organization_view(grant: Grant, user: SignedIn) -> OrganizationGrant:
    return OrganizationGrant(
        organization_id=grant["organization_id"],
        organization_name=grant["organization_name"],
        status=grant["status"],
        status_label=STATUS_LABELS[grant["status"]],
        invited_at=china_time(grant["invited_at"]),
        acting=user.account["id"] == grant["organization_id"] and user.acting,
    )


@router.get("/handlers", responses=error_responses(401, 403))
def list_handlers(user: CurrentUser, services: Store) -> HandlerList:
    _administrator(user)
    return HandlerList(items=[_handler_view(grant) for grant in services.handlers.of_organization(user.person["id"])])


@router.post("/handlers", status_code=status.HTTP_201_CREATED, responses=error_responses(401, 403, 409, *JSON_BODY))
def invite_handler(body: HandlerInvite, user: CurrentUser, services: Store) -> HandlerGrant:
    _administrator(user)
    organization = user.person
    person = services.accounts.find_by_login_name(body.login_name)
    if person is not None and person["id"] == organization["id"]:
        raise ApiError(422, "invalid", "不能邀请本账号作为经办人", {"login_name": "不能邀请本账号"})
    if person is None:
        raise ApiError(422, "invalid", "未找到该登录名的自然人账号", {"login_name": "登录名不存在"})
    if person["account_type"] != "natural" or person.get("role", "applicant") != "applicant":
        raise ApiError(422, "invalid", "只能邀请已注册的自然人账号作为经办人", {"login_name": "不是自然人账号"})
    grant = services.handlers.invite(organization, person, invited_by=organization["id"])
    notifications.handler_invited(services.messages, person, grant["organization_name"])
    return _handler_view(grant)


@router.delete(
    "/handlers/{grant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 422, *GUARDED),
)
def revoke_handler(grant_id: ResourceId, user: CurrentUser, services: Store) -> Response:
    _administrator(user)
    grant = services.handlers.revoke(user.person["id"], grant_id, revoked_by=user.person["id"])
    person = services.accounts.get(grant["person_id"])
    if person is not None:
        notifications.handler_revoked(services.messages, person, grant["organization_name"])
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/organizations", responses=error_responses(401, 403))
def my_organizations(user: CurrentUser, services: Store) -> OrganizationList:
    _natural_person(user)
    grants = services.handlers.of_person(user.person["id"])
    return OrganizationList(items=[_organization_view(grant, user) for grant in grants])


@router.post("/organizations/{organization_id}/accept", responses=error_responses(401, 403, 404, 409, 422, *GUARDED))
def accept_invitation(organization_id: ResourceId, user: CurrentUser, services: Store) -> OrganizationGrant:
    _natural_person(user)
    grant = services.handlers.answer(user.person["id"], organization_id, accept=True)
    organization = services.accounts.get(organization_id)
    if organization is not None:  # the administrator hears of every new handler, as of any security change
        notifications.security_notice(
            services.sms,
            services.messages,
            organization,
            f"新增经办人 {grant['person_name']}（{grant['person_login_name']}）",
            services.clock(),
        )
    return _organization_view(grant, user)


@router.post("/organizations/{organization_id}/decline", responses=error_responses(401, 403, 404, 409, 422, *GUARDED))
def decline_invitation(organization_id: ResourceId, user: CurrentUser, services: Store) -> OrganizationGrant:
    _natural_person(user)
    return _organization_view(services.handlers.answer(user.person["id"], organization_id, accept=False), user)


@router.post("/acting", responses=error_responses(401, 403, 404, *JSON_BODY))
def act_for(body: ActingChoice, user: CurrentUser, services: Store) -> AccountPublic:
    """切换为单位身份: from the next request on, the session acts for the organisation."""
    _natural_person(user)
    organization = services.accounts.get(body.organization_id)
    if organization is None or not services.handlers.accepted(body.organization_id, user.person["id"]):
        raise ApiError(404, "not_found", "您不是该单位的经办人，或授权已被撤销", {"organization_id": "未获授权"})
    services.sessions.set_acting(user.session.token_hash, organization["id"])
    return me_view(SignedIn(account=organization, session=user.session, person=user.person))


@router.delete("/acting", responses=error_responses(401, *GUARDED))
def act_as_oneself(user: CurrentUser, services: Store) -> AccountPublic:
    """切换回个人: the session acts for the person again."""
    services.sessions.set_acting(user.session.token_hash, None)
    return me_view(SignedIn(account=user.person, session=user.session, person=user.person))
