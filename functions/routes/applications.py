"""网上申报 and 我的申请: drafts, materials, submission, withdrawal and 好差评, for the applicant alone."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Header, Query, Response, status

from .. import form_privacy, notifications
from ..application_views import (
    applicant_summary,
    china_time,
    current_subitem,
    detail_view,
    guide_snapshot,
    recorded_guide,
)
from ..dependencies import CurrentUser, SignedIn, Store
from ..domain import guide_versions
from ..domain.application_numbers import china_date, format_number
from ..domain.china_time import china_day
from ..domain.evaluations import RATING_LABELS, is_bad
from ..domain.form_values import check_draft, check_form
from ..domain.lifecycle import FINISHED, Actor, act, is_editable, may_change
from ..domain.material_library import misfit
from ..errors import GUARDED, JSON_BODY, ApiError, error_responses
from ..file_types import EXTENSIONS, FORMAT_TYPES
from ..repositories import applications
from ..repositories.accounts import Account
from ..repositories.applications import Application
from ..repositories.errors import DraftExists, RecordChanged
from ..repositories.material_library import FileChanged, KeptFile
from ..repositories.uploads import Upload
from ..schemas.accounts import ResourceId
from ..schemas.applications import (
    MAX_FILES,
    ApplicationCreate,
    ApplicationDetail,
    ApplicationPage,
    Evaluation,
    FormUpdate,
    MaterialFiles,
    SubmitOptions,
    SubmitResult,
)
from ..sealing import open_sealed
from ..services import Services

if TYPE_CHECKING:
    from ..catalogue_models import FormField, Material, RegionRef, SubItem

log = logging.getLogger(__name__)
router = APIRouter(prefix="/applications", tags=["applications"])

AUDIENCE_LABELS = {"natural": "自然人", "legal": "法人"}
IDEMPOTENCY_SECONDS = 7 * 86400


def _own(services: Services, user: CurrentUser, application_id: str) -> dict[str, Any]:
    """The application if it is this applicant's; anyone else's id answers 404, as if it did not exist."""
    app = services.applications.get(application_id)
    if app is None or app["owner"] != user.account["id"]:
        raise ApiError(404, "not_found", "办件不存在")
    return app


def _editable(app: Application) -> None:
    if not is_editable(app["status"]):
        raise ApiError(409, "not_editable", "办件已提交，当前不能修改；如需补正，请等待审批人员通知")


def _applicant_actor(app: Application, user: SignedIn) -> Actor:
    """The history names the applicant, and the 经办人 who acted for an organisation."""
    if user.acting:
        return Actor("applicant", f"{app['applicant']['name']}（经办人：{user.person['real_name']}）")
    return Actor("applicant", app["applicant"]["name"])


def _acted_by(user: SignedIn) -> dict[str, Any]:
    """The natural person who acted, as every application records it (created_by, submitted_by)."""
    return {"account_id": user.person["id"], "name": user.person["real_name"], "handler": user.acting}


# Every route that shows or checks an application may read the catalogue: 503 when it cannot be read.
@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"model": ApplicationDetail, "description": "该事项已有草稿：继续办理这份"},
        **error_responses(401, 403, 404, 409, 503, *JSON_BODY),
    },
)
def start_application(
    body: ApplicationCreate, user: CurrentUser, services: Store, response: Response
) -> ApplicationDetail:
    account = user.account
    region, subitem = _startable(services, account, body.region, body.subitem_code)
    draft = services.applications.find_draft(account["id"], region.code, subitem.code)
    if draft is None:
        draft = {**_new_draft(services, account, region, subitem), "created_by": _acted_by(user)}
        try:
            services.applications.create(draft)
            return detail_view(services, draft, "applicant")
        except DraftExists:  # a second tab started the same draft a moment ago: continue that one
            draft = services.applications.find_draft(account["id"], region.code, subitem.code)
            if draft is None:  # ... and submitted it since: there is no draft left to continue
                raise RecordChanged() from None
    response.status_code = status.HTTP_200_OK  # continue where the applicant stopped
    return detail_view(services, draft, "applicant")


# Declared before /{application_id}, which would otherwise take "new" for an id.
@router.get("/new", responses=error_responses(401, 403, 404, 422, 503))
def blank_application(
    user: CurrentUser,
    services: Store,
    region: str = Query(pattern=r"^[0-9]{6}$", description="6 位行政区划代码，如 210300"),
    subitem_code: str = Query(max_length=60),
) -> ApplicationDetail:
    """What 网上申报 shows on opening, storing nothing: the applicant's draft of the sub-item if there is one, or
    the empty form a new draft would start as (pre-filled, id "") - POST stores that at the first save, so merely
    opening the page leaves no draft in 我的申请."""
    account = user.account
    region_ref, subitem = _startable(services, account, region, subitem_code)
    draft = services.applications.find_draft(account["id"], region_ref.code, subitem.code)
    if draft is None:
        draft = {**_new_draft(services, account, region_ref, subitem), "id": "", "created_by": _acted_by(user)}
    return detail_view(services, draft, "applicant")


def _startable(services: Services, account: Account, region_code: str, subitem_code: str) -> tuple[RegionRef, SubItem]:
    """The sub-item this account may apply for online; 403, 404 or 422 saying why not."""
    if account.get("role") == "staff":
        raise ApiError(403, "forbidden", "审批人员账号不能申报事项")
    found = services.catalogue.subitem(region_code, subitem_code)
    if found is None:
        raise ApiError(404, "not_found", "事项不存在或已调整，请从服务指南重新进入", {"subitem_code": "事项不存在"})
    region, subitem = found
    if not subitem.online:
        raise ApiError(
            422, "not_online", "该事项不支持网上申报，请到办理地点现场办理", {"subitem_code": "不支持网上申报"}
        )
    if account["account_type"] not in subitem.audiences:
        audiences = "、".join(AUDIENCE_LABELS[a] for a in subitem.audiences)
        raise ApiError(
            422, "wrong_audience", f"该事项的服务对象为{audiences}，当前账号不能申报", {"subitem_code": "服务对象不符"}
        )
    return region, subitem


def _new_draft(services: Services, account: Account, region: RegionRef, subitem: SubItem) -> dict[str, Any]:
    now = int(services.clock())
    return {
        "id": applications.new_id(),
        "owner": account["id"],
        "status": "draft",
        "version": 0,
        "number": None,
        "region": region.code,
        "region_name": region.name,
        "subitem_code": subitem.code,
        "subitem_name": subitem.name,
        "department": subitem.department,
        "department_name": services.catalogue.department_name(region.code, subitem.department),
        "applicant": _applicant(account),
        "applicant_name": _applicant(account)["name"],
        **form_privacy.protected(services.secret, subitem.fields, _prefill(services, account, subitem.fields)),
        "guide": guide_snapshot(subitem),
        "materials": {},
        "history": [],
        "corrections": [],
        "created_at": now,
        "updated_at": now,
        "submitted_at": None,
    }


def _applicant(account: Account) -> dict[str, Any]:
    org = account.get("organization") or {}
    return {
        "account_type": account["account_type"],
        "name": org.get("name") or account["real_name"],
        "real_name": account["real_name"],
        "id_number": account.get("id_number_masked", ""),
        "credit_code": org.get("credit_code", ""),
    }


def _prefill(services: Services, account: Account, fields: list[FormField]) -> dict[str, str]:
    """The account's own identity, copied into the fields that ask for it."""
    org = account.get("organization") or {}
    sources: dict[str, str | None] = {
        "real_name": account.get("real_name"),
        "phone": account.get("phone"),
        "email": account.get("email"),
        "id_number": open_sealed(services.secret, account["id_number_sealed"])
        if account.get("id_number_sealed")
        else None,
        "organization_name": org.get("name"),
        "credit_code": org.get("credit_code"),
        "legal_representative": org.get("legal_representative"),
    }
    return {field.name: value for field in fields if field.prefill and (value := sources.get(field.prefill))}


