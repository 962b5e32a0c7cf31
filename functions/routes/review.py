"""审批工作台: staff see and decide their own department's applications, and nothing else."""

from __future__ import annotations

from fastapi import APIRouter, Query

from .. import notifications
from ..application_views import detail_view, summary_view
from ..dependencies import CurrentUser, Store
from ..domain.statuses import ACTION_LABELS, STATUS_LABELS, next_status, staff_can_see
from ..errors import ApiError
from ..repositories import accounts, applications
from ..repositories.applications import ConditionFailed, history_entry
from ..schemas.applications import ApplicationDetail, ApplicationPage, ReviewAction
from ..services import Services

router = APIRouter(prefix="/review/applications", tags=["review"])

QUEUE_LIMIT = 100
# A refusal must say why (《行政许可法》第三十二条、第三十八条: 不予受理/不予许可 with reasons).
NEEDS_COMMENT = {"reject", "deny"}


def _staff(user: CurrentUser) -> dict:
    if user.account.get("role") != "staff":
        raise ApiError(403, "forbidden", "仅审批人员可以使用审批工作台")
    return user.account


def _in_department(services: Services, staff: dict, application_id: str) -> dict:
    """The application if it belongs to the staff member's department; any other id answers 404."""
    app = applications.get(services, application_id)
    if (app is None or app["region"] != staff["region"] or app["department"] != staff["department"]
            or not staff_can_see(app["status"])):
        raise ApiError(404, "not_found", "办件不存在")
    return app


@router.get("")
def department_queue(user: CurrentUser, services: Store, status: str | None = Query(None, max_length=30),
                     limit: int = Query(QUEUE_LIMIT, ge=1, le=QUEUE_LIMIT),
                     cursor: str | None = Query(None, max_length=100)) -> ApplicationPage:
    """One status's queue page by page (cursor), or the newest of every status at a glance (no status)."""
    staff = _staff(user)
    statuses = [s for s in STATUS_LABELS if staff_can_see(s)]
    if status is not None and status not in statuses:
        raise ApiError(422, "invalid", "状态不正确", {"status": f"可选：{'、'.join(statuses)}"})
    if status:
        records = applications.list_queue(services, staff["region"], staff["department"], status, limit + 1, cursor)
        page = records[:limit]
        return ApplicationPage(items=[summary_view(record) for record in page],
                               next_cursor=page[-1]["sk"] if len(records) > limit else None)
    records = [record for queue_status in statuses
               for record in applications.list_queue(services, staff["region"], staff["department"], queue_status,
                                                     limit)]
    records.sort(key=lambda record: record.get("submitted_at") or 0)
    return ApplicationPage(items=[summary_view(record) for record in records[:limit]], next_cursor=None)


@router.get("/{application_id}")
def read_for_review(application_id: str, user: CurrentUser, services: Store) -> ApplicationDetail:
    return detail_view(services, _in_department(services, _staff(user), application_id), "staff")


@router.post("/{application_id}/actions")
def decide(application_id: str, body: ReviewAction, user: CurrentUser, services: Store) -> ApplicationDetail:
    staff = _staff(user)
    app = _in_department(services, staff, application_id)
    target = next_status(app["status"], body.action)
    comment = body.comment.strip()
    corrections = [item.strip() for item in body.corrections if item.strip()]
    if body.action in NEEDS_COMMENT and not comment:
        raise ApiError(422, "invalid", f"{ACTION_LABELS[body.action]}必须说明理由", {"comment": "请填写理由"})
    if body.action == "request_correction" and not corrections:
        raise ApiError(422, "invalid", "要求补正时请列出需要补正的内容", {"corrections": "请至少填写一项"})
    now = int(services.clock())
    listed = "需补正：" + "、".join(corrections) if corrections else ""
    entry = history_entry(now, f"{app['department_name']} {staff['real_name']}", "staff", app["status"], target,
                          "；".join(part for part in (comment, listed) if part))
    changes = {"status": target, "history": app["history"] + [entry], "corrections": corrections, "updated_at": now}
    try:
        updated = applications.save(services, app, changes)
    except ConditionFailed:
        raise ApiError(409, "conflict", "办件刚刚已被更新，请刷新后再操作") from None
    applicant = accounts.get(services, app["owner"])
    if applicant:
        notifications.status_changed(services, applicant, updated)
    return detail_view(services, updated, "staff")
