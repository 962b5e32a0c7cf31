"""文书核验: the public check of a 结果文书 by its verification code or its PDF's sha256."""

from __future__ import annotations

from pydantic import BaseModel


class VerificationAnswer(BaseModel):
    """valid: false and nothing else for a code or hash the portal never issued; the facts printed on the document
    otherwise, the holder's name masked (张*伟)."""

    valid: bool
    document_number: str | None = None
    title: str | None = None
    subitem_name: str | None = None
    department_name: str | None = None
    issued_at: str | None = None
    holder_masked: str | None = None
    sha256: str | None = None
    """The genuine PDF's sha256, to compare with the file in hand."""
