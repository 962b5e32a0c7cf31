"""Who may touch whose object (DESIGN "Security rules"), as one table: every route that takes an id, by actor.

Every object is looked up through its owner (another applicant's id answers 404, as if it did not exist); staff
see only their own department's submitted applications (any other id: 404); applicant routes are for
applicants, review routes for staff (403). A refused cell answers the error shape and nothing of the object,
and leaves the stored object as it was.

Operators have no HTTP role at all: they act through the `portal-admin` CLI (functions/cli.py: create-staff,
audit-log of any department), so there is no "operator" column; test_operator_commands_are_not_reachable_over_http
checks that none of their operations can be reached over HTTP.

Both backends. The accounts and the objects are built once per backend (module scope: argon2 hashing and moto
make a fresh world per cell cost ~1 s); a cell whose allowed request changes its object (submit, withdraw,
evaluation, accept, complete) gets a fresh one, refused cells share one and prove they left it unchanged.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient

from functions import cli
from functions.app import create_app
from functions.repositories.accounts import UniqueValues
from functions.services import Services, build_services
from functions.settings import Settings
from tests.api.conftest import AWS_SECRET, BUCKET, ORIGIN, TABLE, Clock, create_aws_resources
from tests.factories import PDF, SUBITEM, login, register, send_file, upload_material, upload_ticket

ACTORS = ("anonymous", "owner", "other_applicant", "staff", "staff_other_department", "staff_other_region")
STAFF_ACCOUNTS = {  # login name, region, department (tests/fixtures/content)
    "staff": ("shenpi_as01", "210300", "bureau-social"),  # 甲市行政审批局社会事务科: the sub-item's department
    "staff_other_department": ("shenpi_as09", "210300", "bureau"),  # 甲市行政审批局, its parent: not the same
    "staff_other_region": ("shenpi_sy01", "210100", "market"),  # 乙市市场监督管理局
}
PHONE = "13800138000"  # the owner's, pre-filled (sealed) into 联系电话
APPOINTMENT_SUBITEM = "210300-XK-0001-02"  # 养犬注销登记: not applied for online, so booked at the centre
FORM = {"dog_name": "旺财", "breed": "中华田园犬", "owner_phone": "138****8000"}  # the mask keeps the sealed number


# --- the world: one per backend ------------------------------------------------------------------------------------


@dataclass
class World:
    services: Services
    clients: dict[str, TestClient]
    cache: dict[str, Any] = field(default_factory=dict)
    """Objects refused cells share, by state; a cell whose allowed request changes its object takes it out."""

    @property
    def owner(self) -> TestClient:
        return self.clients["owner"]

    def staff_do(self, app_id: str, action: str, comment: str = "好") -> None:
        answer = self.clients["staff"].post(
            f"/api/review/applications/{app_id}/actions", json={"action": action, "comment": comment}
        )
        assert answer.status_code == 200, answer.text

    def draft(self) -> dict:
        """The owner's complete draft (one per sub-item: starting again continues it) and its attached upload."""
        if "draft" not in self.cache:
            app = self.owner.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
            assert self.owner.put(f"/api/applications/{app['id']}/form", json={"form_data": FORM}).status_code == 200
            upload_id = upload_material(self.owner, app["id"], "form").json()["upload_id"]
            attached = self.owner.put(f"/api/applications/{app['id']}/materials/form", json={"upload_ids": [upload_id]})
            assert attached.status_code == 200, attached.text
            self.cache["draft"] = {
                "id": app["id"],
                "upload_id": upload_id,
                "download_url": attached.json()["materials"][0]["files"][0]["download_url"],
            }
        return self.cache["draft"]

    def make(self, state: str) -> dict:
        """A new object in `state` (a draft, an application that has reached a status, a pending upload)."""
        if state == "draft":
            app = self.draft()
            del self.cache["draft"]  # the cell changes it (submits it): cells that share a draft get the next one
            return app
        if state == "pending_upload":
            ticket = upload_ticket(
                self.owner,
                PDF,
                "application/pdf",
                "材料.pdf",
                "material",
                application_id=self.draft()["id"],
                material_id="form",
            ).json()
            assert send_file(self.owner, ticket, PDF, "application/pdf", "材料.pdf").status_code in (200, 201, 204)
            return {"id": ticket["upload_id"]}
        if state == "kept_file":  # a file in 我的材料 no submitted application holds: its owner may delete it
            self.services.clock.advance(1)
            upload = upload_material(self.owner, self.draft()["id"], "vaccine", filename="免疫证明.pdf")
            assert upload.status_code == 200, upload.text
            return {"id": upload.json()["upload_id"]}
        if state == "captcha":
            return {"id": self.owner.get("/api/captcha").json()["captcha_id"]}
        if state in ("invitation", "grant"):
            return _handler_object(self)
        if state == "appointment":
            return self.appointment()
        if state == "message":
            self.services.clock.advance(1)
            self.services.messages.post(self.owner_id, "security", "账号安全提醒", "您的账号登录密码已修改。")
            return {"id": self.owner.get("/api/messages").json()["items"][0]["id"]}
        app = self.draft()
        del self.cache["draft"]  # submitted now: the next draft is a new one
        submitted = self.owner.post(f"/api/applications/{app['id']}/submit")
        assert submitted.status_code == 200, submitted.text
        if state in ("accepted", "approved", "bad_rated"):
            self.staff_do(app["id"], "accept")
        if state in ("approved", "bad_rated"):
            self.staff_do(app["id"], "approve")
        if state == "bad_rated":  # a 差评, awaiting the department's 整改 reply
            rated = self.owner.post(
                f"/api/applications/{app['id']}/evaluation", json={"rating": 1, "comment": "材料要求没有一次说清楚"}
            )
            assert rated.status_code == 200, rated.text
        return {**app, "number": submitted.json()["number"]}

    def appointment(self) -> dict:
        """The owner's appointment for the offline sub-item, each on a day of its own (one a day per sub-item)."""
        taken = self.cache["appointment_days"] = self.cache.get("appointment_days", 0) + 1
        query = {"region": "210300", "subitem_code": APPOINTMENT_SUBITEM}
        days = [
            day["date"] for day in self.owner.get("/api/appointments/days", params=query).json()["days"] if day["open"]
        ]
        slots = self.owner.get("/api/appointments/slots", params={**query, "date": days[taken - 1]}).json()
        booked = self.owner.post("/api/appointments", json={**query, "start": slots[0]["start"]})
        assert booked.status_code == 201, booked.text
        return {"id": booked.json()["appointment_id"]}

    def shared(self, state: str) -> dict:
        if state == "draft":
            return self.draft()
        if state not in self.cache:
            self.cache[state] = self.make(state)
        return self.cache[state]

    @property
    def owner_id(self) -> str:
        return self.services.accounts.find_by_login_name("zhang_wei01")["id"]

    def stored(self, obj: dict) -> Any:
        table = self.services.table
        return (
            table.get(f"APP#{obj['id']}", "APP"),
            table.get(f"UPLOAD#{obj['id']}", "UPLOAD"),
            table.get(f"CAPTCHA#{obj['id']}", "CAPTCHA"),
            table.get(f"INBOX#{self.owner_id}", f"MSG#{obj['id']}"),
            table.get(f"UNREAD#{self.owner_id}", obj["id"]),
            table.get(f"LIBRARY#{self.owner_id}", f"FILE#{obj['id']}"),
            table.get(f"APPT#{self.owner_id}", obj["id"]),
        )


