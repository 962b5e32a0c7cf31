"""Development aids of the local backend only (DESIGN.md): never mounted on aws."""

from __future__ import annotations

from fastapi import APIRouter

from ..dependencies import Store
from ..errors import ApiError
from ..storage.interface import SmsOutbox

router = APIRouter(prefix="/dev", tags=["dev"])


@router.get("/outbox")
def outbox(services: Store) -> list[dict[str, str]]:
    """The SMS messages sent, newest last: what a phone would have received."""
    if not isinstance(services.sms, SmsOutbox):  # mounted on the local backend only, whose sender keeps them
        raise ApiError(404, "not_found", "请求的资源不存在")
    return services.sms.messages()
