"""我的材料: the files an account keeps to attach again."""

from __future__ import annotations

from pydantic import BaseModel


class MaterialUse(BaseModel):
    """An application that holds a copy of the kept file."""

    application_id: str
    number: str | None
    """The 办件编号; None for a draft."""
    subitem_name: str
    status: str
    status_label: str


class KeptFileView(BaseModel):
    id: str
    """What PUT /applications/{id}/materials/{mid} takes in reuse_ids."""
    filename: str
    material_name: str
    """The material it was uploaded as (营业执照 for a 法人 registration's licence image)."""
    uploaded_at: str
    """China time, ISO 8601."""
    size: int
    content_type: str
    valid_until: str | None
    """China time when it stops being offered (the material's valid_days after the upload); None: no limit."""
    expired: bool
    used_by: list[MaterialUse]
    deletable: bool
    """False while a submitted application holds it: it is part of that case file."""
    download_url: str


class KeptFilePage(BaseModel):
    items: list[KeptFileView]
