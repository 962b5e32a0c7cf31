"""The 办件 as a case file (issue 9): personal numbers sealed and opened on record, the guide version it was
started under, and 补正 as 一次性告知 with the replaced files kept. Both backends."""

from __future__ import annotations

import copy
import json

import pytest

from functions.catalogue import CatalogueReader
from tests.api.conftest import write_catalogue
from tests.api.test_applications import other_applicant, staff_client
from tests.api.test_catalogue import _records, resharded
from tests.factories import SUBITEM, complete_draft, login, pdf_bytes, register, upload_material

PHONE = "13800138000"  # the applicant fixture's phone, pre-filled into 联系电话


@pytest.fixture
def applicant(services, client):
    register(services, client)
    login(services, client)
    return client


def stored(services, app_id: str) -> dict:
    return services.table.get(f"APP#{app_id}", "APP")


def draft_with_phone(applicant) -> str:
    """A complete draft that keeps the pre-filled 联系电话, sent back masked as the page sends it."""
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    form = {**app["form_data"], "dog_name": "旺财", "breed": "中华田园犬"}
    assert applicant.put(f"/api/applications/{app['id']}/form", json={"form_data": form}).status_code == 200
    upload_id = upload_material(applicant, app["id"], "form").json()["upload_id"]
    applicant.put(f"/api/applications/{app['id']}/materials/form", json={"upload_ids": [upload_id]})
    return app["id"]


def submitted(services, applicant) -> str:
    app_id = draft_with_phone(applicant)
    assert applicant.post(f"/api/applications/{app_id}/submit").status_code == 200
    return app_id


# --- personal numbers in the form ---------------------------------------------------------------------------


def test_prefilled_phone_is_stored_sealed_and_shown_masked(services, applicant) -> None:
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    assert app["form_data"]["owner_phone"] == "138****8000"
    record = stored(services, app["id"])
    assert PHONE not in json.dumps(record, ensure_ascii=False)  # not in clear anywhere in the record
    assert record["form_data"]["owner_phone"] == "138****8000" and record["form_sealed"]["owner_phone"]
    assert PHONE not in applicant.get(f"/api/applications/{app['id']}").text


def test_masked_value_sent_back_keeps_the_number_and_a_new_one_is_sealed(services, applicant) -> None:
    app_id = draft_with_phone(applicant)
    assert applicant.get(f"/api/applications/{app_id}").json()["form_data"]["owner_phone"] == "138****8000"
    assert stored(services, app_id)["form_sealed"]["owner_phone"]
    assert applicant.post(f"/api/applications/{app_id}/submit").status_code == 200  # checked with the full number

    other = other_applicant(services, applicant)
    draft = complete_draft(other)
    changed = other.put(
        f"/api/applications/{draft}/form",
        json={"form_data": {"dog_name": "旺财", "breed": "中华田园犬", "owner_phone": "024-22851234"}},
    )
    assert changed.json()["form_data"]["owner_phone"] == "024****1234"
    assert "02422851234" not in json.dumps(stored(services, draft))


def test_staff_open_a_number_only_on_record(services, applicant, client) -> None:
    app_id = submitted(services, applicant)
    staff = staff_client(services, client)
    detail = staff.get(f"/api/review/applications/{app_id}")
    assert PHONE not in detail.text and detail.json()["form_data"]["owner_phone"] == "138****8000"

    opened = staff.post(f"/api/review/applications/{app_id}/reveal", json={"field": "owner_phone"})
    assert opened.status_code == 200 and opened.json() == {"field": "owner_phone", "label": "联系电话", "value": PHONE}
    log = staff.get("/api/review/audit-log").json()["items"]
    assert [(e["staff_name"], e["application_id"], e["field_label"]) for e in log] == [("审批员甲", app_id, "联系电话")]
    assert log[0]["at"].endswith("+08:00") and PHONE not in json.dumps(log)

    not_personal = staff.post(f"/api/review/applications/{app_id}/reveal", json={"field": "dog_name"})
    assert not_personal.status_code == 404
    assert applicant.post(f"/api/review/applications/{app_id}/reveal", json={"field": "owner_phone"}).status_code == 403
    elsewhere = staff_client(services, client, department="bureau", login_name="shenpi_as09")
    assert elsewhere.post(f"/api/review/applications/{app_id}/reveal", json={"field": "owner_phone"}).status_code == 404
    assert elsewhere.get("/api/review/audit-log").json()["items"] == []  # another department's record


def test_operators_read_the_audit_log(services, applicant, client, capsys) -> None:
    from functions import cli

    app_id = submitted(services, applicant)
    staff_client(services, client).post(f"/api/review/applications/{app_id}/reveal", json={"field": "owner_phone"})
    cli.print_audit_log(services, "210300", "bureau-social", 10)
    line = capsys.readouterr().out.strip()
    assert "审批员甲" in line and "查看了“联系电话”" in line and PHONE not in line


