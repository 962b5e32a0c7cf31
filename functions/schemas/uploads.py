"""Bodies of the upload endpoints."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from .accounts import FILLED_TEXT, Body, documented

# What a checked file can be (file_types.py); each purpose takes some of them.
ContentType = Literal["application/pdf", "image/jpeg", "image/png"]


# POST /uploads: ask where to send a file.
class UploadRequest(Body):
    purpose: Literal["business_license", "material"]
    filename: Annotated[str, Field(min_length=1, max_length=200), documented(FILLED_TEXT)]
    content_type: ContentType
    size: Annotated[int, Field(ge=1)]
    application_id: Annotated[str, Field(max_length=60)] | None = None
    """For a material: the draft it belongs to."""
    material_id: Annotated[str, Field(max_length=60)] | None = None


# Its answer: a multipart POST of `fields` plus the file as `file` to `url`.
class UploadTicket(Body):
    upload_id: str
    method: Literal["POST"] = "POST"
    url: str
    fields: dict[str, str]
    max_size: int


class UploadResult(Body):
    upload_id: str
    status: Literal["complete"]
    content_type: str
    size: int
    sha256: str
