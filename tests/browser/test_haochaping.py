"""好差评 published, in Chromium against the real API: an applicant rates a finished application 非常不满意, the
region's 好差评 page (/anshan/haochaping/) counts it at its department on a 390 px phone, staff find it under
待整改差评 in 审批工作台 and answer it, and the applicant reads the 整改 reply in 办件详情 and 消息中心; the page then
counts the 差评 as answered. The application itself is made through the API (test_apply.py drives that part).
"""

from __future__ import annotations

import re
import urllib.error
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from functions.cli import create_staff

from .steps import resident_id
from .test_apply import (
    CHANGE_REGISTRATION,
    DEPARTMENT,
    DEPARTMENT_NAME,
    REGION,
    api,
    register_by_api,
    scan_pdf,
    sign_in,
)

MATERIALS = ("application-form", "employer-proof", "certificate")
FORM = {"certificate_number": "202121000456", "former_employer": "鞍山市立山区医院", "new_employer": "鞍山市中心医院"}


@pytest.fixture(scope="module")
def reviewer(portal) -> tuple[str, str]:
    """A 审批人员 of 鞍山市行政审批局社会事务科 (another account than test_apply's)."""
    login_name, password = "shsw_haochaping", "Shenpi2024ok"
    create_staff(portal.services, login_name, password, REGION, DEPARTMENT, "李整改")
    return login_name, password


def call(base_url: str, method: str, path: str, body: dict | None = None, cookie: str | None = None):
    """test_apply's api(), failing with the API's own message."""
    try:
        return api(base_url, method, path, body, cookie)
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{method} {path}: {error.code} {error.read().decode()}") from None


def session_cookie(base_url: str, login_name: str, password: str) -> str:
    captcha, _ = call(base_url, "GET", "/captcha")
    body = {
        "login_name": login_name,
        "password": password,
        "captcha_id": captcha["captcha_id"],
        "captcha_answer": "0000",
    }
    _, headers = call(base_url, "POST", "/sessions", body)
    return headers["Set-Cookie"].split(";")[0]


def upload_pdf(base_url: str, cookie: str, application_id: str, material_id: str) -> str:
    """What the 申报 page does for one file: a ticket, the multipart POST it names, the server's check."""
    data = scan_pdf(material_id)
    ticket, _ = call(
        base_url,
        "POST",
        "/uploads",
        {
            "purpose": "material",
            "application_id": application_id,
            "material_id": material_id,
            "filename": f"{material_id}.pdf",
            "content_type": "application/pdf",
            "size": len(data),
        },
        cookie,
    )
    sent = requests.post(
        base_url + ticket["url"],
        data=ticket["fields"],
        files={"file": (f"{material_id}.pdf", data, "application/pdf")},
        timeout=30,
    )
    assert sent.ok, sent.text
    call(base_url, "POST", f"/uploads/{ticket['upload_id']}/complete", {}, cookie)
    return ticket["upload_id"]


def finished_application(base_url: str, applicant: str, staff: str) -> dict:
    """A 护士执业变更注册, submitted, accepted and approved: ready for 好差评."""
    app, _ = call(base_url, "POST", "/applications", {"region": REGION, "subitem_code": CHANGE_REGISTRATION}, applicant)
    # The pre-filled identity comes back masked, as the page sends it: the mask keeps the sealed number.
    call(base_url, "PUT", f"/applications/{app['id']}/form", {"form_data": {**app["form_data"], **FORM}}, applicant)
    for material_id in MATERIALS:
        upload_id = upload_pdf(base_url, applicant, app["id"], material_id)
        call(
            base_url,
            "PUT",
            f"/applications/{app['id']}/materials/{material_id}",
            {"upload_ids": [upload_id]},
            applicant,
        )
    submitted, _ = call(base_url, "POST", f"/applications/{app['id']}/submit", {}, applicant)
    for action in ("accept", "approve"):
        call(base_url, "POST", f"/review/applications/{app['id']}/actions", {"action": action, "comment": ""}, staff)
    return {"id": app["id"], "number": submitted["number"]}


def department_row(page: Page):
    return page.locator("#haochaping-departments tbody tr", has=page.locator("th", has_text=DEPARTMENT_NAME))


