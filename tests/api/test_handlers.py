"""法人 经办人: the administrator invites a 自然人 by login name, the person accepts and acts for the organisation,
the administrator sees who applied and revokes at once; and every refusal around it. Both backends."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from functions.services import Services
from tests.api.conftest import ORIGIN, app_for
from tests.factories import (
    complete_draft,
    legal_registration,
    login,
    png_bytes,
    register,
    request_sms,
    signed_in,
    sms_code,
    sms_messages,
    upload_file,
)

ORG_NAME = "鞍山市示例科技有限公司"
ORG_PHONE = "13700137000"


@dataclass
class World:
    services: Services
    admin: TestClient
    person: TestClient
    other: TestClient
    admin_id: str
    person_id: str

    def invite(self, login_name: str = "zhang_wei01"):
        return self.admin.post("/api/me/handlers", json={"login_name": login_name})

    def accepted_handler(self) -> dict:
        grant = self.invite().json()
        assert self.person.post(f"/api/me/organizations/{self.admin_id}/accept").status_code == 200
        return grant

    def acting(self) -> dict:
        grant = self.accepted_handler()
        answer = self.person.post("/api/me/acting", json={"organization_id": self.admin_id})
        assert answer.status_code == 200, answer.text
        return grant


def _client(services) -> TestClient:
    return TestClient(app_for(services), base_url=ORIGIN)


@pytest.fixture
def world(services) -> World:
    admin, person, other = _client(services), _client(services), _client(services)
    licence = upload_file(admin, png_bytes()).json()["upload_id"]
    body = legal_registration(licence, phone=ORG_PHONE)
    request_sms(services, admin, ORG_PHONE)
    body["sms_code"] = sms_code(services, ORG_PHONE)
    assert admin.post("/api/accounts", json=body).status_code == 201
    assert login(services, admin, login_name="org_admin01").status_code == 200
    services.clock.advance(61)  # the address's SMS resend interval
    assert register(services, person).status_code == 201
    assert login(services, person).status_code == 200
    services.clock.advance(61)
    made = register(services, other, login_name="li_na2026", phone="13912345678", id_number="110101199003074530")
    assert made.status_code == 201, made.text
    assert login(services, other, login_name="li_na2026").status_code == 200
    admin_id = admin.get("/api/me").json()["id"]
    person_id = person.get("/api/me").json()["id"]
    return World(services, admin, person, other, admin_id, person_id)


def test_invite_accept_act_apply_and_revoke(world: World) -> None:
    grant = world.invite()
    assert grant.status_code == 201, grant.text
    assert grant.json()["status"] == "invited" and grant.json()["name"] == ""  # no real name before acceptance
    inbox = world.person.get("/api/messages").json()["items"]
    assert inbox[0]["kind"] == "security" and ORG_NAME in inbox[0]["text"]

    organizations = world.person.get("/api/me/organizations").json()["items"]
    assert [(o["organization_id"], o["status"]) for o in organizations] == [(world.admin_id, "invited")]
    accepted = world.person.post(f"/api/me/organizations/{world.admin_id}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    listed = world.admin.get("/api/me/handlers").json()["items"]
    assert [(h["login_name"], h["name"], h["status"]) for h in listed] == [("zhang_wei01", "测试用户", "accepted")]
    assert any("新增经办人" in text for _, text in sms_messages(world.services))  # the administrator is told

    me = world.person.post("/api/me/acting", json={"organization_id": world.admin_id})
    assert me.status_code == 200, me.text
    me = world.person.get("/api/me").json()
    assert me["acting_for"]["name"] == ORG_NAME and me["real_name"] == "测试用户" and me["account_type"] == "natural"

    app_id = complete_draft(world.person)
    submitted = world.person.post(f"/api/applications/{app_id}/submit")
    assert submitted.status_code == 200, submitted.text
    # The organisation's application: the administrator sees it, with the handler who submitted it.
    mine = world.admin.get("/api/applications").json()["items"]
    assert [(a["id"], a["acted_by"], a["applicant_name"]) for a in mine] == [(app_id, "测试用户", ORG_NAME)]
    detail = world.admin.get(f"/api/applications/{app_id}").json()
    assert detail["history"][-1]["actor"] == f"{ORG_NAME}（经办人：测试用户）"
    stored = world.services.table.get(f"APP#{app_id}", "APP")
    assert stored["owner"] == world.admin_id
    assert (
        stored["created_by"]
        == stored["submitted_by"]
        == {
            "account_id": world.person_id,
            "name": "测试用户",
            "handler": True,
        }
    )

    world.services.clock.advance(1)  # messages are ordered by their time
    revoked = world.admin.delete(f"/api/me/handlers/{grant.json()['id']}")
    assert revoked.status_code == 204
    # The very next request of the session that was acting acts as the person again.
    assert world.person.get(f"/api/applications/{app_id}").status_code == 404
    assert world.person.get("/api/applications").json()["items"] == []
    assert world.person.get("/api/me").json()["acting_for"] is None
    assert world.person.post("/api/me/acting", json={"organization_id": world.admin_id}).status_code == 404
    assert "已撤销" in world.person.get("/api/messages").json()["items"][0]["title"]


def test_revocation_is_at_once_for_a_session_already_acting(world: World) -> None:
    grant = world.acting()
    app_id = complete_draft(world.person)
    assert world.person.get(f"/api/applications/{app_id}").status_code == 200
    assert world.admin.delete(f"/api/me/handlers/{grant['id']}").status_code == 204
    assert world.person.put(f"/api/applications/{app_id}/form", json={"form_data": {}}).status_code == 404
    assert world.person.post(f"/api/applications/{app_id}/submit").status_code == 404
    assert world.services.table.get(f"APP#{app_id}", "APP")["status"] == "draft"


def test_an_own_draft_stays_apart_from_the_organisations(world: World) -> None:
    own = complete_draft(world.person)
    world.acting()
    for_org = complete_draft(world.person)
    assert own != for_org
    assert world.person.get(f"/api/applications/{own}").status_code == 404  # acting: the organisation's only
    assert world.person.delete("/api/me/acting").json()["acting_for"] is None
    assert [a["id"] for a in world.person.get("/api/applications").json()["items"]] == [own]
    assert world.services.table.get(f"APP#{own}", "APP")["created_by"]["handler"] is False


@pytest.mark.parametrize(
    ("login_name", "field_message"),
    [("nobody_here1", "登录名不存在"), ("org_admin01", "不能邀请本账号")],
)
def test_inviting_a_login_that_is_not_a_person(world: World, login_name, field_message) -> None:
    answer = world.invite(login_name)
    assert answer.status_code == 422 and answer.json()["error"]["fields"]["login_name"] == field_message


def test_inviting_another_legal_account_or_twice_is_refused(world: World) -> None:
    services, second = world.services, _client(world.services)
    services.clock.advance(61)
    licence = upload_file(second, png_bytes()).json()["upload_id"]
    body = legal_registration(
        licence,
        login_name="org_other01",
        phone="13600136000",
        organization={
            **legal_registration(licence)["organization"],
            "credit_code": "91110000100006485K",
            "name": "另一家公司",
        },
    )
    request_sms(services, second, "13600136000")
    body["sms_code"] = sms_code(services, "13600136000")
    assert second.post("/api/accounts", json=body).status_code == 201, body
    assert world.invite("org_other01").status_code == 422

    assert world.invite().status_code == 201
    twice = world.invite("ZHANG_WEI01")  # login names are one name whatever their case
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_invited"
    world.person.post(f"/api/me/organizations/{world.admin_id}/accept")
    assert world.invite().status_code == 409


def test_a_natural_person_cannot_manage_handlers(world: World) -> None:
    assert world.person.post("/api/me/handlers", json={"login_name": "li_na2026"}).status_code == 403
    assert world.person.get("/api/me/handlers").status_code == 403
    assert world.admin.get("/api/me/organizations").status_code == 403  # the 法人 account is nobody's handler


def test_accepting_someone_elses_invitation(world: World) -> None:
    world.invite()
    assert world.other.post(f"/api/me/organizations/{world.admin_id}/accept").status_code == 404
    assert world.other.post("/api/me/acting", json={"organization_id": world.admin_id}).status_code == 404
    assert world.admin.get("/api/me/handlers").json()["items"][0]["status"] == "invited"
    # Nor can the invitee act before accepting.
    assert world.person.post("/api/me/acting", json={"organization_id": world.admin_id}).status_code == 404


def test_declined_and_revoked_invitations_can_be_renewed(world: World) -> None:
    world.invite()
    declined = world.person.post(f"/api/me/organizations/{world.admin_id}/decline")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    assert world.person.post(f"/api/me/organizations/{world.admin_id}/accept").status_code == 404
    again = world.invite()
    assert again.status_code == 201, again.text
    assert world.person.post(f"/api/me/organizations/{world.admin_id}/accept").status_code == 200
    assert world.admin.delete(f"/api/me/handlers/{again.json()['id']}").status_code == 204
    assert world.admin.delete(f"/api/me/handlers/{again.json()['id']}").status_code == 404  # once
    assert world.invite().status_code == 201
    assert [h["status"] for h in world.admin.get("/api/me/handlers").json()["items"]] == ["invited"]


def test_acting_for_an_organisation_one_is_not_a_handler_of(world: World) -> None:
    world.acting()
    assert world.other.post("/api/me/acting", json={"organization_id": world.admin_id}).status_code == 404
    assert world.other.post("/api/me/acting", json={"organization_id": world.person_id}).status_code == 404
    assert world.other.get("/api/me").json()["acting_for"] is None


def test_a_handler_does_not_manage_the_organisation(world: World) -> None:
    """While acting, the account routes act on the person, never the organisation; 经办人管理 refuses."""
    world.acting()
    person = world.person
    assert person.get("/api/me/handlers").status_code == 403
    assert person.post("/api/me/handlers", json={"login_name": "li_na2026"}).status_code == 403
    grant_id = world.admin.get("/api/me/handlers").json()["items"][0]["id"]
    assert person.delete(f"/api/me/handlers/{grant_id}").status_code == 403

    # The organisation's security settings are not shown: GET /me is the person's own profile.
    me = person.get("/api/me").json()
    assert me["id"] == world.person_id and me["organization"] is None and me["phone"] == "138****8000"
    # Profile edits change the person, never the organisation.
    edited = person.patch("/api/me", json={"email": "handler@example.cn"})
    assert edited.status_code == 200 and edited.json()["id"] == world.person_id
    assert world.admin.get("/api/me").json()["email"] == "user@example.cn"
    refused = person.patch("/api/me", json={"organization": {"handler_name": "冒名"}})
    assert refused.status_code == 422
    assert world.admin.get("/api/me").json()["organization"]["handler_name"] == "经办测试"
    # The password is the person's: the organisation's password still works, the person's changed.
    changed = person.post("/api/me/password", json={"old_password": "Liaoning2026ok", "new_password": "Handler2026ok"})
    assert changed.status_code == 204
    services = world.services
    fresh = _client(services)
    assert login(services, fresh, login_name="org_admin01").status_code == 200
    assert login(services, fresh, login_name="zhang_wei01", password="Handler2026ok").status_code == 200
    # The organisation's 消息中心 (its security notices) is its administrator's: the handler reads their own.
    org_titles = {m["title"] for m in world.admin.get("/api/messages").json()["items"]}
    handler_messages = person.get("/api/messages").json()["items"]
    assert "账号安全提醒" in org_titles and all("新增经办人" not in m["text"] for m in handler_messages)
    # 退出 ends the person's session, acting or not.
    assert person.delete("/api/sessions/current").status_code == 204
    assert not signed_in(person)


def test_the_org_administrator_acts_as_the_org(world: World) -> None:
    """The registrant signs in as the 法人 account as before: their applications record no 经办人."""
    app_id = complete_draft(world.admin)
    assert world.admin.post(f"/api/applications/{app_id}/submit").status_code == 200
    assert world.admin.get("/api/applications").json()["items"][0]["acted_by"] == ""
    assert world.admin.get("/api/me").json()["acting_for"] is None