def _handler_object(world: World) -> dict:
    """A 法人 account's open invitation of the owner as its 经办人 (renewed for each cell that answers it): the id
    is the organisation's for the owner's accept/decline, and the grant's for the administrator's revoke."""
    services = world.services
    org = services.accounts.find_by_login_name("org_handlers1")
    if org is None:
        org = {
            "id": "0" * 31 + "9",
            "account_type": "legal",
            "login_name": "org_handlers1",
            "real_name": "管理测试",
            "organization": {"name": "甲市示例经办有限公司"},
        }
        services.accounts.create(org, UniqueValues(login_name="org_handlers1"))
    owner = services.accounts.get(world.owner_id)
    for grant in services.handlers.of_organization(org["id"]):
        if grant["status"] in ("invited", "accepted"):
            services.handlers.revoke(org["id"], grant["id"], revoked_by=org["id"])
    grant = services.handlers.invite(org, owner, invited_by=org["id"])
    return {"id": org["id"], "grant_id": grant["id"]}


def _build_world(services: Services) -> World:
    app = create_app(services=services)
    clients = {actor: TestClient(app, base_url=ORIGIN) for actor in ACTORS}
    assert register(services, clients["owner"]).status_code == 201
    login(services, clients["owner"])
    services.clock.advance(61)  # the SMS resend interval of the address
    assert (
        register(
            services,
            clients["other_applicant"],
            login_name="li_na2026",
            phone="13912345678",
            id_number="110101199003074530",
        ).status_code
        == 201
    )
    login(services, clients["other_applicant"], login_name="li_na2026")
    for actor, (login_name, region, department) in STAFF_ACCOUNTS.items():
        cli.create_staff(services, login_name, "Shenpi2026ok", region, department, "审批员")
        assert login(services, clients[actor], login_name=login_name, password="Shenpi2026ok").status_code == 200
    return World(services, clients)