@router.get("", responses=error_responses(401, 422))
def my_applications(
    user: CurrentUser,
    services: Store,
    limit: int = Query(20, ge=1, le=50),
    cursor: str | None = Query(None, max_length=100),
) -> ApplicationPage:
    records = services.applications.list_for_owner(user.account["id"], limit + 1, cursor)
    page = records[:limit]
    return ApplicationPage(
        items=[applicant_summary(services, record) for record in page],
        next_cursor=page[-1]["sk"] if len(records) > limit else None,
    )


@router.get("/{application_id}", responses=error_responses(401, 404, 422, 503))
def read_application(application_id: ResourceId, user: CurrentUser, services: Store) -> ApplicationDetail:
    return detail_view(services, _own(services, user, application_id), "applicant")


@router.delete(
    "/{application_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401, 404, 409, 422, *GUARDED)
)
def delete_draft(application_id: ResourceId, user: CurrentUser, services: Store) -> Response:
    """删除草稿: the draft and its files; copies kept in 我的材料 stay there. Anything submitted is a case: 409."""
    app = _own(services, user, application_id)
    if app["status"] != "draft":
        raise ApiError(409, "not_draft", "只能删除草稿；该办件已提交，不能删除，如需撤回请在办件详情中操作")
    services.applications.delete_draft(app)
    for files in app["materials"].values():
        for file in files:  # nothing refers to them any more
            services.uploads.discard(file["upload_id"], file["key"])
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put("/{application_id}/form", responses=error_responses(401, 404, 409, 503, *JSON_BODY))
def save_form(application_id: ResourceId, body: FormUpdate, user: CurrentUser, services: Store) -> ApplicationDetail:
    """Save the draft's form. A value that fails its field's rule is kept as typed, with its problem in
    field_problems, so the applicant never loses it; submit refuses until it is corrected."""
    app = _own(services, user, application_id)
    _editable(app)
    fields = current_subitem(services, app).fields
    typed = form_privacy.restored(services.secret, fields, app, body.form_data)
    draft = check_draft(fields, typed, today=china_day(services.clock()))
    if draft.refused:
        refused = draft.refused
        raise ApiError(422, "invalid", "；".join(refused.values()), {f"form_data.{k}": v for k, v in refused.items()})
    before = form_privacy.typed_values(services.secret, app)
    after = {**draft.values, **draft.kept}
    changed = [field for field in fields if after.get(field.name) != before.get(field.name)]
    for field in changed:
        if not may_change(app, "field", field.name):
            raise ApiError(
                409,
                "not_marked",
                f"“{field.label}”不在本次补正范围内，不能修改",
                {f"form_data.{field.name}": "无需补正"},
            )
    changes: dict[str, Any] = {
        **form_privacy.protected(services.secret, fields, draft.values),
        "form_kept": form_privacy.protected(services.secret, fields, draft.kept),
    }
    if app["status"] == "correction_required":
        changes["corrected"] = _corrected(app, [("field", field.name, field.label) for field in changed])
    return detail_view(services, _save(services, app, changes), "applicant")


