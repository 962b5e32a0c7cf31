"""Applications as the applicant and the staff see them: labels, China-time stamps, short-lived file links."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, overload

from . import form_privacy
from .domain import guide_versions
from .domain.china_time import CHINA, china_day
from .domain.evaluations import awaits_reply, reply_deadline
from .domain.form_values import check_form, date_window
from .domain.lifecycle import STATUS_LABELS, allowed_actions, is_editable
from .errors import ApiError
from .file_types import FORMAT_TYPES
from .schemas.applications import (
    ApplicationDetail,
    ApplicationSummary,
    Correction,
    EvaluationView,
    HistoryEntry,
    IssuedDocument,
)
from .schemas.progress import ProgressAnswer, ProgressStep
from .services import Services

if TYPE_CHECKING:
    from .catalogue_models import SubItem

DOWNLOAD_SECONDS = 300
# What a summary shows as stored; the rest of it is derived.
SUMMARY_KEYS = (
    "id",
    "number",
    "status",
    "region",
    "region_name",
    "subitem_code",
    "subitem_name",
    "department",
    "department_name",
)


@overload
def china_time(epoch: int) -> str: ...
@overload
def china_time(epoch: int | None) -> str | None: ...
def china_time(epoch: int | None) -> str | None:
    """An epoch second as China's wall clock (ISO 8601, +08:00); None stays None (not submitted yet)."""
    return datetime.datetime.fromtimestamp(epoch, CHINA).isoformat(timespec="seconds") if epoch is not None else None


def summary_view(record: dict[str, Any], viewer: str) -> ApplicationSummary:
    stored: dict[str, Any] = {key: record.get(key) for key in SUMMARY_KEYS}
    return ApplicationSummary(
        **stored,
        applicant_name=record.get("applicant_name") or "",
        acted_by=acted_by_name(record),
        status_label=STATUS_LABELS[record["status"]],
        created_at=china_time(record["created_at"]),
        submitted_at=china_time(record.get("submitted_at")),
        updated_at=china_time(record["updated_at"]),
        allowed_actions=allowed_actions(record, viewer),
    )


def acted_by_name(record: dict[str, Any]) -> str:
    """The 经办人 who submitted (before submission: started) an organisation's application; "" when the account
    itself did, or for applications from before 经办人 existed."""
    person = record.get("submitted_by") or record.get("created_by") or {}
    return str(person.get("name") or "") if person.get("handler") else ""


def applicant_summary(services: Services, record: dict[str, Any]) -> ApplicationSummary:
    """A row of 我的申请: the summary, and the 结果文书 to download from the list itself."""
    view = summary_view(record, "applicant")
    view.documents = [_document_view(services, document) for document in record.get("documents") or []]
    return view


def subitem_of(services: Services, app: dict[str, Any]) -> SubItem | None:
    """The catalogue's sub-item an application is for; None once the catalogue no longer has it."""
    found = services.catalogue.subitem(app["region"], app["subitem_code"])
    return found[1] if found else None


def current_subitem(services: Services, app: dict[str, Any]) -> SubItem:
    """The sub-item to check an edit or a submission against: without it in the catalogue, or offline, there is
    none (409 事项已调整)."""
    subitem = subitem_of(services, app)
    if subitem is None or not subitem.online:
        guide = app.get("guide") or {}
        raise ApiError(
            409,
            "subitem_unavailable",
            "事项已调整：该事项已调整或停止网上办理，当前不能继续办理，请从服务指南重新进入",
            {"subitem_code": "事项已调整"},
            {"guide_url": guide.get("guide_url", "")},
        )
    return subitem


def guide_snapshot(subitem: SubItem) -> dict[str, Any]:
    """The sub-item's guide as an application records it (domain.guide_versions)."""
    return guide_versions.snapshot(
        subitem.name,
        subitem.guide_url,
        [field.model_dump() for field in subitem.fields],
        [material.model_dump() for material in subitem.materials],
    )


def recorded_guide(services: Services, app: dict[str, Any]) -> dict[str, Any]:
    """The guide version the application was started (or last submitted) under. Applications stored before
    snapshots existed take the catalogue's current one, or, once it is gone, what their own files tell."""
    if app.get("guide"):
        guide: dict[str, Any] = app["guide"]
        return guide
    subitem = subitem_of(services, app)
    if subitem is not None:
        return guide_snapshot(subitem)
    materials = [{"id": material_id, "name": material_id, "required": False} for material_id in app["materials"]]
    return guide_versions.snapshot(app["subitem_name"], "", [], materials)


