"""审批工作台: staff see and decide their own department's applications, and nothing else."""

from __future__ import annotations

import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from .. import document_issuing, form_privacy, notifications
from ..application_views import china_time, detail_view, recorded_guide, summary_view
from ..dependencies import CurrentUser, Store
from ..domain.china_time import china_day
from ..domain.evaluations import is_bad, is_overdue
from ..domain.lifecycle import STATUS_LABELS, Actor, CorrectionRequest, act, staff_can_see
from ..domain.masking import mask_phone
from ..errors import JSON_BODY, ApiError, error_responses
from ..repositories.accounts import Account
from ..repositories.applications import Application
from ..repositories.errors import RecordChanged
from ..schemas.accounts import ResourceId
from ..schemas.applications import (
    ApplicationDetail,
    ApplicationPage,
    AuditEntry,
    AuditPage,
    RevealedValue,
    RevealRequest,
    ReviewAction,
)
from ..schemas.appointments import DepartmentAppointment, DepartmentDay
from ..schemas.evaluations import AwaitingReply, AwaitingReplyPage, EvaluationReply
from ..services import Services

router = APIRouter(prefix="/review", tags=["review"])

QUEUE_LIMIT = 100
QUEUE_STATUSES = [status for status in STATUS_LABELS if staff_can_see(status)]


def _staff(user: CurrentUser) -> Account:
    if user.account.get("role") != "staff":
        raise ApiError(403, "forbidden", "仅审批人员可以使用审批工作台")
    return user.account


def _in_department(services: Services, staff: Account, application_id: str) -> Application:
    """The application if it belongs to the staff member's department; any other id answers 404."""
    app = services.applications.get(application_id)
    if (
        app is None
        or app["region"] != staff["region"]
        or app["department"] != staff["department"]
        or not staff_can_see(app["status"])
    ):
        raise ApiError(404, "not_found", "办件不存在")
    return app


@router.get("/applications", responses=error_responses(401, 403, 422))
def department_queue(
    user: CurrentUser,
    services: Store,
    status: str | None = Query(None, max_length=30, json_schema_extra={"enum": QUEUE_STATUSES}),
    limit: int = Query(QUEUE_LIMIT, ge=1, le=QUEUE_LIMIT),
    cursor: str | None = Query(None, max_length=100),
) -> ApplicationPage:
    """One status's queue page by page (cursor), or the newest of every status at a glance (no status)."""
    staff = _staff(user)
    statuses = QUEUE_STATUSES
    if status is not None and status not in statuses:
        raise ApiError(422, "invalid", "状态不正确", {"status": f"可选：{'、'.join(statuses)}"})
    if status:
        records = services.applications.list_queue(staff["region"], staff["department"], status, limit + 1, cursor)
        page = records[:limit]
        return ApplicationPage(
            items=[summary_view(record, "staff") for record in page],
            next_cursor=page[-1]["sk"] if len(records) > limit else None,
        )
    records = [
        record
        for queue_status in statuses
        for record in services.applications.list_queue(staff["region"], staff["department"], queue_status, limit)
    ]
    records.sort(key=lambda record: record.get("submitted_at") or 0)
    return ApplicationPage(items=[summary_view(record, "staff") for record in records[:limit]], next_cursor=None)


@router.get("/applications/{application_id}", responses=error_responses(401, 403, 404, 422, 503))
def read_for_review(application_id: ResourceId, user: CurrentUser, services: Store) -> ApplicationDetail:
    return detail_view(services, _in_department(services, _staff(user), application_id), "staff")


@router.post("/applications/{application_id}/actions", responses=error_responses(401, 403, 404, 409, 503, *JSON_BODY))
def decide(application_id: ResourceId, body: ReviewAction, user: CurrentUser, services: Store) -> ApplicationDetail:
    staff = _staff(user)
    app = _in_department(services, staff, application_id)
    now = int(services.clock())
    requests = [CorrectionRequest(item.kind, item.id, item.reason) for item in body.corrections]
    step = act(
        {**app, "guide": recorded_guide(services, app)},
        body.action,
        Actor("staff", f"{app['department_name']} {staff['real_name']}"),
        now,
        body.comment,
        requests,
    )
    changes = {**step.changes, "updated_at": now}
    if body.action == "request_correction":
        changes["corrected"] = []  # a new round: nothing of it corrected yet
    issued = document_issuing.issue(services, app, step.status, body.comment, now)
    writes = issued.writes if issued else None
    if issued:
        changes["documents"] = [*app.get("documents", []), issued.document]
    try:
        updated = services.applications.save(
            app, changes, notifications.status_message_writes(services.messages, app, changes, into=writes)
        )
    except RecordChanged:
        if issued:
            services.result_documents.discard(issued.document["key"])
        raise RecordChanged("办件刚刚已被更新，请刷新后再操作") from None  # staff's words for it
    applicant = services.accounts.get(app["owner"])
    if applicant:
        notifications.status_changed(services.sms, applicant, updated)
    return detail_view(services, updated, "staff")


