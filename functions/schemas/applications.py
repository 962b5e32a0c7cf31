"""Bodies of the application (申报) and review (审批) endpoints."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from .accounts import Body

Code = Annotated[str, Field(max_length=60)]
Comment = Annotated[str, Field(max_length=1000)]


# POST /applications: start (or continue) the draft of one sub-item in one region.
class ApplicationCreate(Body):
    region: Annotated[str, Field(pattern=r"^\d{6}$")]
    subitem_code: Code


# PUT /applications/{id}/form: a draft may be partial.
class FormUpdate(Body):
    form_data: Annotated[dict[str, str | int | float | None], Field(max_length=100)]


# PUT /applications/{id}/materials/{material_id}: the files now attached to one material.
class MaterialFiles(Body):
    upload_ids: Annotated[list[Code], Field(max_length=20)]


class Evaluation(Body):
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Comment = ""


# POST /review/applications/{id}/actions: a staff decision.
class ReviewAction(Body):
    action: Literal["accept", "reject", "request_correction", "approve", "deny"]
    comment: Comment = ""
    corrections: Annotated[list[Annotated[str, Field(max_length=200)]], Field(max_length=30)] = []
    """What the applicant must correct (要求补正 only)."""


# The answer of a submission, the same for every retry with the same Idempotency-Key.
class SubmitResult(BaseModel):
    application_id: str
    number: str
    status: str


class HistoryEntry(BaseModel):
    at: str
    actor: str
    actor_role: Literal["applicant", "staff"]
    from_status: str | None = Field(serialization_alias="from")
    to_status: str = Field(serialization_alias="to")
    from_label: str | None
    to_label: str
    comment: str


class ApplicationSummary(BaseModel):
    id: str
    number: str | None
    status: str
    status_label: str
    region: str
    region_name: str
    subitem_code: str
    subitem_name: str
    department: str
    department_name: str
    applicant_name: str = ""
    created_at: str
    submitted_at: str | None
    updated_at: str


class ApplicationPage(BaseModel):
    items: list[ApplicationSummary]
    next_cursor: str | None


class ApplicationDetail(ApplicationSummary):
    applicant: dict[str, Any]
    fields: list[dict[str, Any]]
    form_data: dict[str, str]
    materials: list[dict[str, Any]]
    history: list[HistoryEntry]
    corrections: list[str]
    evaluation: dict[str, Any] | None
    allowed_actions: list[str]
    """What the viewer may do now: edit, submit, withdraw, evaluate (applicant); the staff actions (staff)."""
