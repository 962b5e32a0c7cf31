"""Applying online (SPEC section 4) and tracking (section 5) through the API, on both backends."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from functions import cli
from tests.api.conftest import ORIGIN, needs_thread_safe_backend
from tests.factories import PDF, SUBITEM, complete_draft, login, png_bytes, register, sms_messages, upload_material


@pytest.fixture
def applicant(services, client):
    register(services, client)
    login(services, client)
    return client


def staff_client(services, client, department: str = "bureau-social", login_name: str = "shenpi_as01") -> TestClient:
    cli.create_staff(services, login_name, "Shenpi2026ok", "210300", department, "审批员甲")
    staff = TestClient(client.app, base_url=ORIGIN)
    login(services, staff, login_name=login_name, password="Shenpi2026ok")
    return staff


def other_applicant(services, client) -> TestClient:
    other = TestClient(client.app, base_url=ORIGIN)
    services.clock.advance(61)
    register(services, other, login_name="li_na2026", phone="13912345678", id_number="110101199003074530")
    login(services, other, login_name="li_na2026")
    return other


def test_draft_is_prefilled_and_continued(services, applicant) -> None:
    first = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM})
    assert first.status_code == 201
    draft = first.json()
    assert draft["status"] == "draft" and draft["status_label"] == "草稿" and draft["number"] is None
    assert draft["form_data"] == {"owner_phone": "138****8000"}  # prefill: phone, shown masked
    assert [m["id"] for m in draft["materials"]] == ["form", "vaccine"]
    assert draft["materials"][0]["blank_form"] == "/files/alpha/form.pdf"
    again = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM})
    assert again.status_code == 200 and again.json()["id"] == draft["id"]


def test_a_draft_started_and_submitted_elsewhere_meanwhile_is_a_conflict(services, applicant, monkeypatch) -> None:
    """Another tab started this sub-item's draft between the look-up and the write, and submitted it since:
    no draft is left to continue, so the answer is 409, not a 500 from showing a draft that is not there."""
    from functions.repositories.errors import DraftExists

    def started_elsewhere(_draft) -> None:
        raise DraftExists()

    monkeypatch.setattr(services.applications, "create", started_elsewhere)
    monkeypatch.setattr(services.applications, "find_draft", lambda *_: None)  # ... and already submitted
    answer = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM})
    assert answer.status_code == 409
    assert answer.json()["error"] == {
        "code": "conflict",
        "message": "办件已在别处更新，请刷新页面后再操作",
        "fields": {},
    }


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"region": "210300", "subitem_code": "210300-XK-9999-01"}, 404, "subitem_code"),
        ({"region": "999999", "subitem_code": SUBITEM}, 404, "subitem_code"),
        ({"region": "210300", "subitem_code": "210300-XK-0001-02"}, 422, "subitem_code"),  # 仅限窗口办理
        ({"region": "210100", "subitem_code": "210100-XK-0001-01"}, 422, "subitem_code"),  # 法人 only
        ({"region": "21030", "subitem_code": SUBITEM}, 422, "region"),
    ],
)
def test_refused_starts(applicant, body, status, field) -> None:
    response = applicant.post("/api/applications", json=body)
    assert response.status_code == status and field in response.json()["error"]["fields"]


def test_draft_saves_partial_form_but_checks_types(applicant) -> None:
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    saved = applicant.put(f"/api/applications/{app['id']}/form", json={"form_data": {"dog_name": "旺财"}})
    assert saved.status_code == 200 and saved.json()["form_data"] == {"dog_name": "旺财"}
    assert saved.json()["field_problems"] == {}
    # No one types a choice the select does not offer, nor a field the form has not: the save is refused.
    bad = applicant.put(
        f"/api/applications/{app['id']}/form",
        json={"form_data": {"breed": "藏獒", "owner_phone": "12", "colour": "黄"}},
    )
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"form_data.breed", "form_data.colour"}
    assert applicant.get(f"/api/applications/{app['id']}").json()["form_data"] == {"dog_name": "旺财"}


def test_a_draft_keeps_what_was_typed_wrong_and_submit_refuses_it(services, applicant) -> None:
    """Issue 14: a value failing its rule was dropped from the draft, and gone without a word on reload. The
    draft keeps it as typed, says what is wrong with it, and submit refuses until it is corrected."""
    app_id = complete_draft(applicant)
    form = f"/api/applications/{app_id}/form"
    typed = {"dog_name": "旺财", "breed": "中华田园犬", "dog_born_on": "2999-01-01", "owner_phone": "1381234"}
    saved = applicant.put(form, json={"form_data": typed})
    assert saved.status_code == 200
    problems = {
        "dog_born_on": "犬只出生日期不能晚于今天",
        "owner_phone": "联系电话格式不正确（手机号码或带区号的固定电话）",
    }
    assert saved.json()["field_problems"] == problems
    reloaded = applicant.get(f"/api/applications/{app_id}").json()
    assert reloaded["field_problems"] == problems
    # The phone, a personal number even when wrong, is shown masked and stored sealed, as a valid one is.
    assert reloaded["form_data"] == {**typed, "owner_phone": "*******"}
    assert "1381234" not in str(services.applications.get(app_id))
    refused = applicant.post(f"/api/applications/{app_id}/submit")
    assert refused.status_code == 422
    assert set(refused.json()["error"]["fields"]) == {"form_data.dog_born_on", "form_data.owner_phone"}
    # The masked phone sent back unchanged keeps the one typed: still wrong, still kept.
    again = applicant.put(form, json={"form_data": {**typed, "owner_phone": "*******", "dog_born_on": "2024-03-01"}})
    assert again.json()["field_problems"] == {"owner_phone": problems["owner_phone"]}
    fixed = applicant.put(
        form, json={"form_data": {**typed, "owner_phone": "13812348000", "dog_born_on": "2024-03-01"}}
    )
    assert fixed.json()["field_problems"] == {}
    assert fixed.json()["form_data"]["owner_phone"] == "138****8000"
    assert applicant.post(f"/api/applications/{app_id}/submit").status_code == 200


def test_a_wrong_value_kept_is_not_what_staff_see(services, applicant, client) -> None:
    """form_data holds only valid values: staff, case files and documents never meet a kept one."""
    app_id = complete_draft(applicant)
    applicant.put(
        f"/api/applications/{app_id}/form",
        json={"form_data": {"dog_name": "旺财", "breed": "中华田园犬", "dog_born_on": "2999-01-01"}},
    )
    assert services.applications.get(app_id)["form_data"] == {"dog_name": "旺财", "breed": "中华田园犬"}


def test_in_a_correction_a_wrong_value_is_kept_only_where_staff_asked(services, applicant, client) -> None:
    """一次性告知 holds for kept values too: a field staff did not mark takes no value, right or wrong; the one they
    marked keeps a wrong one as typed, unseen by staff, and resubmission waits for it."""
    app_id = complete_draft(applicant)
    applicant.post(f"/api/applications/{app_id}/submit")
    staff = staff_client(services, client)
    staff.post(
        f"/api/review/applications/{app_id}/actions",
        json={
            "action": "request_correction",
            "corrections": [{"kind": "field", "id": "dog_born_on", "reason": "请填写"}],
        },
    )
    form = f"/api/applications/{app_id}/form"
    base = {"dog_name": "旺财", "breed": "中华田园犬"}
    unmarked = applicant.put(form, json={"form_data": {**base, "owner_phone": "12"}})
    assert unmarked.status_code == 409 and unmarked.json()["error"]["fields"] == {"form_data.owner_phone": "无需补正"}
    kept = applicant.put(form, json={"form_data": {**base, "dog_born_on": "2999-01-01"}})
    assert kept.status_code == 200 and kept.json()["field_problems"] == {"dog_born_on": "犬只出生日期不能晚于今天"}
    assert "dog_born_on" not in staff.get(f"/api/review/applications/{app_id}").json()["form_data"]
    assert applicant.post(f"/api/applications/{app_id}/submit").status_code == 422
    applicant.put(form, json={"form_data": {**base, "dog_born_on": "2024-03-01"}})
    assert applicant.post(f"/api/applications/{app_id}/submit").status_code == 200


def test_a_date_that_cannot_be_is_kept_naming_the_field(applicant) -> None:
    """Issue 14: a 出生日期 in the future was accepted. The catalogue's not_after: today refuses it (China's today),
    and any date field refuses a year no one meant (1099 for 1990). The draft keeps it to be corrected."""
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    form = f"/api/applications/{app['id']}/form"
    future = applicant.put(form, json={"form_data": {"dog_born_on": "2999-01-01"}})
    assert future.status_code == 200
    assert future.json()["field_problems"] == {"dog_born_on": "犬只出生日期不能晚于今天"}
    typo = applicant.put(form, json={"form_data": {"dog_born_on": "1099-05-17"}})
    assert typo.json()["field_problems"] == {"dog_born_on": "犬只出生日期不能早于1900年1月1日，请核对年份"}
    saved = applicant.put(form, json={"form_data": {"dog_born_on": "２０２４-０３-０１"}})
    assert saved.status_code == 200 and saved.json()["form_data"]["dog_born_on"] == "2024-03-01"
    assert saved.json()["field_problems"] == {}


def test_date_fields_tell_the_page_their_first_and_last_day(services, applicant) -> None:
    """The page sets min/max on the date input from these: not_after: today is the service's China day."""
    from functions.domain.china_time import china_day

    app = applicant.get("/api/applications/new", params={"region": "210300", "subitem_code": SUBITEM}).json()
    born = next(field for field in app["fields"] if field["name"] == "dog_born_on")
    assert born["max"] == china_day(services.clock()).isoformat() and born["min"] == "1900-01-01"
    assert "max" not in next(field for field in app["fields"] if field["name"] == "dog_name")