@router.put("/{application_id}/materials/{material_id}", responses=error_responses(401, 404, 409, 503, *JSON_BODY))
def attach_files(
    application_id: ResourceId, material_id: ResourceId, body: MaterialFiles, user: CurrentUser, services: Store
) -> ApplicationDetail:
    app = _own(services, user, application_id)
    _editable(app)
    material = current_subitem(services, app).material(material_id)
    if material is None:
        raise ApiError(404, "not_found", "该事项没有这项申请材料", {"material_id": "材料不存在"})
    if not may_change(app, "material", material_id):
        raise ApiError(409, "not_marked", f"“{material.name}”不在本次补正范围内，不能更换", {"material_id": "无需补正"})
    files = [_checked_file(services, user, app, material_id, upload_id) for upload_id in dict.fromkeys(body.upload_ids)]
    reused = _reusable(services, user, material, body.reuse_ids, files)
    if len(files) + len(reused) > MAX_FILES:
        raise ApiError(422, "invalid", f"每项材料最多 {MAX_FILES} 个文件", {"reuse_ids": f"最多 {MAX_FILES} 个文件"})
    copies = [_copy(services, user, app, material_id, entry) for entry in reused]
    files += copies
    kept = {file["upload_id"] for file in files}
    removed = [file for file in app["materials"].get(material_id, []) if file["upload_id"] not in kept]
    changes: dict[str, Any] = {"materials": {**app["materials"], material_id: files}}
    # A file staff have seen is evidence: replaced in a 补正, it stays with the case, shown to staff as 补正前.
    # One never submitted (a draft's, or one added and taken back within this 补正) is gone for good.
    submitted = set(app.get("submitted_uploads") or (upload["upload_id"] for upload in removed))
    kept_as_evidence = [
        file for file in removed if app["status"] == "correction_required" and file["upload_id"] in submitted
    ]
    if app["status"] == "correction_required":
        if kept != {file["upload_id"] for file in app["materials"].get(material_id, [])}:
            changes["corrected"] = _corrected(app, [("material", material_id, material.name)])
        if kept_as_evidence:
            round_number, now = app.get("correction_round", 1), int(services.clock())
            replaced = app.get("replaced", {})
            changes["replaced"] = {
                **replaced,
                material_id: [
                    *replaced.get(material_id, []),
                    *(file | {"round": round_number, "replaced_at": now} for file in kept_as_evidence),
                ],
            }
    try:
        updated = _save(services, app, changes)
    except Exception:
        for file in copies:  # nothing refers to them
            services.uploads.discard(file["upload_id"], file["key"])
        raise
    services.material_library.record_uses(user.account["id"], [entry["id"] for entry in reused], app["id"])
    for file in removed:
        if file not in kept_as_evidence:
            services.uploads.discard(file["upload_id"], file["key"])
    return detail_view(services, updated, "applicant")


