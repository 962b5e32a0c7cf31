"""Bodies of the application (申报) and review (审批) endpoints."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from .accounts import Body

Code = Annotated[str, Field(max_length=60)]
Comment = Annotated[str, Field(max_length=1000)]


# POST /applications: start (or continue) the draft of one sub-item in one region.
class ApplicationCreate(Body):
    region: Annotated[str, Field(pattern=r"^[0-9]{6}$", description="6 位行政区划代码，如 210300")]
    subitem_code: Code


# PUT /applications/{id}/form: a draft may be partial.
class FormUpdate(Body):
    form_data: Annotated[dict[str, str | int | float | None], Field(max_length=100)]


# PUT /applications/{id}/materials/{material_id}: the files now attached to one material.
# Files one material may hold.
MAX_FILES = 20


class MaterialFiles(Body):
    upload_ids: Annotated[list[Code], Field(max_length=MAX_FILES)]
    """The material's files: those it has and new checked uploads; any it has and is not given are taken off."""
    reuse_ids: Annotated[list[Code], Field(max_length=MAX_FILES)] = []
    """Files from 我的材料 (GET /api/me/materials) to attach as well: each is copied to the application."""


class Evaluation(Body):
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: Comment = ""


# POST /applications/{id}/submit: optionally, the guide version the page showed the applicant.
class SubmitOptions(Body):
    guide_version: Annotated[str, Field(max_length=64)] | None = None
    """The detail's guide_version: the applicant has seen the guide as it is now, changes included."""


class CorrectionItem(Body):
    """One material or form field to correct, and why (一次性告知)."""

    kind: Literal["material", "field"]
    id: Code
    reason: Annotated[str, Field(max_length=200)]


# POST /review/applications/{id}/actions: a staff decision.
class ReviewAction(Body):
    action: Literal["accept", "reject", "request_correction", "approve", "deny"]
    comment: Comment = ""
    corrections: Annotated[list[CorrectionItem], Field(max_length=50)] = []
    """What the applicant must correct, all at once (要求补正 only)."""


# POST /review/applications/{id}/reveal: open one sealed personal number of the form, on record.
class RevealRequest(Body):
    field: Code


class RevealedValue(BaseModel):
    field: str
    label: str
    value: str


class AuditEntry(BaseModel):
    at: str
    staff_name: str
    application_id: str
    number: str | None
    subitem_name: str
    field_label: str


class AuditPage(BaseModel):
    items: list[AuditEntry]
    next_cursor: str | None


# The answer of a submission, the same for every retry with the same Idempotency-Key.
class SubmitResult(BaseModel):
    application_id: str
    number: str
    status: str


class Correction(BaseModel):
    kind: str
    """material or field; empty for a correction asked as free text before items were named."""
    id: str
    label: str
    reason: str


class HistoryEntry(BaseModel):
    at: str
    actor: str
    actor_role: Literal["applicant", "staff"]
    from_status: str | None = Field(serialization_alias="from")
    to_status: str = Field(serialization_alias="to")
    from_label: str | None
    to_label: str
    comment: str
    items: list[Correction] = []
    """The materials and fields a 要求补正 named, or those a resubmission corrected."""


class IssuedDocument(BaseModel):
    """A 结果文书 the decision issued: the PDF to download, and what a third party checks it by."""

    document_number: str
    title: str
    issued_at: str
    download_url: str
    expires_in: int
    """Seconds the download link works after this answer."""
    verification_code: str
    sha256: str
    size: int


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
    acted_by: str = ""
    """经办人: the natural person who submitted (or, for a draft, started) it for the organisation; "" when the
    applicant's own account did."""
    created_at: str
    submitted_at: str | None
    updated_at: str
    allowed_actions: list[str]
    """What the viewer may do now: edit, submit, withdraw, evaluate (applicant); the staff actions (staff)."""
    documents: list[IssuedDocument] = []
    """The 结果文书 issued, oldest first (in 我的申请 and 办件详情; the staff queue leaves them out)."""


class ApplicationPage(BaseModel):
    items: list[ApplicationSummary]
    next_cursor: str | None


class EvaluationReplyView(BaseModel):
    """The department's 整改 reply to a 差评."""

    text: str
    at: str
    by: str
    """The department's name."""


class EvaluationView(BaseModel):
    """The applicant's 好差评 of a finished application, and the department's reply to a 差评."""

    rating: int
    label: str
    comment: str
    at: str
    reply: EvaluationReplyView | None = None
    reply_due: str | None = None
    """A 差评 not answered yet: the end of the department's 5 working days to reply (China time)."""


class ApplicationDetail(ApplicationSummary):
    applicant: dict[str, Any]
    fields: list[dict[str, Any]]
    """The form's fields; a date field also has min and max, the first and last day it accepts (ISO dates)."""
    form_data: dict[str, str]
    field_problems: dict[str, str] = {}
    """For the applicant's own editable application: {field name: Chinese problem} of values the draft keeps as
    typed although they fail their field's rule (form_data shows them); submit refuses until they are corrected."""
    materials: list[dict[str, Any]]
    history: list[HistoryEntry]
    corrections: list[Correction]
    """What staff asked to be corrected in the current 补正 round."""
    correction_round: int
    evaluation: EvaluationView | None
    guide_url: str
    guide_version: str
    """The version of the guide the fields and materials above are from; submit sends it back."""
    guide_changes: list[str]
    """For an application the applicant can still edit: what the guide changed since it was started."""