def detail_view(services: Services, app: dict[str, Any], viewer: str) -> ApplicationDetail:
    guide = recorded_guide(services, app)
    actions = allowed_actions(app, viewer)
    shown, changes = guide, []
    form_data, problems = app["form_data"], {}
    today = china_day(services.clock())
    if viewer == "applicant" and is_editable(app["status"]):
        # The applicant works on the guide as it is now, and is told what changed since.
        subitem = subitem_of(services, app)
        if subitem is None or not subitem.online:
            actions = [action for action in actions if action not in ("edit", "submit")]
            changes = ["该事项已调整或停止网上办理，当前不能继续办理"]
        else:
            shown = guide_snapshot(subitem)
            changes = guide_versions.changes(guide, shown)
        kept = app.get("form_kept") or {}
        if kept.get("form_data"):  # what the applicant typed and must still correct: shown, with why
            form_data = {**form_data, **kept["form_data"]}
            if subitem is not None:
                opened = form_privacy.full_values(services.secret, kept)
                problems = check_form(subitem.fields, opened, complete=False, today=today)[1]
    replaced = app.get("replaced", {})
    return ApplicationDetail(
        **summary_view(app, viewer).model_dump(exclude={"allowed_actions", "documents"}),
        applicant=app["applicant"],
        fields=[_field_view(field, today) for field in shown["fields"]],
        form_data=form_privacy.masked_view(shown["fields"], form_data),
        field_problems=problems,
        materials=[
            _material_view(
                services, material, app["materials"].get(material["id"], []), replaced.get(material["id"], [])
            )
            for material in shown["materials"]
        ],
        history=[_history_view(entry) for entry in app["history"]],
        corrections=[_correction_view(item) for item in app.get("corrections", [])],
        correction_round=app.get("correction_round", 0),
        evaluation=_evaluation_view(app.get("evaluation")),
        guide_url=shown.get("guide_url", ""),
        guide_version=shown["version"],
        guide_changes=changes,
        allowed_actions=actions,
        documents=[_document_view(services, document) for document in app.get("documents", [])],
    )


def _field_view(field: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    """A form field as the page builds it: a date field with the first and last day it accepts (min, max)."""
    if field.get("type") != "date":
        return field
    earliest, latest = date_window(field.get("not_before"), field.get("not_after"), today)
    return {**field, "min": earliest.isoformat(), "max": latest.isoformat()}


def _document_view(services: Services, document: dict[str, Any]) -> IssuedDocument:
    return IssuedDocument(
        **{key: document[key] for key in ("document_number", "title", "verification_code", "sha256", "size")},
        issued_at=china_time(document["issued_at"]),
        download_url=services.blobs.presigned_get(document["key"], DOWNLOAD_SECONDS, document["filename"]),
        expires_in=DOWNLOAD_SECONDS,
    )


def _evaluation_view(evaluation: dict[str, Any] | None) -> EvaluationView | None:
    if not evaluation:
        return None
    due = reply_deadline(evaluation["rated_at"]) if awaits_reply(evaluation) and "rated_at" in evaluation else None
    return EvaluationView(
        **{key: value for key, value in evaluation.items() if key != "rated_at"}, reply_due=china_time(due)
    )


def _material_view(
    services: Services, material: dict[str, Any], files: list[dict[str, Any]], replaced: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        **material,
        # The formats' content types, so the page checks a chosen file without a copy of file_types.py.
        "content_types": {f: FORMAT_TYPES[f] for f in material.get("formats", []) if f in FORMAT_TYPES},
        "files": [_file_view(services, file) for file in files],
        "replaced_files": [_file_view(services, file) | {"round": file.get("round", 1)} for file in replaced],
    }


def _file_view(services: Services, file: dict[str, Any]) -> dict[str, Any]:
    return {key: file[key] for key in ("upload_id", "filename", "size", "content_type", "sha256")} | {
        "download_url": services.blobs.presigned_get(file["key"], DOWNLOAD_SECONDS, file["filename"]),
        "expires_in": DOWNLOAD_SECONDS,  # seconds the link works after this answer; the page fetches a new one then
    }


def _correction_view(item: Any) -> Correction:
    if isinstance(item, str):  # asked before corrections named their material or field
        return Correction(kind="", id="", label=item, reason="")
    return Correction(kind=item["kind"], id=item["id"], label=item["label"], reason=item.get("reason", ""))


def progress_view(app: dict[str, Any]) -> ProgressAnswer:
    """The public 办件进度查询 answer: where the application stands and when it moved, nothing personal."""
    return ProgressAnswer(
        number=app["number"],
        subitem_name=app["subitem_name"],
        department_name=app["department_name"],
        region_name=app["region_name"],
        status=app["status"],
        status_label=STATUS_LABELS[app["status"]],
        submitted_at=china_time(app.get("submitted_at")),
        updated_at=china_time(app["updated_at"]),
        history=[ProgressStep(at=china_time(e["at"]), status_label=STATUS_LABELS[e["to"]]) for e in app["history"]],
    )


def _history_view(entry: dict[str, Any]) -> HistoryEntry:
    return HistoryEntry(
        at=china_time(entry["at"]),
        actor=entry["actor"],
        actor_role=entry.get("actor_kind") or entry["actor_role"],  # actor_role: entries stored before the rename
        from_status=entry["from"],
        to_status=entry["to"],
        from_label=STATUS_LABELS[entry["from"]] if entry["from"] else None,
        to_label=STATUS_LABELS[entry["to"]],
        comment=entry.get("comment", ""),
        items=[_correction_view(item) for item in entry.get("items", [])],
    )
