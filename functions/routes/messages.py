"""消息中心: the signed-in user's messages, newest first; reading one marks it read; 全部标为已读.

Every route reads only the caller's own partition, so another account's message id answers 404 like an unknown one.
The caller is the signed-in person, also while acting for an organisation as its 经办人: the organisation's inbox
(its security notices among them) is its administrator's.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response

from ..application_views import china_time
from ..dependencies import CurrentUser, Store
from ..errors import GUARDED, ApiError, error_responses
from ..repositories.messages import ID_LENGTH, is_message_id
from ..schemas.accounts import ResourceId
from ..schemas.messages import MarkedRead, MessagePage, MessageView, UnreadCount

router = APIRouter(prefix="/messages", tags=["messages"])
PAGE_SIZE = 20


def _view(message: dict[str, Any]) -> MessageView:
    return MessageView(**{**message, "at": china_time(message["at"])})


@router.get("", responses=error_responses(401, 422))
def list_messages(
    user: CurrentUser,
    services: Store,
    response: Response,
    cursor: str | None = Query(None, max_length=ID_LENGTH),
    limit: int = Query(PAGE_SIZE, ge=1, le=50),
) -> MessagePage:
    if cursor is not None and not is_message_id(cursor):
        raise ApiError(422, "invalid", "翻页参数不正确，请从第一页重新打开", {"cursor": "翻页参数不正确"})
    messages, next_cursor = services.messages.page(user.person["id"], limit, cursor)
    response.headers["Cache-Control"] = "no-store"
    return MessagePage(items=[_view(message) for message in messages], next_cursor=next_cursor)


@router.get("/unread-count", responses=error_responses(401))
def unread_count(user: CurrentUser, services: Store, response: Response) -> UnreadCount:
    response.headers["Cache-Control"] = "no-store"
    return UnreadCount(count=services.messages.unread_count(user.person["id"]))


@router.post("/read-all", responses=error_responses(401, *GUARDED))
def read_all(user: CurrentUser, services: Store) -> MarkedRead:
    return MarkedRead(marked=services.messages.mark_all_read(user.person["id"]))


@router.post("/{message_id}/read", responses=error_responses(401, 404, 422, *GUARDED))
def read_one(message_id: ResourceId, user: CurrentUser, services: Store) -> MessageView:
    return _view(services.messages.mark_read(user.person["id"], message_id))