def test_material_uploads_are_checked(applicant) -> None:
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    assert upload_material(applicant, app["id"], "form").status_code == 200
    png_for_pdf_only = upload_material(applicant, app["id"], "form", png_bytes(), "image/png", "form.png")
    assert png_for_pdf_only.status_code == 422 and "content_type" in png_for_pdf_only.json()["error"]["fields"]
    disguised = upload_material(applicant, app["id"], "vaccine", PDF, "image/jpeg", "vaccine.jpg")
    assert disguised.status_code == 422 and "file" in disguised.json()["error"]["fields"]
    unknown = upload_material(applicant, app["id"], "passport")
    assert unknown.status_code == 404
    too_large = applicant.post(
        "/api/uploads",
        json={
            "purpose": "material",
            "application_id": app["id"],
            "material_id": "vaccine",
            "filename": "v.pdf",
            "content_type": "application/pdf",
            "size": 6 * 1048576,
        },
    )
    assert too_large.status_code == 422 and "size" in too_large.json()["error"]["fields"]
    never = applicant.put(f"/api/applications/{app['id']}/materials/form", json={"upload_ids": ["no-such-upload"]})
    assert never.status_code == 422


def test_several_files_per_material_and_removal(services, applicant) -> None:
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    ids = [upload_material(applicant, app["id"], "vaccine").json()["upload_id"] for _ in range(2)]
    both = applicant.put(f"/api/applications/{app['id']}/materials/vaccine", json={"upload_ids": ids})
    files = both.json()["materials"][1]["files"]
    assert [f["upload_id"] for f in files] == ids and all(f["download_url"] for f in files)
    removed_key = services.table.get(f"UPLOAD#{ids[0]}", "UPLOAD")["key"]
    one = applicant.put(f"/api/applications/{app['id']}/materials/vaccine", json={"upload_ids": ids[1:]})
    assert [f["upload_id"] for f in one.json()["materials"][1]["files"]] == ids[1:]
    assert services.table.get(f"UPLOAD#{ids[0]}", "UPLOAD") is None and services.blobs.head(removed_key) is None
    again = applicant.put(f"/api/applications/{app['id']}/materials/vaccine", json={"upload_ids": ids})
    assert again.status_code == 422  # a removed file cannot come back


