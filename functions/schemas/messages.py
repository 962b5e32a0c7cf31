"""消息中心: the signed-in user's messages."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

MessageKind = Literal["status", "correction", "document", "security", "evaluation_reply", "appointment"]


class MessageView(BaseModel):
    id: str
    at: str
    """China time, ISO 8601."""
    kind: MessageKind
    title: str
    text: str
    application_id: str | None
    """The application it is about, for a link to 办件详情; None for account notices."""
    read: bool


class MessagePage(BaseModel):
    items: list[MessageView]
    next_cursor: str | None


class UnreadCount(BaseModel):
    count: int


class MarkedRead(BaseModel):
    marked: int
    """How many messages were unread and are read now."""
