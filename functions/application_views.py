"""Applications as the applicant and the staff see them: labels, China-time stamps, short-lived file links."""

from __future__ import annotations

import datetime
from typing import Any

from .catalog_lookup import find_subitem
from .domain.statuses import FINISHED, STAFF_ACTIONS, STATUS_LABELS, TRANSITIONS
from .schemas.applications import ApplicationDetail, ApplicationSummary, HistoryEntry
from .services import Services

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


def detail_view(services: Services, app: dict[str, Any], viewer: str) -> ApplicationDetail:
    _, subitem = find_subitem(services.catalog, app["region"], app["subitem_code"])
    return ApplicationDetail(
        **summary_view(app).model_dump(),
        applicant=app["applicant"],
        fields=subitem["fields"],
        form_data=app["form_data"],
        materials=[_material_view(services, material, app["materials"].get(material["id"], []))
                   for material in subitem["materials"]],
        history=[_history_view(entry) for entry in app["history"]],
        corrections=app.get("corrections", []),
        evaluation=app.get("evaluation"),
        allowed_actions=allowed_actions(app, viewer),
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
