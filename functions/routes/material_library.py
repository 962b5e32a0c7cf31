"""我的材料: the files the signed-in account uploaded before, which applications hold them, and deleting one.

With application_id and material_id the list is what 网上申报 offers for that material: the files that fit it
(format, size, validity), those kept for a material of the same name first. Attaching one is the material route's
`reuse_ids` (routes.applications). Every route reads only the caller's own library: another account's file id
answers 404 like an unknown one.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Response, status

from ..application_views import DOWNLOAD_SECONDS, china_time, current_subitem
from ..dependencies import CurrentUser, Store
from ..domain.lifecycle import STATUS_LABELS
from ..domain.material_library import expired, misfit, ranked
from ..errors import GUARDED, ApiError, error_responses
from ..file_types import FORMAT_TYPES
from ..repositories.applications import Application
from ..repositories.material_library import KeptFile
from ..schemas.accounts import ResourceId
from ..schemas.material_library import KeptFilePage, KeptFileView, MaterialUse
from ..services import Services

router = APIRouter(prefix="/me/materials", tags=["me"])


@router.get("", responses=error_responses(401, 404, 422, 503))
def my_materials(
    user: CurrentUser,
    services: Store,
    response: Response,
    application_id: str | None = Query(None, max_length=64),
    material_id: str | None = Query(None, max_length=64),
) -> KeptFilePage:
    owner = user.account["id"]
    entries, uses = services.material_library.files(owner)
    if application_id is not None or material_id is not None:
        entries = _offers(services, owner, entries, application_id, material_id)
    holders = _Holders(services)
    response.headers["Cache-Control"] = "no-store"
    now = int(services.clock())
    return KeptFilePage(
        items=[_view(services, entry, holders.of(entry, uses.get(entry["id"], [])), now) for entry in entries]
    )


def _offers(
    services: Services, owner: str, entries: list[KeptFile], application_id: str | None, material_id: str | None
) -> list[KeptFile]:
    """The kept files 网上申报 offers for one material of one of the owner's applications, best first."""
    if not application_id or not material_id:
        raise ApiError(
            422,
            "invalid",
            "请同时指定办件和申请材料",
            {"application_id" if not application_id else "material_id": "缺少该参数"},
        )
    app = services.applications.get(application_id)
    if app is None or app["owner"] != owner:
        raise ApiError(404, "not_found", "办件不存在", {"application_id": "办件不存在"})
    material = current_subitem(services, app).material(material_id)
    if material is None:
        raise ApiError(404, "not_found", "该事项没有这项申请材料", {"material_id": "材料不存在"})
    attached = {file.get("library_id") for file in app["materials"].get(material_id, [])}
    types, now = {FORMAT_TYPES[f] for f in material.formats}, int(services.clock())
    fitting = [
        entry
        for entry in entries
        if entry["id"] not in attached and misfit(entry, types, material.max_size, material.valid_days, now) is None
    ]
    return ranked(fitting, material.name)


class _Holders:
    """The applications that still hold a copy of a kept file, each read once per request."""

    def __init__(self, services: Services) -> None:
        self._services = services
        self._read: dict[str, Application | None] = {}

    def of(self, entry: KeptFile, application_ids: list[str]) -> list[Application]:
        found = []
        for application_id in application_ids:
            if application_id not in self._read:
                self._read[application_id] = self._services.applications.get(application_id)
            app = self._read[application_id]
            if app is not None and _holds(app, entry["id"]):
                found.append(app)
        return found


def _holds(app: Application, entry_id: str) -> bool:
    """Whether the application has the kept file among its materials, or kept it as replaced in a 补正."""
    groups = [*app["materials"].values(), *(app.get("replaced") or {}).values()]
    return any(entry_id in (file.get("library_id"), file["upload_id"]) for files in groups for file in files)


def _view(services: Services, entry: KeptFile, holders: list[Application], now: int) -> KeptFileView:
    return KeptFileView(
        id=entry["id"],
        filename=entry["filename"],
        material_name=entry["material_name"],
        uploaded_at=china_time(entry["uploaded_at"]),
        size=entry["size"],
        content_type=entry["content_type"],
        valid_until=china_time(entry["valid_until"]),
        expired=expired(entry, now),
        used_by=[_use(app) for app in holders],
        deletable=not _submitted(holders),
        download_url=services.blobs.presigned_get(entry["key"], DOWNLOAD_SECONDS, entry["filename"]),
    )


def _use(app: Application) -> MaterialUse:
    return MaterialUse(
        application_id=app["id"],
        number=app.get("number"),
        subitem_name=app["subitem_name"],
        status=app["status"],
        status_label=STATUS_LABELS[app["status"]],
    )


def _submitted(holders: list[Application]) -> list[Application]:
    return [app for app in holders if app["status"] != "draft"]


@router.delete(
    "/{file_id}", status_code=status.HTTP_204_NO_CONTENT, responses=error_responses(401, 404, 409, 422, *GUARDED)
)
def delete_material(file_id: ResourceId, user: CurrentUser, services: Store) -> Response:
    owner = user.account["id"]
    entry = services.material_library.get(owner, file_id)
    if entry is None:
        raise ApiError(404, "not_found", "文件不存在或已删除")
    submitted = _submitted(_Holders(services).of(entry, services.material_library.uses_of(owner, entry["id"])))
    if submitted:
        cases = "、".join(f"{app['subitem_name']}（办件编号 {app['number']}）" for app in submitted)
        raise ApiError(409, "in_use", f"“{entry['filename']}”是已提交办件的申请材料，随办件留存，不能删除：{cases}")
    services.material_library.remove(owner, entry)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