def test_submit_reports_every_problem_at_once(applicant) -> None:
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    response = applicant.post(f"/api/applications/{app['id']}/submit")
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"form_data.dog_name", "form_data.breed", "materials.form"}
    assert applicant.get(f"/api/applications/{app['id']}").json()["status"] == "draft"


def test_submit_assigns_number_once(services, applicant) -> None:
    app_id = complete_draft(applicant)
    first = applicant.post(f"/api/applications/{app_id}/submit", headers={"Idempotency-Key": "k1"})
    assert first.status_code == 200, first.text
    number = first.json()["number"]
    assert re.fullmatch(r"210300\d{8}\d{5}", number) and number.endswith("00001")
    assert (
        applicant.post(f"/api/applications/{app_id}/submit", headers={"Idempotency-Key": "k1"}).json() == first.json()
    )
    assert applicant.post(f"/api/applications/{app_id}/submit").json()["number"] == number  # second tab, no key
    listing = applicant.get("/api/applications").json()["items"]
    assert [(a["id"], a["status_label"], a["number"]) for a in listing] == [(app_id, "已提交", number)]
    assert any(number in text for _, text in sms_messages(services))


def test_concurrent_submissions_get_unique_numbers(services, applicant) -> None:
    needs_thread_safe_backend(services)
    ids = []
    for code, region in [(SUBITEM, "210300")]:
        ids.append(complete_draft(applicant, code, region))
    # Several applicants' drafts, each submitted at once, plus a double click on each.
    others = [other_applicant(services, applicant)]
    for other in others:
        ids.append(complete_draft(other))
    clients = {ids[0]: applicant, ids[1]: others[0]}

    def submit(app_id: str) -> str:
        with TestClient(applicant.app, base_url=ORIGIN, cookies=clients[app_id].cookies) as tab:
            return tab.post(f"/api/applications/{app_id}/submit", headers={"Idempotency-Key": f"key-{app_id}"}).json()[
                "number"
            ]

    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = list(pool.map(submit, ids * 3))
    by_app = {app_id: {n for i, n in enumerate(numbers) if ids[i % len(ids)] == app_id} for app_id in ids}
    assert all(len(found) == 1 for found in by_app.values()), by_app
    assert len({next(iter(found)) for found in by_app.values()}) == len(ids)