@pytest.fixture(scope="module", params=["local", "aws"])
def world(request, tmp_path_factory, catalog_path):
    clock = Clock()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_SESSION_TOKEN": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
        }.items():
            patch.setenv(name, value)
        if request.param == "local":
            settings = Settings(
                backend="local",
                data_dir=tmp_path_factory.mktemp("authorisation") / "data",
                test_mode=False,
                catalog_path=catalog_path,
            )
            yield _build_world(build_services(settings, clock=clock))
            return
        from moto import mock_aws

        with mock_aws():
            create_aws_resources()
            settings = Settings(
                backend="aws", secret_key=AWS_SECRET, table_name=TABLE, uploads_bucket=BUCKET, catalog_path=catalog_path
            )
            yield _build_world(build_services(settings, clock=clock))


# --- the routes ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    """As in the OpenAPI document; {id} stands for the object's id whatever the parameter's name."""
    state: str
    """What the object must be for the allowed request to succeed."""
    body: Callable[[dict], Any] | None = None
    shows: Callable[[Any, dict], bool] = lambda answer, obj: answer.json()["id"] == obj["id"]
    """What an allowed answer must show of the object."""
    changes: bool = False
    """Whether the allowed request changes the object (then its cell gets a fresh one)."""
    local_only: bool = False

    def url(self, obj: dict) -> str:
        if self.path.startswith("{download_url}"):
            return obj["download_url"]
        return "/api" + self.path.replace("{id}", obj["id"]).replace("{grant_id}", obj.get("grant_id", "")).replace(
            "{material_id}", "form"
        )