@router.post("/applications/{application_id}/reveal", responses=error_responses(401, 403, 404, 503, *JSON_BODY))
def reveal(application_id: ResourceId, body: RevealRequest, user: CurrentUser, services: Store) -> RevealedValue:
    """The full value of one masked personal number of the form (身份证号、电话), opened on the record."""
    staff = _staff(user)
    app = _in_department(services, staff, application_id)
    field = next(
        (
            field
            for field in recorded_guide(services, app)["fields"]
            if field["name"] == body.field and field["type"] in form_privacy.MASKS
        ),
        None,
    )
    value = form_privacy.opened(services.secret, app, body.field) if field else None
    if field is None or value is None:
        raise ApiError(404, "not_found", "该办件没有这项需要保护的个人信息", {"field": "无此项"})
    services.audit_log.record(
        staff["region"],
        staff["department"],
        {
            "at": int(services.clock()),
            "staff_id": staff["id"],
            "staff_name": staff["real_name"],
            "application_id": app["id"],
            "number": app["number"],
            "subitem_name": app["subitem_name"],
            "field": field["name"],
            "field_label": field["label"],
        },
    )
    return RevealedValue(field=field["name"], label=field["label"], value=value)


@router.get("/audit-log", responses=error_responses(401, 403, 422))
def read_audit_log(
    user: CurrentUser,
    services: Store,
    limit: int = Query(50, ge=1, le=100),
    cursor: str | None = Query(None, max_length=100),
) -> AuditPage:
    """Who of the department opened which personal data of which application, newest first."""
    staff = _staff(user)
    records = services.audit_log.list_for_department(staff["region"], staff["department"], limit + 1, cursor)
    page = records[:limit]
    return AuditPage(
        items=[
            AuditEntry(
                at=china_time(entry["at"]),
                **{
                    key: entry[key] for key in ("staff_name", "application_id", "number", "subitem_name", "field_label")
                },
            )
            for entry in page
        ],
        next_cursor=page[-1]["sk"] if len(records) > limit else None,
    )


@router.get("/evaluations", responses=error_responses(401, 403, 422))
def evaluations_awaiting_reply(
    user: CurrentUser,
    services: Store,
    limit: int = Query(QUEUE_LIMIT, ge=1, le=QUEUE_LIMIT),
    cursor: str | None = Query(None, max_length=100),
) -> AwaitingReplyPage:
    """待整改差评: the department's 差评 not answered yet, oldest first, each with its deadline (5 working days)."""
    staff = _staff(user)
    records = services.evaluations.awaiting_reply(staff["region"], staff["department"], limit + 1, cursor)
    page, now = records[:limit], services.clock()
    return AwaitingReplyPage(
        items=[
            AwaitingReply(
                **{key: record[key] for key in ("application_id", "number", "subitem_name", "rating", "label")},
                comment=record.get("comment") or "",
                rated_at=china_time(record["rated_at"]),
                deadline=china_time(record["deadline"]),
                overdue=is_overdue(record["deadline"], now),
            )
            for record in page
        ],
        next_cursor=page[-1]["sk"] if len(records) > limit else None,
    )


@router.post(
    "/applications/{application_id}/evaluation-reply", responses=error_responses(401, 403, 404, 409, 503, *JSON_BODY)
)
def reply_to_evaluation(
    application_id: ResourceId, body: EvaluationReply, user: CurrentUser, services: Store
) -> ApplicationDetail:
    """整改 reply to a 差评, once: stored on the evaluation, with the applicant's message and the answered count."""
    staff = _staff(user)
    text = body.text.strip()
    if not text:
        raise ApiError(422, "invalid", "请填写整改答复", {"text": "请填写整改答复"})

    def attempt() -> Application:
        app = _in_department(services, staff, application_id)
        evaluation = app.get("evaluation")
        if not evaluation or not is_bad(int(evaluation["rating"])):
            raise ApiError(409, "not_bad_evaluation", "只有“不满意”或“非常不满意”的评价需要整改答复")
        if evaluation.get("reply"):
            raise ApiError(409, "already_replied", "该差评已答复，每条差评只能答复一次")
        now = int(services.clock())
        reply = {"text": text, "at": china_time(now), "by": app["department_name"]}
        changes = {"evaluation": {**evaluation, "reply": reply}, "updated_at": now}
        title, message = notifications.evaluation_reply_message({**app, **changes})
        writes = services.messages.posting(app["owner"], "evaluation_reply", title, message, application_id=app["id"])
        return services.applications.save(app, changes, services.evaluations.reply_writes(app, now, writes))

    updated = services.evaluations.saving(attempt)
    applicant = services.accounts.get(updated["owner"])
    if applicant:
        notifications.evaluation_replied(services.sms, applicant, updated)
    return detail_view(services, updated, "staff")


@router.get("/appointments", responses=error_responses(401, 403, 422))
def department_appointments(
    user: CurrentUser,
    services: Store,
    date: Annotated[datetime.date | None, Query(description="日期，默认今天")] = None,
) -> DepartmentDay:
    """今日预约: who booked the department's sub-items for the day (today, China time, unless asked), by time."""
    staff = _staff(user)
    day = date or china_day(services.clock())
    records = services.appointments.of_department(staff["region"], staff["department"], day.isoformat())
    return DepartmentDay(
        date=day.isoformat(),
        items=[
            DepartmentAppointment(
                appointment_id=record["id"],
                start=china_time(record["start"]),
                end=china_time(record["end"]),
                subitem_code=record["subitem_code"],
                subitem_name=record["subitem_name"],
                applicant_name=record["applicant_name"],
                applicant_phone=mask_phone(record["applicant_phone"]) if record["applicant_phone"] else "",
            )
            for record in records
        ],
    )