def test_numbers_count_per_region_and_day(services, applicant) -> None:
    numbers = [
        applicant.post(f"/api/applications/{complete_draft(applicant)}/submit").json()["number"] for _ in range(3)
    ]
    assert [n[-5:] for n in numbers] == ["00001", "00002", "00003"]
    services.clock.advance(86400)
    login(services, applicant)  # a day later the session has long expired
    assert applicant.post(f"/api/applications/{complete_draft(applicant)}/submit").json()["number"][-5:] == "00001"


def test_others_see_nothing(services, applicant, client) -> None:
    app_id = complete_draft(applicant)
    other = other_applicant(services, applicant)
    for method, path, body in [
        ("get", f"/api/applications/{app_id}", None),
        ("put", f"/api/applications/{app_id}/form", {"form_data": {}}),
        ("post", f"/api/applications/{app_id}/submit", None),
        ("post", f"/api/applications/{app_id}/withdraw", None),
    ]:
        response = getattr(other, method)(path, **({"json": body} if body is not None else {}))
        assert response.status_code == 404, path
    assert other.get("/api/applications").json()["items"] == []
    assert other.get("/api/review/applications").status_code == 403


def test_staff_flow_with_correction_and_evaluation(services, applicant, client) -> None:
    app_id = complete_draft(applicant)
    number = applicant.post(f"/api/applications/{app_id}/submit").json()["number"]
    staff = staff_client(services, client)
    queue = staff.get("/api/review/applications", params={"status": "submitted"}).json()["items"]
    assert [(a["id"], a["applicant_name"]) for a in queue] == [(app_id, "测试用户")]
    me = staff.get("/api/me").json()
    assert (me["role"], me["region_name"], me["department_name"]) == ("staff", "甲市", "甲市行政审批局社会事务科")
    detail = staff.get(f"/api/review/applications/{app_id}").json()
    assert detail["allowed_actions"] == ["accept", "reject", "request_correction"]
    assert detail["materials"][0]["files"][0]["download_url"]

    forbidden = staff.post(f"/api/review/applications/{app_id}/actions", json={"action": "approve", "comment": "好"})
    assert forbidden.status_code == 409 and "已提交" in forbidden.json()["error"]["message"]
    needs_list = staff.post(f"/api/review/applications/{app_id}/actions", json={"action": "request_correction"})
    assert needs_list.status_code == 422
    asked = staff.post(
        f"/api/review/applications/{app_id}/actions",
        json={
            "action": "request_correction",
            "corrections": [{"kind": "material", "id": "form", "reason": "照片不清晰"}],
        },
    )
    assert asked.json()["status_label"] == "待补正"
    assert asked.json()["history"][-1]["items"] == [
        {"kind": "material", "id": "form", "label": "养犬登记表", "reason": "照片不清晰"}
    ]

    seen = applicant.get(f"/api/applications/{app_id}").json()
    assert [c["label"] for c in seen["corrections"]] == ["养犬登记表"] and "edit" in seen["allowed_actions"]
    new_file = upload_material(applicant, app_id, "form").json()["upload_id"]
    applicant.put(f"/api/applications/{app_id}/materials/form", json={"upload_ids": [new_file]})
    again = applicant.post(f"/api/applications/{app_id}/submit").json()
    assert again == {"application_id": app_id, "number": number, "status": "submitted"}

    staff.post(f"/api/review/applications/{app_id}/actions", json={"action": "accept", "comment": "材料齐全"})
    assert applicant.post(f"/api/applications/{app_id}/withdraw").status_code == 409  # accepted: too late
    approved = staff.post(f"/api/review/applications/{app_id}/actions", json={"action": "approve", "comment": "准予"})
    assert approved.json()["status_label"] == "办结（准予许可）"

    final = applicant.get(f"/api/applications/{app_id}").json()
    assert [(h["from"], h["to"]) for h in final["history"]] == [
        ("draft", "submitted"),
        ("submitted", "correction_required"),
        ("correction_required", "submitted"),
        ("submitted", "accepted"),
        ("accepted", "approved"),
    ]
    assert final["history"][3]["actor"].endswith("审批员甲") and final["history"][3]["comment"] == "材料齐全"
    texts = [text for phone, text in sms_messages(services) if phone == "13800138000" and number in text]
    assert len(texts) == 5

    assert applicant.post(f"/api/applications/{app_id}/evaluation", json={"rating": 2}).status_code == 422
    rated = applicant.post(f"/api/applications/{app_id}/evaluation", json={"rating": 2, "comment": "等待时间较长"})
    assert rated.status_code == 200 and rated.json()["evaluation"]["label"] == "不满意"
    assert rated.json()["evaluation"]["at"].endswith("+08:00")
    assert applicant.post(f"/api/applications/{app_id}/evaluation", json={"rating": 5}).status_code == 409