ROUTES = {
    "read": Route("GET", "/applications/{id}", "draft"),
    "read submitted": Route("GET", "/applications/{id}", "submitted"),
    "form": Route("PUT", "/applications/{id}/form", "draft", lambda obj: {"form_data": FORM}),
    "materials": Route(
        "PUT", "/applications/{id}/materials/{material_id}", "draft", lambda obj: {"upload_ids": [obj["upload_id"]]}
    ),
    "submit": Route(
        "POST",
        "/applications/{id}/submit",
        "draft",
        changes=True,
        shows=lambda answer, obj: answer.json()["status"] == "submitted" and answer.json()["number"],
    ),
    "withdraw": Route(
        "POST",
        "/applications/{id}/withdraw",
        "submitted",
        changes=True,
        shows=lambda answer, obj: answer.json()["status"] == "withdrawn",
    ),
    "evaluation": Route(
        "POST",
        "/applications/{id}/evaluation",
        "approved",
        lambda obj: {"rating": 5},
        changes=True,
        shows=lambda answer, obj: answer.json()["evaluation"]["label"] == "非常满意",
    ),
    "draft delete": Route(
        "DELETE", "/applications/{id}", "draft", changes=True, shows=lambda answer, obj: answer.status_code == 204
    ),
    "submitted delete": Route("DELETE", "/applications/{id}", "submitted"),
    "upload ticket": Route(
        "POST",
        "/uploads",
        "draft",
        lambda obj: {
            "purpose": "material",
            "application_id": obj["id"],
            "material_id": "form",
            "filename": "材料.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
        },
        shows=lambda answer, obj: bool(answer.json()["upload_id"]),
    ),
    "upload complete": Route(
        "POST",
        "/uploads/{id}/complete",
        "pending_upload",
        changes=True,
        shows=lambda answer, obj: answer.json()["upload_id"] == obj["id"],
    ),
    "review read": Route("GET", "/review/applications/{id}", "submitted"),
    "review read draft": Route("GET", "/review/applications/{id}", "draft"),
    "review action": Route(
        "POST",
        "/review/applications/{id}/actions",
        "submitted",
        lambda obj: {"action": "accept", "comment": "材料齐全"},
        changes=True,
        shows=lambda answer, obj: answer.json()["status"] == "accepted",
    ),
    "review action draft": Route(
        "POST", "/review/applications/{id}/actions", "draft", lambda obj: {"action": "accept", "comment": "材料齐全"}
    ),
    "evaluation reply": Route(
        "POST",
        "/review/applications/{id}/evaluation-reply",
        "bad_rated",
        lambda obj: {"text": "已公开材料清单，窗口一次性告知"},
        changes=True,
        shows=lambda answer, obj: answer.json()["evaluation"]["reply"]["text"] == "已公开材料清单，窗口一次性告知",
    ),
    "reveal": Route(
        "POST",
        "/review/applications/{id}/reveal",
        "submitted",
        lambda obj: {"field": "owner_phone"},
        shows=lambda answer, obj: answer.json()["value"] == PHONE,
    ),
    "message read": Route(
        "POST",
        "/messages/{id}/read",
        "message",
        changes=True,
        shows=lambda answer, obj: answer.json()["id"] == obj["id"] and answer.json()["read"] is True,
    ),
    "kept file delete": Route(
        "DELETE",
        "/me/materials/{id}",
        "kept_file",
        changes=True,
        shows=lambda answer, obj: answer.status_code == 204,
    ),
    # 经办人: the owner (a 自然人) answers an invitation of theirs; only the 法人 administrator revokes a grant (its
    # allowed case, by the administrator, is in test_handlers.py: no column here is a 法人 account).
    "invitation accept": Route(
        "POST",
        "/me/organizations/{id}/accept",
        "invitation",
        changes=True,
        shows=lambda answer, obj: answer.json()["organization_id"] == obj["id"]
        and answer.json()["status"] == "accepted",
    ),
    "invitation decline": Route(
        "POST",
        "/me/organizations/{id}/decline",
        "invitation",
        changes=True,
        shows=lambda answer, obj: answer.json()["status"] == "declined",
    ),
    "handler revoke": Route("DELETE", "/me/handlers/{grant_id}", "grant"),
    "appointment cancel": Route(
        "DELETE", "/appointments/{id}", "appointment", changes=True, shows=lambda answer, obj: answer.content == b""
    ),
    # Bearer ids: a challenge belongs to nobody (it is asked for before login), and a download link is signed for
    # whoever it was handed to (S3's presigned GET on aws, where this route does not exist): any holder may use it.
    "captcha audio": Route(
        "GET", "/captcha/{id}/audio", "captcha", shows=lambda answer, obj: answer.headers["content-type"] == "audio/wav"
    ),
    "download": Route(
        "GET", "{download_url}", "draft", local_only=True, shows=lambda answer, obj: answer.content == PDF
    ),
}

# One row per route; the columns are ACTORS: anonymous, owner, other applicant, staff of the sub-item's department,
# staff of another department of the same region, staff of another region.
MATRIX = [
    # route                anon owner other staff s-dept s-region
    ("read", 401, 200, 404, 404, 404, 404),  # staff read applications through /review only
    ("read submitted", 401, 200, 404, 404, 404, 404),
    ("form", 401, 200, 404, 404, 404, 404),
    ("materials", 401, 200, 404, 404, 404, 404),
    ("submit", 401, 200, 404, 404, 404, 404),
    ("withdraw", 401, 200, 404, 404, 404, 404),
    ("evaluation", 401, 200, 404, 404, 404, 404),
    ("draft delete", 401, 204, 404, 404, 404, 404),  # 删除草稿: the owner's alone
    ("submitted delete", 401, 409, 404, 404, 404, 404),  # a submitted case is never deleted, not even by its owner
    ("upload ticket", 404, 201, 404, 404, 404, 404),  # anonymous may upload a licence, never to an application
    ("upload complete", 404, 200, 404, 404, 404, 404),  # an upload belongs to its account (or visitor cookie)
    ("review read", 401, 403, 403, 200, 404, 404),
    ("review read draft", 401, 403, 403, 404, 404, 404),  # a draft is the applicant's alone
    ("review action", 401, 403, 403, 200, 404, 404),
    ("review action draft", 401, 403, 403, 404, 404, 404),
    ("evaluation reply", 401, 403, 403, 200, 404, 404),
    ("reveal", 401, 403, 403, 200, 404, 404),
    ("message read", 401, 200, 404, 404, 404, 404),  # a message is its owner's alone, whoever else asks
    ("kept file delete", 401, 204, 404, 404, 404, 404),  # 我的材料 is its owner's alone
    ("invitation accept", 401, 200, 404, 403, 403, 403),  # staff are nobody's 经办人
    ("invitation decline", 401, 200, 404, 403, 403, 403),
    ("handler revoke", 401, 403, 403, 403, 403, 403),  # only a 法人 account manages its handlers
    ("appointment cancel", 401, 204, 404, 404, 404, 404),  # an appointment too
    ("captcha audio", 200, 200, 200, 200, 200, 200),
    ("download", 200, 200, 200, 200, 200, 200),
]
CELLS = [
    pytest.param(
        name, actor, expected, id=f"{ROUTES[name].method} {ROUTES[name].path} [{name}] by {actor} -> {expected}"
    )
    for name, *row in MATRIX
    for actor, expected in zip(ACTORS, row, strict=True)
]


