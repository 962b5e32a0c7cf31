"""Applications as the applicant and the staff see them: labels, China-time stamps, short-lived file links."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from .domain.statuses import FINISHED, STAFF_ACTIONS, STATUS_LABELS, TRANSITIONS
from .errors import ApiError
from .schemas.applications import ApplicationDetail, ApplicationSummary, HistoryEntry
from .services import Services

if TYPE_CHECKING:
    from .catalogue_models import SubItem

CHINA = datetime.timezone(datetime.timedelta(hours=8))
DOWNLOAD_SECONDS = 300


def china_time(epoch: int | None) -> str | None:
    return datetime.datetime.fromtimestamp(epoch, CHINA).isoformat(timespec="seconds") if epoch else None


def summary_view(record: dict[str, Any]) -> ApplicationSummary:
    return ApplicationSummary(
        **{key: record.get(key) for key in ("id", "number", "status", "region", "region_name", "subitem_code",
                                            "subitem_name", "department", "department_name")},
        applicant_name=record.get("applicant_name") or "",
        status_label=STATUS_LABELS[record["status"]],
        created_at=china_time(record["created_at"]), submitted_at=china_time(record.get("submitted_at")),
        updated_at=china_time(record["updated_at"]),
    )


def subitem_of(services: Services, app: dict[str, Any]) -> SubItem | None:
    """The catalogue's sub-item an application is for; None once the catalogue no longer has it."""
    found = services.catalogue.subitem(app["region"], app["subitem_code"])
    return found[1] if found else None


def current_subitem(services: Services, app: dict[str, Any]) -> SubItem:
    """The sub-item to check an edit or a submission against: without it in the catalogue, there is none (409)."""
    subitem = subitem_of(services, app)
    if subitem is None:
        raise ApiError(409, "subitem_unavailable", "该事项已调整或停止网上办理，当前不能继续办理，请从服务指南重新进入",
                       {"subitem_code": "事项已调整"})
    return subitem


def detail_view(services: Services, app: dict[str, Any], viewer: str) -> ApplicationDetail:
    subitem = subitem_of(services, app)
    actions = allowed_actions(app, viewer)
    if subitem is None:  # left the catalogue: still shown with its files, but there is nothing to edit against
        fields: list[dict[str, Any]] = []
        materials = [{"id": material_id, "name": material_id, "required": False} for material_id in app["materials"]]
        actions = [action for action in actions if action not in ("edit", "submit")]
    else:
        fields = [field.model_dump() for field in subitem.fields]
        materials = [material.model_dump() for material in subitem.materials]
    return ApplicationDetail(
        **summary_view(app).model_dump(),
        applicant=app["applicant"],
        fields=fields,
        form_data=app["form_data"],
        materials=[_material_view(services, material, app["materials"].get(material["id"], []))
                   for material in materials],
        history=[_history_view(entry) for entry in app["history"]],
        corrections=app.get("corrections", []),
        evaluation=app.get("evaluation"),
        allowed_actions=actions,
    )


def allowed_actions(app: dict[str, Any], viewer: str) -> list[str]:
    status = app["status"]
    if viewer == "staff":
        return [t.action for t in TRANSITIONS if t.source == status and t.action in STAFF_ACTIONS]
    actions = []
    if status in ("draft", "correction_required"):
        actions += ["edit", "submit"]
    if status == "submitted":
        actions.append("withdraw")
    if status in FINISHED and not app.get("evaluation"):
        actions.append("evaluate")
    return actions


def _material_view(services: Services, material: dict[str, Any], files: list[dict[str, Any]]) -> dict[str, Any]:
    return {**material, "files": [
        {key: file[key] for key in ("upload_id", "filename", "size", "content_type", "sha256")}
        | {"download_url": services.blobs.presigned_get(file["key"], DOWNLOAD_SECONDS, file["filename"])}
        for file in files
    ]}


def _history_view(entry: dict[str, Any]) -> HistoryEntry:
    return HistoryEntry(
        at=china_time(entry["at"]), actor=entry["actor"], actor_role=entry["actor_role"],
        from_status=entry["from"], to_status=entry["to"],
        from_label=STATUS_LABELS[entry["from"]] if entry["from"] else None, to_label=STATUS_LABELS[entry["to"]],
        comment=entry.get("comment", ""),
    )