def test_staff_of_another_department_sees_nothing(services, applicant, client) -> None:
    app_id = complete_draft(applicant)
    applicant.post(f"/api/applications/{app_id}/submit")
    other_staff = staff_client(services, client, department="bureau", login_name="shenpi_as09")
    assert other_staff.get("/api/review/applications").json()["items"] == []
    assert other_staff.get(f"/api/review/applications/{app_id}").status_code == 404
    action = other_staff.post(f"/api/review/applications/{app_id}/actions", json={"action": "accept"})
    assert action.status_code == 404


def test_staff_cannot_see_drafts(services, applicant, client) -> None:
    app_id = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()["id"]
    staff = staff_client(services, client)
    assert staff.get(f"/api/review/applications/{app_id}").status_code == 404


def test_withdraw_before_acceptance(applicant) -> None:
    app_id = complete_draft(applicant)
    assert applicant.post(f"/api/applications/{app_id}/withdraw").status_code == 409  # a draft is not submitted
    applicant.post(f"/api/applications/{app_id}/submit")
    withdrawn = applicant.post(f"/api/applications/{app_id}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status_label"] == "已撤回"
    assert applicant.post(f"/api/applications/{app_id}/evaluation", json={"rating": 5}).status_code == 409


def test_my_applications_paginate_newest_first(services, applicant) -> None:
    ids = []
    for _ in range(3):
        ids.append(complete_draft(applicant))
        applicant.post(f"/api/applications/{ids[-1]}/submit")
        services.clock.advance(10)
    first = applicant.get("/api/applications", params={"limit": 2}).json()
    assert [a["id"] for a in first["items"]] == ids[:0:-1] and first["next_cursor"]
    rest = applicant.get("/api/applications", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [a["id"] for a in rest["items"]] == ids[:1] and rest["next_cursor"] is None


def test_two_tabs_starting_one_draft_share_it(services, applicant) -> None:
    needs_thread_safe_backend(services)

    def start(_: int) -> str:
        with TestClient(applicant.app, base_url=ORIGIN, cookies=dict(applicant.cookies)) as tab:
            return tab.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()["id"]

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = set(pool.map(start, range(4)))
    assert len(ids) == 1
    assert [a["id"] for a in applicant.get("/api/applications").json()["items"]] == list(ids)


def test_staff_queue_pages_through_one_status(services, applicant, client) -> None:
    ids = []
    for _ in range(3):
        ids.append(complete_draft(applicant))
        applicant.post(f"/api/applications/{ids[-1]}/submit")
        services.clock.advance(10)
    staff = staff_client(services, client)
    first = staff.get("/api/review/applications", params={"status": "submitted", "limit": 2}).json()
    assert [a["id"] for a in first["items"]] == ids[:2] and first["next_cursor"]
    rest = staff.get(
        "/api/review/applications", params={"status": "submitted", "limit": 2, "cursor": first["next_cursor"]}
    ).json()
    assert [a["id"] for a in rest["items"]] == ids[2:] and rest["next_cursor"] is None


def test_deleting_a_draft_takes_it_and_its_files_away_but_not_my_materials(services, applicant) -> None:
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    upload_id = upload_material(applicant, app["id"], "form").json()["upload_id"]
    applicant.put(f"/api/applications/{app['id']}/materials/form", json={"upload_ids": [upload_id]})
    key = services.table.get(f"UPLOAD#{upload_id}", "UPLOAD")["key"]
    kept = applicant.get("/api/me/materials").json()["items"]
    assert [entry["id"] for entry in kept] == [upload_id]

    deleted = applicant.delete(f"/api/applications/{app['id']}")

    assert deleted.status_code == 204, deleted.text
    assert applicant.get("/api/applications").json()["items"] == []
    assert applicant.get(f"/api/applications/{app['id']}").status_code == 404
    assert services.table.get(f"APP#{app['id']}", "APP") is None
    account_id = services.accounts.find_by_login_name("zhang_wei01")["id"]
    assert services.applications.find_draft(account_id, "210300", SUBITEM) is None
    assert services.table.get(f"UPLOAD#{upload_id}", "UPLOAD") is None and services.blobs.head(key) is None
    after = applicant.get("/api/me/materials").json()["items"]  # 我的材料 keeps its own copy, no longer in use
    assert [(entry["id"], entry["used_by"]) for entry in after] == [(upload_id, [])]
    assert services.blobs.head(services.table.get(f"LIBRARY#{account_id}", f"FILE#{upload_id}")["key"]) is not None
    again = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM})
    assert again.status_code == 201 and again.json()["id"] != app["id"]  # 申报 again starts afresh