def object_facts(world: World, obj: dict) -> list[str]:
    """What a refusal must not tell about the object: its number, the applicant, the form, the files, the place."""
    app = world.services.table.get(f"APP#{obj['id']}", "APP") or {}
    facts = [
        obj["id"],
        "测试用户",
        "zhang_wei01",
        "138****8000",
        PHONE,
        "旺财",
        "中华田园犬",
        "材料.pdf",
        "养犬",
        "社会事务科",
        "登录密码已修改",  # the owner's message
        obj.get("upload_id"),
        obj.get("number"),
        app.get("number"),
        app.get("id"),
    ]
    for files in (app.get("materials") or {}).values():
        facts += [value for file in files for value in (file.get("upload_id"), file.get("sha256"), file.get("key"))]
    return [fact for fact in facts if fact]


def assert_refusal_tells_nothing(answer, facts: list[str]) -> None:
    body = answer.json()
    assert list(body) == ["error"] and {"code", "message"} <= set(body["error"]) <= {"code", "message", "fields"}
    assert all(isinstance(value, str) for value in body["fields"].values()) if "fields" in body else True
    text = json.dumps(body, ensure_ascii=False) + json.dumps(dict(answer.headers))
    assert [fact for fact in facts if fact in text] == []


def send(client: TestClient, route: Route, obj: dict):
    body = route.body(obj) if route.body else None
    return client.request(route.method, route.url(obj), **({"json": body} if body is not None else {}))


def test_the_matrix_is_complete(tmp_path, catalog_path) -> None:
    """Every route of the API that takes an id has a row, so a new one cannot be added without deciding who may."""
    services = build_services(
        Settings(backend="local", data_dir=tmp_path / "data", test_mode=False, catalog_path=catalog_path)
    )
    document = create_app(services=services).openapi()
    with_id = {
        (method.upper(), re.sub(r"\{[a-z_]+\}", "{x}", path.removeprefix("/api")))
        for path, operations in document["paths"].items()
        if "{" in path
        for method in operations
    }
    covered = {(route.method, re.sub(r"\{[a-z_]+\}", "{x}", route.path)) for route in ROUTES.values()}
    covered = {("GET", "/local-files/{x}") if path == "{x}" else (method, path) for method, path in covered}
    assert with_id - covered == set()
    assert {name for name, *_ in MATRIX} == set(ROUTES) and all(len(row) == 1 + len(ACTORS) for row in MATRIX)


@pytest.mark.parametrize(("name", "actor", "expected"), CELLS)
def test_cell(world, name, actor, expected) -> None:
    route = ROUTES[name]
    if route.local_only and world.services.settings.backend != "local":
        pytest.skip("the local backend's download route; on aws a download link is an S3 presigned GET")
    allowed = 200 <= expected < 300
    obj = world.make(route.state) if allowed and route.changes else world.shared(route.state)
    before = world.stored(obj)
    answer = send(world.clients[actor], route, obj)
    assert answer.status_code == expected, answer.text
    if allowed:
        assert route.shows(answer, obj), answer.text
        return
    assert_refusal_tells_nothing(answer, object_facts(world, obj))
    assert world.stored(obj) == before  # refused means nothing happened to it


# --- lists: the objects an actor may not touch are not listed either ---------------------------------------------