def _checked_file(
    services: Services, user: CurrentUser, app: Application, material_id: str, upload_id: str
) -> dict[str, Any]:
    """The application's record of one checked upload of this applicant for this material."""
    upload = services.uploads.get(upload_id)
    if (
        upload is None
        or upload.get("owner") != user.account["id"]
        or upload.get("application_id") != app["id"]
        or upload.get("material_id") != material_id
        or upload["status"] != "complete"
    ):
        raise ApiError(422, "invalid", "文件不存在或尚未上传完成，请重新上传", {"upload_ids": "文件无效"})
    return _file_record(upload)


def _file_record(upload: Upload) -> dict[str, Any]:
    """What an application records of a checked upload; library_id: the 我的材料 file it is (or is a copy of)."""
    return {key: upload[key] for key in ("key", "filename", "size", "content_type", "sha256")} | {
        "upload_id": upload["id"],
        "library_id": upload.get("library_id", upload["id"]),
    }


def _reusable(
    services: Services, user: CurrentUser, material: Material, reuse_ids: list[str], files: list[dict[str, Any]]
) -> list[KeptFile]:
    """The 我的材料 files to copy to the material: each checked to fit it before any is copied; one the material
    already has (or a copy of it) is not copied twice."""
    attached = {file["library_id"] for file in files}
    types, now = {FORMAT_TYPES[f] for f in material.formats}, int(services.clock())
    entries = []
    for entry_id in dict.fromkeys(reuse_ids):
        entry = services.material_library.get(user.account["id"], entry_id)
        if entry is None:
            raise ApiError(422, "invalid", "所选文件不在“我的材料”中，请重新选择", {"reuse_ids": "文件不存在"})
        problem = misfit(entry, types, material.max_size, material.valid_days, now)
        if problem:
            raise ApiError(
                422, "invalid", f"“{entry['filename']}”不能用作“{material.name}”：{problem}", {"reuse_ids": problem}
            )
        if entry_id not in attached:
            entries.append(entry)
    return entries


