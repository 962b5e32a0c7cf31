"""What the catalogue files hold (format version 2), as typed records validated when a file is read.

Kept apart from the reader so that defining these models - a few milliseconds - is paid by the first request
that needs the catalogue, not by every cold start (/api/health never reads it).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Record(BaseModel):
    # Unknown keys are ignored, so a build that adds a field does not break an API that does not use it yet.
    model_config = ConfigDict(frozen=True, extra="ignore")


class FormField(_Record):
    """One input of a sub-item's application form."""

    name: str
    label: str
    type: Literal["text", "textarea", "number", "date", "select", "phone", "id_number", "email"]
    required: bool
    options: list[str] = []
    """Choices of a select field."""
    help: str = ""
    prefill: str | None = None
    """Account attribute copied into the field when the application starts."""
    not_before: str | None = None
    """Earliest date a date field accepts: "today" or an ISO date; None: form_values' plausibility window."""
    not_after: str | None = None
    """Latest date a date field accepts: "today" (a 出生日期) or an ISO date; None: the plausibility window."""


class Material(_Record):
    """One 申请材料 of a sub-item, with what an upload for it must be."""

    id: str
    name: str
    kind: str
    copies: int
    required: bool
    formats: list[Literal["pdf", "jpg", "png"]] = Field(min_length=1)
    max_size: int = Field(gt=0)
    """Bytes."""
    valid_days: int | None = None
    """Days a file for it stays valid after its upload (我的材料 offers it again only within them); None: no limit."""
    blank_form: str | None = None
    sample: str | None = None
    notes: str = ""


DecisionKind = Literal["approved", "denied", "rejected"]
"""The statuses that end an application with a 结果文书 (functions/domain/lifecycle.py)."""


class TemplateText(_Record):
    """A 结果文书 template as the build exported it: plain text with {placeholders} (functions/result_documents.py)."""

    title: str
    body: str
    """Paragraphs separated by one blank line."""


class ResultTemplate(_Record):
    """The template that applies to one sub-item's decision of one kind: its item's own, or the portal's default."""

    kind: DecisionKind
    title: str
    body: str
    overridden: bool
    """True when the sub-item's item has its own template for this kind."""


class SubItem(_Record):
    """One 子事项: what the API checks an application against."""

    code: str
    name: str
    item_code: str
    item_name: str
    department: str
    """The department's code, within the sub-item's region."""
    item_type: str
    audiences: list[Literal["natural", "legal"]]
    """Account types that may apply."""
    online: bool
    """Whether it can be applied for online at all."""
    appointment: bool = False
    """预约办理 offered at the region's service centre (a catalogue built before appointments has none)."""
    handling_type: str
    legal_time_limit: int
    promised_time_limit: int
    guide_url: str
    fields: list[FormField]
    materials: list[Material]
    legal_basis: list[str] = []
    """设定依据, each law with its articles, e.g. 《公共场所卫生管理条例》第四条、第八条."""
    result_documents: dict[str, TemplateText] = {}
    """Only the kinds whose template the item overrides; the others are in catalog/documents.json."""

    def material(self, material_id: str) -> Material | None:
        return next((material for material in self.materials if material.id == material_id), None)


class Department(_Record):
    code: str
    name: str
    full_name: str
    """市行政审批局社会事务科: what applications and staff accounts show."""
    parent: str | None
    document_prefix: str | None = None
    """机关代字 of its 结果文书' 文号 (a catalogue built before it had none)."""


class AppointmentRules(_Record):
    """预约办理 at a region's service centre: the sessions of a working day, cut into half-hour slots."""

    sessions: list[tuple[str, str]] = Field(min_length=1)
    """[start, end] as HH:MM China time, on the half hour, in order."""
    slot_capacity: int = Field(ge=1)
    days_ahead: int = Field(ge=1)
    """Days that can be booked, from tomorrow on."""
    location: str
    """The hall and its address, as the confirmation names it."""


class Holidays(_Record):
    """The State Council's 节假日安排 (ISO dates): days off, and weekend days that are working days (调休)."""

    holidays: list[str] = []
    workdays: list[str] = []


class RegionRef(_Record):
    """A region as catalog.json lists it, with the files that hold the rest of it (relative to site/)."""

    code: str
    name: str
    slug: str
    site_name: str
    departments: str
    subitem_shards: list[str] = Field(min_length=1)
    appointment: AppointmentRules | None = None
    """None where the service centre takes no appointments."""


class PortalRef(_Record):
    name: str
    default_region: str
    """The default region's code."""


class CatalogueFile(_Record):
    version: int
    """FORMAT_VERSION of functions/catalogue.py; checked before the rest of the file is read."""


class RegionFile(CatalogueFile):
    """A file of one region's part of the catalogue, under site/catalog/<region code>/."""

    region: str


class CatalogueIndex(CatalogueFile):
    """site/catalog.json, the entry point."""

    portal: PortalRef
    regions: list[RegionRef]
    documents: str | None = None
    """The file of the default 结果文书 templates, relative to site/ (absent from catalogues built before them)."""
    holidays: Holidays = Holidays()


class DocumentsFile(CatalogueFile):
    """site/catalog/documents.json: the portal's default 结果文书 template of each decision kind."""

    documents: dict[str, TemplateText]


class DepartmentsFile(RegionFile):
    departments: list[Department]


class SubitemShard(RegionFile):
    subitems: dict[str, SubItem]