SEES, HIDDEN = "200, listed", "200, not listed"
LISTS = {
    "my applications": ("/api/applications", "submitted"),
    "review queue": ("/api/review/applications", "submitted"),
    "audit log": ("/api/review/audit-log", "revealed"),
    "my messages": ("/api/messages", "message"),
    "my materials": ("/api/me/materials", "kept_file"),
    "差评 awaiting reply": ("/api/review/evaluations", "bad_rated"),
    "my appointments": ("/api/appointments", "appointment"),
}
LIST_MATRIX = [
    # list               anon  owner   other   staff   s-dept  s-region
    ("my applications", 401, SEES, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("review queue", 401, 403, 403, SEES, HIDDEN, HIDDEN),
    ("audit log", 401, 403, 403, SEES, HIDDEN, HIDDEN),
    ("my messages", 401, SEES, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("my materials", 401, SEES, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
    ("差评 awaiting reply", 401, 403, 403, SEES, HIDDEN, HIDDEN),
    ("my appointments", 401, SEES, HIDDEN, HIDDEN, HIDDEN, HIDDEN),
]
LIST_CELLS = [
    pytest.param(name, actor, expected, id=f"GET {LISTS[name][0]} by {actor} -> {expected}")
    for name, *row in LIST_MATRIX
    for actor, expected in zip(ACTORS, row, strict=True)
]


@pytest.mark.parametrize(("name", "actor", "expected"), LIST_CELLS)
def test_list_cell(world, name, actor, expected) -> None:
    path, state = LISTS[name]
    if state == "revealed":
        obj = world.shared("submitted")
        if not world.cache.get("revealed"):
            assert (
                world.clients["staff"]
                .post(f"/api/review/applications/{obj['id']}/reveal", json={"field": "owner_phone"})
                .status_code
                == 200
            )
            world.cache["revealed"] = True
    else:
        obj = world.shared(state)
    answer = world.clients[actor].get(path)
    if isinstance(expected, int):
        assert answer.status_code == expected, answer.text
        assert_refusal_tells_nothing(answer, object_facts(world, obj))
        return
    assert answer.status_code == 200, answer.text
    keys = {"audit log": "application_id", "差评 awaiting reply": "application_id", "my appointments": "appointment_id"}
    key = keys.get(name, "id")
    listed = [item[key] for item in answer.json()["items"]]
    assert (obj["id"] in listed) == (expected == SEES), listed
    if expected == HIDDEN:
        assert [fact for fact in object_facts(world, obj) if fact in answer.text] == []


# --- operators: the CLI only ---------------------------------------------------------------------------------------


def test_operator_commands_are_not_reachable_over_http(world) -> None:
    """create-staff and audit-log of any department are portal-admin commands; HTTP offers neither."""
    paths = world.clients["anonymous"].get("/api/openapi.json").json()["paths"]
    assert [path for path in paths if re.search(r"admin|operator|staff", path)] == []
    for client_name in ("anonymous", "owner", "staff"):
        client = world.clients[client_name]
        for method, path in [
            ("POST", "/api/admin/staff"),
            ("POST", "/api/staff"),
            ("GET", "/api/admin/audit-log"),
            ("POST", "/api/operators"),
            ("GET", "/api/accounts"),
        ]:
            answer = client.request(method, path, json={})
            assert answer.status_code in (404, 405), (client_name, method, path, answer.status_code)
            assert list(answer.json()) == ["error"]

    # Registration cannot make a staff account: the role is not a field of the form.
    services, visitor = world.services, world.clients["anonymous"]
    services.clock.advance(61)
    made = register(
        services,
        visitor,
        login_name="wei_staff01",
        phone="13712345678",
        id_number="110101199003071110",
        role="staff",
        region="210300",
        department="bureau-social",
    )
    assert made.status_code == 422, made.text
    assert login(services, visitor, login_name="wei_staff01").status_code != 200

    # Nor can a profile edit; and an applicant's own profile stays an applicant's.
    owner = world.owner
    changed = owner.patch("/api/me", json={"role": "staff", "region": "210300", "department": "bureau-social"})
    assert changed.status_code == 422
    assert owner.get("/api/me").json()["role"] == "applicant"
    assert owner.get("/api/review/applications").status_code == 403

    # A staff member's audit log is their own department's, whatever the query asks for (the CLI's is any).
    other = world.clients["staff_other_department"]
    asked = other.get("/api/review/audit-log", params={"region": "210300", "department": "bureau-social"})
    obj = world.shared("submitted")
    assert asked.status_code == 200 and obj["id"] not in asked.text