def test_only_drafts_can_be_deleted(services, applicant) -> None:
    app_id = complete_draft(applicant)
    applicant.post(f"/api/applications/{app_id}/submit")
    refused = applicant.delete(f"/api/applications/{app_id}")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_draft" and "不能删除" in refused.json()["error"]["message"]
    assert applicant.get(f"/api/applications/{app_id}").json()["status"] == "submitted"


def test_a_draft_changed_since_it_was_read_is_not_deleted(services, applicant, monkeypatch) -> None:
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    stale = services.applications.get(app["id"])
    applicant.put(f"/api/applications/{app['id']}/form", json={"form_data": {"dog_name": "旺财"}})
    monkeypatch.setattr(services.applications, "get", lambda _id: stale)  # read before the save above
    assert applicant.delete(f"/api/applications/{app['id']}").status_code == 409
    monkeypatch.undo()
    assert applicant.get(f"/api/applications/{app['id']}").json()["form_data"]["dog_name"] == "旺财"


def test_nobody_else_deletes_a_draft(services, applicant, client) -> None:
    app = applicant.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM}).json()
    other = other_applicant(services, client)
    assert other.delete(f"/api/applications/{app['id']}").status_code == 404
    anonymous = TestClient(client.app, base_url=ORIGIN)
    assert anonymous.delete(f"/api/applications/{app['id']}").status_code == 401
    assert applicant.get(f"/api/applications/{app['id']}").status_code == 200