def test_a_rating_is_published_and_its_reply_reaches_the_applicant(
    browser: Browser, phone_page: Page, portal_url: str, reviewer, tmp_path: Path
) -> None:
    page = phone_page
    login_name, password, phone = "qian_haoping", "Haoping2026ok", "13900139031"
    register_by_api(portal_url, login_name, password, "钱评价", resident_id("21030319880808003"), phone)
    applicant = session_cookie(portal_url, login_name, password)
    staff_cookie = session_cookie(portal_url, *reviewer)
    app = finished_application(portal_url, applicant, staff_cookie)
    before, _ = call(portal_url, "GET", f"/evaluations/stats?region={REGION}")
    counted = next(entry for entry in before["departments"] if entry["department"] == DEPARTMENT)

    # The applicant rates it 非常不满意, with the reason the rule requires.
    sign_in(page, portal_url, login_name, password, f"/my/application/?id={app['id']}")
    evaluation = page.locator("#detail-evaluation")
    evaluation.get_by_role("radio", name="非常不满意").check()
    page.get_by_label(re.compile("^评价内容")).fill("窗口说法和网上指南不一致，跑了两趟。")
    evaluation.get_by_role("button", name="提交评价").click()
    expect(page.locator("#detail-status")).to_contain_text("感谢您的评价")

    # Anyone may read the region's 好差评: from the footer, on a phone, the table scrolling inside its own box.
    page.goto(portal_url + "/anshan/")
    page.locator(".site-footer").get_by_role("link", name="好差评", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("鞍山市政务服务好差评")
    table = page.locator("table.haochaping-table")
    expect(table.locator("caption")).to_contain_text("各部门好差评评价情况")
    row = department_row(page)
    expect(row.locator('[data-label="评价数"]')).to_have_text(str(counted["count"] + 1))
    expect(row.locator('[data-label="差评"]')).to_have_text(str(counted["bad_count"] + 1))
    expect(row.locator('[data-label="非常不满意"]')).to_contain_text(f"{counted['levels'][4]['count'] + 1} 条")
    expect(page.locator("#haochaping-summary")).to_contain_text("满意率")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]  # not innerWidth
    page.screenshot(path=str(tmp_path / "phone-haochaping.png"), full_page=True)

    # Staff find it under 待整改差评 with its deadline, open it and answer it.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff_page = context.new_page()
    errors: list[str] = []
    staff_page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        sign_in(staff_page, portal_url, *reviewer, "/review/")
        awaiting = staff_page.locator("#review-bad-rows tr", has_text=app["number"])
        expect(awaiting).to_contain_text("非常不满意")
        expect(awaiting.locator('[data-label="答复期限"]')).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} 23:59$"))
        staff_page.screenshot(path=str(tmp_path / "review-bad-ratings.png"), full_page=True)
        awaiting.get_by_role("link", name=re.compile("^整改答复")).click()
        form = staff_page.locator("#review-reply-form")
        expect(form.locator("#review-reply-deadline")).to_contain_text("前答复申请人")
        form.get_by_role("button", name="提交整改答复").click()
        expect(staff_page.locator("#review-reply-text-error")).to_be_visible()  # the reply is required
        form.get_by_label("整改答复").fill("已核实：窗口已按网上指南统一口径，并对窗口人员进行培训。")
        form.get_by_role("button", name="提交整改答复").click()
        expect(staff_page.locator("#review-status")).to_contain_text("整改答复已提交")
        expect(form).to_be_hidden()
        expect(staff_page.locator("#review-evaluation")).to_contain_text("部门整改答复")
        staff_page.get_by_role("link", name="返回办件列表").click()
        expect(staff_page.locator("#review-bad-rows tr", has_text=app["number"])).to_have_count(0)
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"

    # The applicant reads the reply in 办件详情 (and has a message and a text about it).
    page.goto(portal_url + f"/my/application/?id={app['id']}")
    result = page.locator("#detail-evaluation-result")
    expect(result).to_contain_text("部门整改答复")
    expect(result).to_contain_text(f"{DEPARTMENT_NAME}，")
    expect(result).to_contain_text("窗口已按网上指南统一口径")
    page.screenshot(path=str(tmp_path / "phone-evaluation-reply.png"), full_page=True)
    messages, _ = call(portal_url, "GET", "/messages", cookie=applicant)
    assert messages["items"][0]["kind"] == "evaluation_reply" and app["number"] in messages["items"][0]["text"]

    page.goto(portal_url + "/anshan/haochaping/")
    expect(department_row(page).locator('[data-label="已整改（整改率）"]')).to_contain_text(
        f"{counted['bad_answered'] + 1}（"
    )