# --- the guide version an application was started under -----------------------------------------------------


def _edit_catalogue(services, tmp_path, catalogue_files, change) -> None:
    records = copy.deepcopy(_records(catalogue_files))
    change(records[SUBITEM])
    services.catalogue = CatalogueReader(write_catalogue(tmp_path, resharded(catalogue_files, records, 1)))


def _new_required_material(record: dict) -> None:
    record["materials"].append({**record["materials"][1], "id": "photo", "name": "犬只照片", "required": True})


def test_a_changed_guide_is_shown_and_submitting_needs_a_look_at_it(
    services, applicant, tmp_path, catalogue_files
) -> None:
    app_id = complete_draft(applicant)
    _edit_catalogue(services, tmp_path, catalogue_files, _new_required_material)

    refused = applicant.post(f"/api/applications/{app_id}/submit")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "subitem_changed" and error["message"].startswith("事项已调整")
    assert (
        error["changes"] == ["申请材料新增“犬只照片”（必填）"]
        and error["guide_url"] == "/alpha/guide/210300-XK-0001-01/"
    )
    assert stored(services, app_id)["status"] == "draft"  # nothing written

    shown = applicant.get(f"/api/applications/{app_id}").json()
    assert shown["guide_changes"] == ["申请材料新增“犬只照片”（必填）"]
    assert "photo" in [m["id"] for m in shown["materials"]]
    seen = {"guide_version": shown["guide_version"]}
    incomplete = applicant.post(f"/api/applications/{app_id}/submit", json=seen)
    assert incomplete.status_code == 422 and "materials.photo" in incomplete.json()["error"]["fields"]
    photo = upload_material(applicant, app_id, "photo").json()["upload_id"]
    applicant.put(f"/api/applications/{app_id}/materials/photo", json={"upload_ids": [photo]})
    assert applicant.post(f"/api/applications/{app_id}/submit", json=seen).status_code == 200
    assert stored(services, app_id)["guide"]["version"] == shown["guide_version"]  # submitted under the new one


def test_a_submitted_application_keeps_its_guide_after_edits(
    services, applicant, client, tmp_path, catalogue_files
) -> None:
    app_id = submitted(services, applicant)
    before = applicant.get(f"/api/applications/{app_id}").json()
    _edit_catalogue(
        services,
        tmp_path,
        catalogue_files,
        lambda record: record.update(
            fields=[field for field in record["fields"] if field["name"] != "owner_phone"], materials=[]
        ),
    )
    after = applicant.get(f"/api/applications/{app_id}").json()
    assert after["fields"] == before["fields"]
    assert [(m["name"], m["files"][:1] and m["files"][0]["sha256"]) for m in after["materials"]] == [
        (m["name"], m["files"][:1] and m["files"][0]["sha256"]) for m in before["materials"]
    ]
    assert after["guide_changes"] == []  # nothing for the applicant to do: it is the department's now
    staff = staff_client(services, client)
    assert [f["label"] for f in staff.get(f"/api/review/applications/{app_id}").json()["fields"]] == [
        "犬名",
        "品种",
        "联系电话",
        "犬只出生日期",
    ]


def test_a_sub_item_taken_offline_cannot_be_submitted(services, applicant, tmp_path, catalogue_files) -> None:
    app_id = complete_draft(applicant)
    _edit_catalogue(services, tmp_path, catalogue_files, lambda record: record.update(online=False))
    refused = applicant.post(f"/api/applications/{app_id}/submit")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "subitem_unavailable"
    assert refused.json()["error"]["guide_url"] == "/alpha/guide/210300-XK-0001-01/"
    assert "submit" not in applicant.get(f"/api/applications/{app_id}").json()["allowed_actions"]


# --- 补正 as 一次性告知 -------------------------------------------------------------------------------------


def ask_correction(staff, app_id: str, *items: tuple[str, str, str], comment: str = ""):
    return staff.post(
        f"/api/review/applications/{app_id}/actions",
        json={
            "action": "request_correction",
            "comment": comment,
            "corrections": [{"kind": kind, "id": item_id, "reason": reason} for kind, item_id, reason in items],
        },
    )


def test_staff_name_each_item_with_its_reason(services, applicant, client) -> None:
    app_id = submitted(services, applicant)
    staff = staff_client(services, client)
    unknown = ask_correction(staff, app_id, ("material", "passport", "缺少"))
    assert unknown.status_code == 422 and "corrections.0.id" in unknown.json()["error"]["fields"]
    no_reason = ask_correction(staff, app_id, ("material", "form", "照片模糊"), ("field", "dog_name", " "))
    assert no_reason.status_code == 422 and no_reason.json()["error"]["fields"] == {
        "corrections.1.reason": "请写明“犬名”需要补正的原因"
    }
    assert stored(services, app_id)["status"] == "submitted"

    asked = ask_correction(
        staff, app_id, ("material", "form", "登记表未签字"), ("field", "dog_name", "与免疫证明不一致")
    )
    assert asked.status_code == 200
    seen = applicant.get(f"/api/applications/{app_id}").json()
    assert [(c["kind"], c["label"], c["reason"]) for c in seen["corrections"]] == [
        ("material", "养犬登记表", "登记表未签字"),
        ("field", "犬名", "与免疫证明不一致"),
    ]
    assert seen["correction_round"] == 1