def test_opening_the_apply_page_stores_nothing(services, applicant) -> None:
    query = {"region": "210300", "subitem_code": SUBITEM}
    blank = applicant.get("/api/applications/new", params=query)
    assert blank.status_code == 200, blank.text
    view = blank.json()
    assert view["id"] == "" and view["status"] == "draft" and view["number"] is None
    assert view["form_data"] == {"owner_phone": "138****8000"}  # pre-filled as a new draft would be
    assert [m["id"] for m in view["materials"]] == ["form", "vaccine"] and view["guide_version"]
    assert "edit" in view["allowed_actions"]
    assert applicant.get("/api/applications").json()["items"] == []  # 我的申请 stays empty
    account_id = services.accounts.find_by_login_name("zhang_wei01")["id"]
    assert services.applications.find_draft(account_id, "210300", SUBITEM) is None

    draft = applicant.post("/api/applications", json=query).json()  # the first save stores it
    saved = applicant.put(
        f"/api/applications/{draft['id']}/form", json={"form_data": {**view["form_data"], "dog_name": "旺财"}}
    )
    assert saved.status_code == 200 and saved.json()["form_data"]["owner_phone"] == "138****8000"
    again = applicant.get("/api/applications/new", params=query).json()  # opening again continues the draft
    assert again["id"] == draft["id"] and again["form_data"]["dog_name"] == "旺财"


@pytest.mark.parametrize(
    "query, status",
    [
        ({"region": "210300", "subitem_code": "210300-XK-9999-01"}, 404),
        ({"region": "210300", "subitem_code": "210300-XK-0001-02"}, 422),  # 仅限窗口办理
        ({"region": "210100", "subitem_code": "210100-XK-0001-01"}, 422),  # 法人 only
        ({"region": "21030", "subitem_code": SUBITEM}, 422),
        ({"region": "210300"}, 422),
    ],
)
def test_the_blank_form_is_refused_as_a_start_would_be(applicant, query, status) -> None:
    assert applicant.get("/api/applications/new", params=query).status_code == status


def test_the_blank_form_needs_a_signed_in_applicant(services, applicant, client) -> None:
    anonymous = TestClient(client.app, base_url=ORIGIN)
    assert (
        anonymous.get("/api/applications/new", params={"region": "210300", "subitem_code": SUBITEM}).status_code == 401
    )
    staff = staff_client(services, client)
    assert staff.get("/api/applications/new", params={"region": "210300", "subitem_code": SUBITEM}).status_code == 403
