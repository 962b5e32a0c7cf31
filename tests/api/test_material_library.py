"""我的材料 on both backends: every checked material upload and a 法人's licence is kept; 网上申报 offers the files
that fit a material (format, size, validity), same-named first; reusing one copies it into the application; a file
held by a submitted application cannot be deleted; another account's file is not there."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.testclient import TestClient

from functions.repositories.errors import RecordChanged
from tests.api.conftest import ORIGIN
from tests.api.test_applications import other_applicant
from tests.factories import (
    PDF,
    SUBITEM,
    complete_draft,
    legal_registration,
    login,
    pdf_bytes,
    png_bytes,
    register,
    request_sms,
    sms_code,
    upload_file,
    upload_material,
)

YEAR = 365 * 86400


@pytest.fixture
def applicant(services, client) -> TestClient:
    register(services, client)
    assert login(services, client).status_code == 200
    return client


def library(client, **query) -> list[dict]:
    answer = client.get("/api/me/materials", params=query)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def offers(client, application_id: str, material_id: str) -> list[dict]:
    return library(client, application_id=application_id, material_id=material_id)


def new_draft(client) -> str:
    answer = client.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()["id"]


def submitted_application(client) -> str:
    application_id = complete_draft(client)
    assert client.post(f"/api/applications/{application_id}/submit").status_code == 200
    return application_id


def reuse(client, application_id: str, material_id: str, reuse_ids: list[str], upload_ids: list[str] | None = None):
    return client.put(
        f"/api/applications/{application_id}/materials/{material_id}",
        json={"upload_ids": upload_ids or [], "reuse_ids": reuse_ids},
    )


def files_of(detail: dict, material_id: str) -> list[dict]:
    return next(material for material in detail["materials"] if material["id"] == material_id)["files"]


def test_an_uploaded_material_is_kept_with_the_application_using_it(services, applicant) -> None:
    first = submitted_application(applicant)
    [kept] = library(applicant)
    assert kept["filename"] == "材料.pdf" and kept["material_name"] == "养犬登记表"
    assert kept["content_type"] == "application/pdf" and kept["size"] == len(PDF)
    assert kept["valid_until"] is None and kept["expired"] is False
    assert [use["application_id"] for use in kept["used_by"]] == [first]
    assert kept["used_by"][0]["status_label"] == "已提交" and kept["used_by"][0]["number"]
    assert kept["deletable"] is False
    assert kept["uploaded_at"].endswith("+08:00")


def test_reusing_a_kept_file_copies_it_into_the_new_application(services, applicant) -> None:
    first = submitted_application(applicant)
    draft = new_draft(applicant)
    [offer] = offers(applicant, draft, "form")
    answer = reuse(applicant, draft, "form", [offer["id"]])
    assert answer.status_code == 200, answer.text
    [file] = files_of(answer.json(), "form")
    original = files_of(applicant.get(f"/api/applications/{first}").json(), "form")[0]
    assert file["sha256"] == original["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert file["upload_id"] != original["upload_id"]  # a copy of its own, not the first case's object
    stored = services.table.get(f"UPLOAD#{file['upload_id']}", "UPLOAD")
    assert stored["key"].startswith(f"evidence/materials/{draft}/form/") and services.blobs.read(stored["key"]) == PDF
    assert offers(applicant, draft, "form") == []  # attached already: not offered again

    applicant.put(f"/api/applications/{draft}/form", json={"form_data": {"dog_name": "大黄", "breed": "其他"}})
    assert applicant.post(f"/api/applications/{draft}/submit").status_code == 200
    [kept] = library(applicant)
    assert sorted(use["application_id"] for use in kept["used_by"]) == sorted([first, draft])


def test_reusing_twice_or_with_the_upload_it_came_from_adds_no_copy(services, applicant) -> None:
    draft = new_draft(applicant)
    upload_id = upload_material(applicant, draft, "form").json()["upload_id"]
    [kept] = library(applicant)
    answer = reuse(applicant, draft, "form", [kept["id"]], upload_ids=[upload_id])
    assert [file["upload_id"] for file in files_of(answer.json(), "form")] == [upload_id]
    other = reuse(applicant, draft, "vaccine", [kept["id"]])
    [copy] = files_of(other.json(), "vaccine")
    again = reuse(applicant, draft, "vaccine", [kept["id"]], upload_ids=[copy["upload_id"]])
    assert [file["upload_id"] for file in files_of(again.json(), "vaccine")] == [copy["upload_id"]]


def test_offers_put_files_of_the_same_material_first(services, applicant) -> None:
    draft = new_draft(applicant)
    vaccine_upload = upload_material(applicant, draft, "vaccine", filename="免疫证明.pdf")
    services.clock.advance(60)
    form_upload = upload_material(applicant, draft, "form", data=pdf_bytes(2), filename="登记表.pdf")
    assert vaccine_upload.status_code == form_upload.status_code == 200
    services.clock.advance(60)
    later = new_draft_after_submitting(applicant, draft, form_upload.json()["upload_id"])
    assert [offer["filename"] for offer in offers(applicant, later, "vaccine")] == ["免疫证明.pdf", "登记表.pdf"]
    assert [offer["filename"] for offer in offers(applicant, later, "form")] == ["登记表.pdf", "免疫证明.pdf"]


def new_draft_after_submitting(client, draft: str, form_upload: str) -> str:
    """Submit the draft with its 养犬登记表 `form_upload`, then start the next application of the same sub-item."""
    client.put(f"/api/applications/{draft}/form", json={"form_data": {"dog_name": "旺财", "breed": "中华田园犬"}})
    client.put(f"/api/applications/{draft}/materials/form", json={"upload_ids": [form_upload]})
    assert client.post(f"/api/applications/{draft}/submit").status_code == 200
    return new_draft(client)


def test_an_expired_file_is_not_offered_nor_reused(services, applicant) -> None:
    draft = new_draft(applicant)
    upload_material(applicant, draft, "vaccine", filename="免疫证明.pdf")  # 免疫证明: valid_days 365
    form = upload_material(applicant, draft, "form", data=pdf_bytes(2), filename="登记表.pdf")  # no limit
    later = new_draft_after_submitting(applicant, draft, form.json()["upload_id"])
    services.clock.advance(YEAR + 86400)
    login(services, applicant)  # the session ended long ago
    assert [offer["filename"] for offer in offers(applicant, later, "form")] == ["登记表.pdf"]
    vaccine = next(item for item in library(applicant) if item["filename"] == "免疫证明.pdf")
    assert vaccine["expired"] is True and vaccine["valid_until"]
    refused = reuse(applicant, later, "vaccine", [vaccine["id"]])
    assert refused.status_code == 422
    assert refused.json()["error"]["fields"]["reuse_ids"] == "文件已超过有效期，请重新上传"
    assert files_of(applicant.get(f"/api/applications/{later}").json(), "vaccine") == []


def test_a_file_too_old_for_the_material_asked_is_not_offered(services, applicant) -> None:
    """A file kept for a material without a limit is still too old for one valid 365 days."""
    draft = new_draft(applicant)
    form = upload_material(applicant, draft, "form", filename="登记表.pdf")
    later = new_draft_after_submitting(applicant, draft, form.json()["upload_id"])
    services.clock.advance(YEAR + 86400)
    login(services, applicant)  # the session ended long ago
    assert [offer["filename"] for offer in offers(applicant, later, "form")] == ["登记表.pdf"]
    assert offers(applicant, later, "vaccine") == []
    [kept] = library(applicant)
    refused = reuse(applicant, later, "vaccine", [kept["id"]])
    assert refused.status_code == 422 and "有效期" in refused.json()["error"]["message"]


def test_a_licence_from_registration_is_kept_and_offered_where_it_fits(services, client) -> None:
    completed = upload_file(client, png_bytes())
    body = legal_registration(completed.json()["upload_id"])
    request_sms(services, client, body["phone"])
    registered = client.post("/api/accounts", json={**body, "sms_code": sms_code(services, body["phone"])})
    assert registered.status_code == 201, registered.text
    login(services, client, login_name="org_admin01")
    [licence] = library(client)
    assert licence["material_name"] == "营业执照" and licence["content_type"] == "image/png"
    assert licence["used_by"] == [] and licence["deletable"] is True

    shop = client.post("/api/applications", json={"region": "210100", "subitem_code": "210100-XK-0001-01"}).json()
    assert [offer["id"] for offer in offers(client, shop["id"], "id-card")] == [licence["id"]]  # JPEG or PNG
    pet = new_draft(client)
    assert offers(client, pet, "form") == []  # PDF only
    refused = reuse(client, pet, "form", [licence["id"]])
    assert refused.status_code == 422 and refused.json()["error"]["fields"]["reuse_ids"] == "文件格式不符合该材料的要求"

    licence_key = services.table.get(f"ACCOUNT#{registered.json()['id']}", "PROFILE")["organization"]["license_key"]
    assert client.delete(f"/api/me/materials/{licence['id']}").status_code == 204
    assert library(client) == []
    assert services.blobs.read(licence_key) == png_bytes()  # the registration's own record stays


def test_a_file_only_drafts_use_can_be_deleted_and_the_drafts_keep_theirs(services, applicant) -> None:
    draft = new_draft(applicant)
    upload_id = upload_material(applicant, draft, "form").json()["upload_id"]
    applicant.put(f"/api/applications/{draft}/materials/form", json={"upload_ids": [upload_id]})
    [kept] = library(applicant)
    assert kept["deletable"] is True and [use["status"] for use in kept["used_by"]] == ["draft"]
    assert applicant.delete(f"/api/me/materials/{kept['id']}").status_code == 204
    assert library(applicant) == []
    assert applicant.delete(f"/api/me/materials/{kept['id']}").status_code == 404
    [file] = files_of(applicant.get(f"/api/applications/{draft}").json(), "form")
    assert file["upload_id"] == upload_id
    key = services.table.get(f"UPLOAD#{upload_id}", "UPLOAD")["key"]
    assert services.blobs.read(key) == PDF
    refused = reuse(applicant, draft, "vaccine", [kept["id"]])
    assert refused.status_code == 422 and refused.json()["error"]["fields"]["reuse_ids"] == "文件不存在"


def test_a_file_taken_off_a_draft_stays_in_the_library(services, applicant) -> None:
    draft = new_draft(applicant)
    upload_id = upload_material(applicant, draft, "form").json()["upload_id"]
    applicant.put(f"/api/applications/{draft}/materials/form", json={"upload_ids": [upload_id]})
    applicant.put(f"/api/applications/{draft}/materials/form", json={"upload_ids": []})
    [kept] = library(applicant)
    assert kept["used_by"] == []  # the draft dropped it
    answer = reuse(applicant, draft, "form", [kept["id"]])
    assert answer.status_code == 200 and files_of(answer.json(), "form")[0]["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_a_file_of_a_submitted_application_cannot_be_deleted(services, applicant) -> None:
    submitted_application(applicant)
    [kept] = library(applicant)
    refused = applicant.delete(f"/api/me/materials/{kept['id']}")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "in_use"
    assert "随办件留存" in refused.json()["error"]["message"]
    assert len(library(applicant)) == 1


def test_another_accounts_files_are_not_there(services, applicant) -> None:
    submitted_application(applicant)
    [kept] = library(applicant)
    other = other_applicant(services, applicant)
    assert library(other) == []
    assert other.delete(f"/api/me/materials/{kept['id']}").status_code == 404
    draft = new_draft(other)
    refused = reuse(other, draft, "form", [kept["id"]])
    assert refused.status_code == 422 and refused.json()["error"]["fields"]["reuse_ids"] == "文件不存在"
    mine = new_draft(applicant)
    assert other.get("/api/me/materials", params={"application_id": mine, "material_id": "form"}).status_code == 404


def test_offers_need_both_the_application_and_the_material(services, applicant) -> None:
    draft = new_draft(applicant)
    answer = applicant.get("/api/me/materials", params={"application_id": draft})
    assert answer.status_code == 422 and answer.json()["error"]["fields"] == {"material_id": "缺少该参数"}
    unknown = applicant.get("/api/me/materials", params={"application_id": draft, "material_id": "nothing"})
    assert unknown.status_code == 404
    assert TestClient(applicant.app, base_url=ORIGIN).get("/api/me/materials").status_code == 401


def test_a_kept_file_whose_bytes_changed_is_refused(services, applicant) -> None:
    draft = new_draft(applicant)
    upload_material(applicant, draft, "form")
    [kept] = library(applicant)
    key = services.material_library.get(services.accounts.find_by_login_name("zhang_wei01")["id"], kept["id"])["key"]
    services.blobs.delete(key)
    services.blobs.put(key, pdf_bytes(3), "application/pdf")  # what an operator's mistake or an attack could do
    refused = reuse(applicant, draft, "vaccine", [kept["id"]])
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "file_changed"
    assert files_of(applicant.get(f"/api/applications/{draft}").json(), "vaccine") == []


def test_a_reuse_that_loses_a_race_leaves_no_copy(services, applicant, monkeypatch) -> None:
    draft = new_draft(applicant)
    upload_material(applicant, draft, "form")
    [kept] = library(applicant)
    written: list[str] = []
    keep_copy = services.uploads.keep_copy

    def recording(*args, **kwargs):
        upload = keep_copy(*args, **kwargs)
        written.append(upload["key"])
        return upload

    def changed(*args, **kwargs):
        raise RecordChanged()

    monkeypatch.setattr(services.uploads, "keep_copy", recording)
    monkeypatch.setattr(services.applications, "save", changed)
    assert reuse(applicant, draft, "vaccine", [kept["id"]]).status_code == 409
    assert written and all(services.blobs.head(key) is None for key in written)
