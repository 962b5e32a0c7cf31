"""Development aids of the local backend only (DESIGN.md): never mounted on aws."""

from __future__ import annotations

from fastapi import APIRouter

from ..dependencies import Store

router = APIRouter(prefix="/dev", tags=["dev"])


@router.get("/outbox")
def outbox(services: Store) -> list[dict]:
    """The SMS messages sent, newest last: what a phone would have received."""
    return services.sms.messages()
