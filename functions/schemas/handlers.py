"""Bodies of the 经办人 endpoints: invitations, grants and acting for an organisation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from .accounts import Body, LoginName, Short

GrantStatus = Literal["invited", "accepted", "declined", "revoked"]
STATUS_LABELS: dict[str, str] = {"invited": "待接受", "accepted": "已授权", "declined": "已拒绝", "revoked": "已撤销"}


# The administrator's invitation of an existing 自然人 account, by its 登录名.
class HandlerInvite(Body):
    login_name: LoginName


# A row of the administrator's 经办人管理: the person's real name only once they accepted.
class HandlerGrant(BaseModel):
    id: str
    login_name: str
    name: str
    """真实姓名 once accepted (the administrator then needs it to see who applied); empty before."""
    status: GrantStatus
    status_label: str
    invited_at: str
    accepted_at: str | None = None
    revoked_at: str | None = None


class HandlerList(BaseModel):
    items: list[HandlerGrant]


# A row of the person's 我的单位: an invitation to answer, or an organisation they may act for.
class OrganizationGrant(BaseModel):
    organization_id: str
    organization_name: str
    status: GrantStatus
    status_label: str
    invited_at: str
    acting: bool
    """Whether the person acts for this organisation right now."""


class OrganizationList(BaseModel):
    items: list[OrganizationGrant]


# Switch to acting for an organisation the person is an accepted 经办人 of.
class ActingChoice(Body):
    organization_id: Short