def test_the_applicant_changes_only_what_was_marked_and_every_marked_item(services, applicant, client) -> None:
    app_id = submitted(services, applicant)
    staff = staff_client(services, client)
    ask_correction(staff, app_id, ("material", "form", "登记表未签字"), ("field", "dog_name", "与免疫证明不一致"))
    path = f"/api/applications/{app_id}"

    other_field = applicant.put(
        f"{path}/form", json={"form_data": {"dog_name": "旺财", "breed": "其他", "owner_phone": "138****8000"}}
    )
    assert other_field.status_code == 409 and other_field.json()["error"]["code"] == "not_marked"
    vaccine = upload_material(applicant, app_id, "vaccine")
    assert vaccine.status_code == 409  # the ticket itself is refused for an unmarked material
    early = applicant.post(f"{path}/submit")
    assert early.status_code == 422 and set(early.json()["error"]["fields"]) == {"materials.form", "form_data.dog_name"}

    renamed = applicant.put(
        f"{path}/form", json={"form_data": {"dog_name": "阿黄", "breed": "中华田园犬", "owner_phone": "138****8000"}}
    )
    assert renamed.status_code == 200
    first_file = stored(services, app_id)["materials"]["form"][0]
    signed = upload_material(applicant, app_id, "form").json()["upload_id"]
    applicant.put(f"{path}/materials/form", json={"upload_ids": [signed]})
    assert applicant.post(f"{path}/submit").json()["status"] == "submitted"

    detail = staff.get(f"/api/review/applications/{app_id}").json()
    form = next(m for m in detail["materials"] if m["id"] == "form")
    assert [f["upload_id"] for f in form["files"]] == [signed]
    assert [(f["upload_id"], f["sha256"], f["round"]) for f in form["replaced_files"]] == [
        (first_file["upload_id"], first_file["sha256"], 1)
    ]  # 补正前, kept with the case
    assert services.blobs.read(first_file["key"])  # its bytes too
    resubmitted = detail["history"][-1]
    assert resubmitted["comment"] == "补正后重新提交（第 1 次补正）"
    assert {(i["kind"], i["label"]) for i in resubmitted["items"]} == {("field", "犬名"), ("material", "养犬登记表")}
    assert detail["corrections"] == []


def test_each_round_is_in_the_history(services, applicant, client) -> None:
    app_id = submitted(services, applicant)
    staff = staff_client(services, client)
    for reason in ("未签字", "签字不清"):
        ask_correction(staff, app_id, ("material", "form", reason))
        upload_id = upload_material(applicant, app_id, "form").json()["upload_id"]
        applicant.put(f"/api/applications/{app_id}/materials/form", json={"upload_ids": [upload_id]})
        assert applicant.post(f"/api/applications/{app_id}/submit").status_code == 200
    history = staff.get(f"/api/review/applications/{app_id}").json()["history"]
    asked = [(h["items"][0]["reason"]) for h in history if h["to"] == "correction_required"]
    assert asked == ["未签字", "签字不清"]
    assert [h["comment"] for h in history if h["from"] == "correction_required"] == [
        "补正后重新提交（第 1 次补正）",
        "补正后重新提交（第 2 次补正）",
    ]
    form = next(m for m in staff.get(f"/api/review/applications/{app_id}").json()["materials"] if m["id"] == "form")
    assert [f["round"] for f in form["replaced_files"]] == [1, 2]


def test_a_file_added_and_taken_back_within_a_correction_is_not_evidence(services, applicant, client) -> None:
    app_id = submitted(services, applicant)
    staff = staff_client(services, client)
    ask_correction(staff, app_id, ("material", "form", "未签字"))
    path = f"/api/applications/{app_id}/materials/form"
    first = stored(services, app_id)["materials"]["form"][0]
    wrong = upload_material(applicant, app_id, "form").json()["upload_id"]
    applicant.put(path, json={"upload_ids": [wrong]})
    right = upload_material(applicant, app_id, "form", data=pdf_bytes(2)).json()["upload_id"]
    applicant.put(path, json={"upload_ids": [right]})
    replaced = stored(services, app_id)["replaced"]["form"]
    assert [file["upload_id"] for file in replaced] == [first["upload_id"]]  # only what staff had seen
    assert services.table.get(f"UPLOAD#{wrong}", "UPLOAD") is None