def _copy(services: Services, user: CurrentUser, app: Application, material_id: str, entry: KeptFile) -> dict[str, Any]:
    """The application's own write-once copy of a kept file, checked against the sha256 recorded at its upload."""
    try:
        data = services.material_library.read(entry)
    except FileChanged:
        raise ApiError(
            409, "file_changed", f"“{entry['filename']}”已损坏，不能再使用，请重新上传", {"reuse_ids": "文件已损坏"}
        ) from None
    upload = services.uploads.keep_copy(
        entry, data, user.account["id"], app["id"], material_id, EXTENSIONS[entry["content_type"]]
    )
    return _file_record(upload)


def _corrected(app: Application, items: list[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """The items corrected so far in this 补正 round, with these added (each once)."""
    done = list(app.get("corrected", []))
    for kind, item_id, label in items:
        if not any(item["kind"] == kind and item["id"] == item_id for item in done):
            done.append({"kind": kind, "id": item_id, "label": label})
    return done


def _save(services: Services, app: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """Save the applicant's change; RecordChanged (409) if the application changed since it was read."""
    return services.applications.save(app, {**changes, "updated_at": int(services.clock())})


@router.post("/{application_id}/submit", responses=error_responses(401, 404, 409, 503, *JSON_BODY))
def submit(
    application_id: ResourceId,
    user: CurrentUser,
    services: Store,
    body: SubmitOptions | None = None,
    idempotency_key: str | None = Header(None, max_length=100),
) -> SubmitResult:
    app = _own(services, user, application_id)
    if idempotency_key and (answer := services.applications.remembered_answer(app["id"], idempotency_key)):
        return SubmitResult(**answer)
    if app["status"] == "submitted":
        # A second tab or a retry without the key: the submission already happened, same number.
        return SubmitResult(application_id=app["id"], number=app["number"], status=app["status"])
    now = int(services.clock())
    step = act(app, "submit", _applicant_actor(app, user), now, corrected=app.get("corrected", []))
    guide = _guide_to_submit_under(services, app, body.guide_version if body else None)
    values = _check_complete(services, app, guide)
    number = app["number"] or _new_number(services, app["region"], now)
    answer = {"application_id": app["id"], "number": number, "status": step.status}
    changes = {
        **step.changes,
        "number": number,
        "submitted_at": app.get("submitted_at") or now,
        "submitted_by": _acted_by(user),
        "guide": guide,
        "corrected": [],
        "updated_at": now,
        "submitted_uploads": sorted(
            {file["upload_id"] for files in app["materials"].values() for file in files}
            | set(app.get("submitted_uploads", []))
        ),
    }
    if (app.get("form_kept") or {}).get("form_data"):  # kept values the rules now allow (a limit moved): filed
        fields = current_subitem(services, app).fields
        changes |= {**form_privacy.protected(services.secret, fields, values), "form_kept": {}}
    try:
        services.applications.save_submission(
            app,
            changes,
            (idempotency_key, answer, now + IDEMPOTENCY_SECONDS) if idempotency_key else None,
            notifications.status_message_writes(services.messages, app, changes),
        )
    except RecordChanged:
        latest = services.applications.get(app["id"])
        if latest and latest["status"] == "submitted":  # the concurrent submission won; it has the number
            return SubmitResult(application_id=latest["id"], number=latest["number"], status=latest["status"])
        raise
    notifications.status_changed(services.sms, user.account, {**app, **changes})
    return SubmitResult(**answer)


def _guide_to_submit_under(services: Services, app: Application, seen_version: str | None) -> dict[str, Any]:
    """The sub-item's guide as it is now, if the applicant has seen it: 409 事项已调整 when it is gone, offline,
    or asks for something the application was not started (or last shown) under."""
    current = guide_snapshot(current_subitem(services, app))
    changed = guide_versions.changes(recorded_guide(services, app), current)
    if changed and seen_version != current["version"]:
        raise ApiError(
            409,
            "subitem_changed",
            f"事项已调整：{'；'.join(changed)}。请按调整后的要求核对后再提交",
            {"guide_version": "事项已调整"},
            {"guide_url": current["guide_url"], "changes": changed},
        )
    return current


def _check_complete(services: Services, app: Application, guide: dict[str, Any]) -> dict[str, str]:
    """Every problem at once: required fields, their types (values kept to be corrected too), every required
    material, every item to correct. The form's values, normalised, when there is none."""
    values, errors = check_form(
        current_subitem(services, app).fields,
        form_privacy.typed_values(services.secret, app),
        complete=True,
        today=china_day(services.clock()),  # date limits are measured from the service's clock, as everything else
    )
    problems = {f"form_data.{name}": message for name, message in errors.items()}
    for item in guide["materials"]:
        if item["required"] and not app["materials"].get(item["id"]):
            problems[f"materials.{item['id']}"] = f"请上传“{item['name']}”"
    done = {(item["kind"], item["id"]) for item in app.get("corrected", [])}
    for item in app.get("corrections", []):
        if isinstance(item, dict) and (item["kind"], item["id"]) not in done:
            where = "materials" if item["kind"] == "material" else "form_data"
            problems.setdefault(f"{where}.{item['id']}", f"请按要求补正“{item['label']}”")
    if problems:
        raise ApiError(
            422, "incomplete", f"申请还有 {len(problems)} 处需要完善：" + "；".join(problems.values()), problems
        )
    return values


def _new_number(services: Services, region: str, now: int) -> str:
    """The next 办件编号 of the region for today (China time); 503 past the format's 99,999 a day."""
    date = china_date(now)
    try:
        return format_number(region, date, services.applications.next_sequence(region, date))
    except ValueError:
        log.error("application numbers of region %s for %s are used up", region, date)  # operators must act
        raise ApiError(503, "numbers_exhausted", "今日本地区办件编号已用完，请明天再提交；草稿已保存") from None


@router.post("/{application_id}/withdraw", responses=error_responses(401, 404, 409, 422, 503, *GUARDED))
def withdraw(application_id: ResourceId, user: CurrentUser, services: Store) -> ApplicationDetail:
    app = _own(services, user, application_id)
    changes = {**act(app, "withdraw", _applicant_actor(app, user), int(services.clock())).changes}
    changes["updated_at"] = int(services.clock())
    updated = services.applications.save(
        app, changes, notifications.status_message_writes(services.messages, app, changes)
    )
    notifications.status_changed(services.sms, user.account, updated)
    return detail_view(services, updated, "applicant")


@router.post("/{application_id}/evaluation", responses=error_responses(401, 404, 409, 503, *JSON_BODY))
def evaluate(application_id: ResourceId, body: Evaluation, user: CurrentUser, services: Store) -> ApplicationDetail:
    comment = body.comment.strip()

    def attempt() -> Application:
        """Read, check and save the evaluation with its count (repositories.evaluations): again if beaten."""
        app = _own(services, user, application_id)
        if app["status"] not in FINISHED:
            raise ApiError(409, "not_finished", "办结后才能评价")
        if app.get("evaluation"):
            raise ApiError(409, "already_evaluated", "该办件已评价，每个办件只能评价一次")
        if is_bad(body.rating) and not comment:
            raise ApiError(
                422, "invalid", "选择“不满意”或“非常不满意”时，请写明原因", {"comment": "请写明不满意的原因"}
            )
        now = int(services.clock())
        evaluation = {
            "rating": body.rating,
            "label": RATING_LABELS[body.rating],
            "comment": comment,
            "at": china_time(now),
            "rated_at": now,  # the count's and the 整改 deadline's time
        }
        return services.applications.save(
            app, {"evaluation": evaluation, "updated_at": now}, services.evaluations.rating_writes(app, evaluation)
        )

    return detail_view(services, services.evaluations.saving(attempt), "applicant")
