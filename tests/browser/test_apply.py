"""Applying online and tracking it in Chromium against the real API (SPEC §4-5; user guide 二.2 and 三):
注册 → 登录 → 个人办事 → 部门 → 查看子事项 → 服务指南 → 申报 → fill in → upload each material → 下一步 → 是 →
申报成功 → 查看我的申请; then a staff member 受理s it in 审批工作台 and the applicant sees 已受理 with the history.
Also 补正, 撤回 and 好差评 on a 390 px phone, and who may open which page.
"""

from __future__ import annotations

import io
import json
import re
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from functions.cli import create_staff

from .conftest import PHONE_VIEWPORT
from .steps import CAPTCHA, account_box, expect_done, latest_sms, log_in, request_sms_code, resident_id

REGION = "210300"
DEPARTMENT = "xzspj-shsw"
DEPARTMENT_NAME = "鞍山市行政审批局社会事务科"
FIRST_REGISTRATION = "210300-XK-0105-01"  # 护士执业首次注册: 自然人, online, 6 required materials and 1 optional
CHANGE_REGISTRATION = "210300-XK-0105-02"  # 护士执业变更注册: 3 required materials
RENEWAL = "210300-XK-0105-03"  # 护士执业延续注册: has a date field
NUMBER = re.compile(r"^210300\d{8}\d+$")  # region code + date + sequence


# --- files and accounts ---------------------------------------------------------------------------


def scan_pdf(title: str) -> bytes:
    """A small but real PDF, standing in for a scanned document."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (420, 594), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 399, 573), outline="#333333", width=3)
    draw.text((40, 40), title, fill="#000000")
    buffer = io.BytesIO()
    image.save(buffer, format="PDF")
    return buffer.getvalue()


def photo_jpeg() -> bytes:
    """A small but real JPEG photo of a certificate."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), "#f6efe0")
    ImageDraw.Draw(image).rectangle((16, 16, 463, 303), outline="#8b0000", width=8)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def pdf_file(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": scan_pdf(name)}


def jpeg_file(name: str) -> dict:
    return {"name": name, "mimeType": "image/jpeg", "buffer": photo_jpeg()}


def api(base_url: str, method: str, path: str, body: dict | None = None, cookie: str | None = None):
    """A direct API call, for setting up what the test is not about (an account, a staff decision)."""
    headers = {"Content-Type": "application/json", "Origin": base_url}
    if cookie:
        headers["Cookie"] = cookie
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base_url + "/api" + path, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request) as response:
        text = response.read().decode()
        return json.loads(text) if text else None, response.headers


def register_by_api(base_url: str, login_name: str, password: str, real_name: str, id_number: str, phone: str) -> None:
    captcha, _ = api(base_url, "GET", "/captcha")
    api(
        base_url,
        "POST",
        "/sms-codes",
        {"phone": phone, "purpose": "register", "captcha_id": captcha["captcha_id"], "captcha_answer": "0000"},
    )
    code = re.search(r"\d{6}", latest_sms(base_url, phone)).group()
    api(
        base_url,
        "POST",
        "/accounts",
        {
            "account_type": "natural",
            "login_name": login_name,
            "password": password,
            "real_name": real_name,
            "id_number": id_number,
            "email": f"{login_name}@example.com",
            "phone": phone,
            "sms_code": code,
            "agreement_accepted": True,
        },
    )


@pytest.fixture(scope="module")
def staff(portal) -> tuple[str, str]:
    """A 审批人员 of 鞍山市行政审批局社会事务科, made as `portal-admin create-staff` makes one."""
    login_name, password = "shsw_reviewer", "Shenpi2024ok"
    create_staff(portal.services, login_name, password, REGION, DEPARTMENT, "王审批")
    return login_name, password


def sign_in(page: Page, base_url: str, login_name: str, password: str, next_path: str = "") -> None:
    page.goto(base_url + "/login/" + (f"?next={urllib.request.quote(next_path, safe='')}" if next_path else ""))
    log_in(page, login_name, password)
    if next_path:
        expect(page).to_have_url(re.compile(re.escape(next_path.split("?")[0])))


def sign_out(page: Page, base_url: str) -> None:
    """退出 from the home page (on a page that needs a login, 退出 moves on to 登录 by itself)."""
    page.goto(base_url + "/anshan/")
    account_box(page).get_by_role("button", name="退出").click()
    expect(account_box(page).get_by_role("link", name="登录")).to_be_visible()
    page.wait_for_load_state()


def upload(page: Page, material: str, *files: dict) -> None:
    """Choose files for a material's slot and wait until each is listed as uploaded."""
    slot = page.locator(".material-slot", has=page.get_by_role("heading", name=material, exact=False))
    slot.get_by_label(re.compile("^上传文件")).set_input_files(list(files))
    for file in files:
        expect(slot.locator(".file-list")).to_contain_text(file["name"])
    expect(slot.locator(".field-status")).to_contain_text("已上传")


def slot_of(page: Page, material: str):
    return page.locator(".material-slot", has=page.get_by_role("heading", name=material, exact=False))


# --- the user guide's journey -----------------------------------------------------------------------


def test_applicant_applies_online_and_staff_accepts(
    browser: Browser, page: Page, portal_url: str, staff, tmp_path: Path
) -> None:
    login_name, password, phone, real_name = "li_hushi", "Hushi2024ok", "13900139001", "护理申请测试"
    id_number = resident_id("21030219950315002")

    # 注册 a 自然人, as in test_accounts, then 登录 from the header (it comes back to the home page).
    page.goto(portal_url + "/register/")
    page.get_by_label("登录名").fill(login_name)
    expect(page.locator("#reg-login-name-status")).to_have_text("该登录名可以使用")
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("确认密码").fill(password)
    page.get_by_label("真实姓名").fill(real_name)
    page.get_by_label("身份证", exact=True).fill(id_number)
    page.get_by_label("电子邮箱").fill("lina@example.com")
    page.get_by_label("手机", exact=True).fill(phone)
    request_sms_code(page, portal_url, phone)
    page.get_by_label("我已阅读并同意《辽宁省政务服务网注册协议》").check()
    page.get_by_role("button", name="提交").click()
    expect_done(page, "注册成功")

    # 申报 while signed out goes to 登录 first, then back to the same application.
    page.goto(portal_url + f"/anshan/guide/{FIRST_REGISTRATION}/")
    page.locator("#apply-top").click()
    expect(page).to_have_url(
        re.compile(r"/anshan/login/\?next=%2Fanshan%2Fapply%2F%3Fregion%3D210300%26item%3D210300-XK-0105-01$")
    )
    page.goto(portal_url + "/anshan/")
    account_box(page).get_by_role("link", name="登录").click()
    log_in(page, login_name, password)
    expect(page).to_have_url(re.compile(r"/anshan/$"))
    expect(account_box(page).get_by_role("link", name="我的申请")).to_be_visible()

    # 个人办事 → 鞍山市行政审批局社会事务科 → 查看子事项 → 服务指南 → 申报.
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="个人办事").click()
    page.get_by_role("heading", name=DEPARTMENT_NAME).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DEPARTMENT_NAME)
    item = page.locator("#item-210300-XK-0105")
    item.get_by_text("查看子事项").click()
    item.get_by_role("link", name="护士执业首次注册").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("护士执业首次注册")
    page.locator("#apply-top").click()

    # 填写基本信息: the identity is pre-filled from the account.
    expect(page).to_have_url(re.compile(r"/apply/\?region=210300&item=210300-XK-0105-01$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("护士执业首次注册")
    summary = page.locator(".apply-summary")
    expect(summary).to_contain_text(DEPARTMENT_NAME)
    expect(summary).to_contain_text("鞍山市")
    expect(summary).to_contain_text("草稿")
    expect(page.get_by_label("姓名")).to_have_value(real_name)
    # Personal numbers come back masked (stored sealed); kept as they are, they stand for the stored ones.
    expect(page.get_by_label("身份证件号码")).to_have_value(id_number[:4] + "*" * 10 + id_number[-4:])
    expect(page.get_by_label("联系电话")).to_have_value(phone[:3] + "****" + phone[-4:])
    expect(page.locator("#f-applicant_id_number-hint")).to_contain_text("已加密保存")
    expect(page.get_by_label("最高护理学历")).to_have_attribute("required", "")
    page.get_by_label("最高护理学历").select_option("本科")
    page.get_by_label("护士执业资格考试合格年份").fill("二〇二五")  # not a number: refused beside the field
    page.get_by_label("拟执业机构名称").fill("鞍山市中心医院")
    page.get_by_label("拟执业机构名称").press("Tab")
    expect(page.locator("#apply-autosave")).to_contain_text("草稿已自动保存")
    expect(page.locator("#f-exam_year-error")).to_contain_text("必须是数字")
    page.get_by_label("护士执业资格考试合格年份").fill("2025")
    page.get_by_label("护士执业资格考试合格年份").press("Tab")
    expect(page.locator("#f-exam_year-error")).to_be_hidden()
    expect(page.locator("#apply-autosave")).not_to_contain_text("未保存")

    # Materials: accepted formats, size limit, required mark, the blank form to download.
    form_slot = slot_of(page, "护士执业注册申请审核表")
    expect(form_slot).to_contain_text("必需")
    expect(form_slot).to_contain_text("格式：PDF")
    expect(form_slot).to_contain_text("不超过 10 MB")
    expect(form_slot.get_by_role("link", name=re.compile("空白表格"))).to_have_attribute(
        "href", "/files/anshan/hushi-zhiye-zhuce-shenhebiao.pdf"
    )
    expect(form_slot.get_by_label(re.compile("^上传文件"))).to_have_attribute("accept", ".pdf,application/pdf")
    expect(slot_of(page, "3 个月临床护理培训考核合格证明")).to_contain_text("非必需")

    # A file of the wrong type is refused before it is sent; a disguised one by the server's check.
    form_slot.get_by_label(re.compile("^上传文件")).set_input_files(
        {"name": "photo.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}
    )
    expect(form_slot.locator(".field-error")).to_contain_text("只接受这些格式")
    form_slot.get_by_label(re.compile("^上传文件")).set_input_files(
        {"name": "fake.pdf", "mimeType": "application/pdf", "buffer": b"not a pdf at all"}
    )
    expect(form_slot.locator(".field-error")).to_contain_text("不是真正的 PDF 文件")

    upload(page, "护士执业注册申请审核表", pdf_file("申请审核表.pdf"))
    expect(form_slot.locator(".field-error")).to_be_hidden()
    # Several files for one material; one removed again before submission.
    upload(page, "申请人身份证明", jpeg_file("身份证正面.jpg"), jpeg_file("身份证背面.jpg"))
    identity = slot_of(page, "申请人身份证明")
    expect(identity.locator(".file-list li")).to_have_count(2)
    identity.get_by_role("button", name="删除 身份证背面.jpg").click()
    expect(identity.locator(".file-list li")).to_have_count(1)
    expect(identity.locator(".field-status")).to_contain_text("已删除 身份证背面.jpg")
    upload(page, "学历证书及专业学习中的临床实习证明", pdf_file("学历证书.pdf"))
    upload(page, "护士执业资格考试成绩合格证明", jpeg_file("合格证明.jpg"))
    upload(page, "6 个月内健康体检证明", pdf_file("体检证明.pdf"))
    page.screenshot(path=str(tmp_path / "apply-filling.png"), full_page=True)

    # The draft is kept: leaving and coming back continues where the applicant stopped.
    page.reload()
    expect(page.get_by_label("护士执业资格考试合格年份")).to_have_value("2025")
    expect(page.get_by_label("最高护理学历")).to_have_value("本科")
    expect(page.locator("#apply-autosave")).to_contain_text("已恢复您上次保存的草稿")
    expect(slot_of(page, "6 个月内健康体检证明").locator(".file-list")).to_contain_text("体检证明.pdf")

    # 下一步 with a required material missing: every problem at once, beside its slot and in the summary.
    page.get_by_label("拟执业机构名称").fill("")
    page.get_by_role("button", name="下一步").click()
    errors = page.locator("#apply-errors")
    expect(errors).to_be_focused()
    expect(errors).to_contain_text("请填写拟执业机构名称")
    expect(errors).to_contain_text("请上传“医疗卫生机构拟聘用的相关材料”")
    expect(slot_of(page, "医疗卫生机构拟聘用的相关材料").locator(".field-error")).to_contain_text("请上传")
    expect(page.get_by_role("dialog")).to_be_hidden()
    page.screenshot(path=str(tmp_path / "apply-errors.png"), full_page=True)
    page.get_by_label("拟执业机构名称").fill("鞍山市中心医院")
    upload(page, "医疗卫生机构拟聘用的相关材料", pdf_file("拟聘用证明.pdf"))

    # 下一步 → 确认提交申请？ 否 (or Esc) goes back with nothing lost.
    next_button = page.get_by_role("button", name="下一步")
    next_button.click()
    dialog = page.get_by_role("dialog", name="确认提交申请？")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="是")).to_be_focused()
    page.screenshot(path=str(tmp_path / "apply-confirm.png"))
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(next_button).to_be_focused()
    next_button.click()
    dialog.get_by_role("button", name="否").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("拟执业机构名称")).to_have_value("鞍山市中心医院")

    # 是, clicked twice in a hurry: one application, one 办件编号.
    next_button.click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="是").dblclick()
    expect_done(page, "申报成功")
    number = page.locator("[data-done-number]").inner_text().strip()
    assert NUMBER.match(number), number
    expect(page.locator("#apply-done")).to_be_focused()
    page.screenshot(path=str(tmp_path / "apply-done.png"), full_page=True)
    assert number in latest_sms(portal_url, phone)

    # 查看我的申请: 已提交, once.
    page.get_by_role("link", name="查看我的申请").click()
    expect(page).to_have_url(re.compile(r"/my/applications/$"))
    rows = page.locator("#my-rows tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(number)
    expect(rows.first).to_contain_text("护士执业首次注册")
    expect(rows.first).to_contain_text("已提交")
    page.screenshot(path=str(tmp_path / "my-applications.png"), full_page=True)
    sign_out(page, portal_url)

    # The staff member logs in on the same page and 受理s it in 审批工作台.
    sign_in(page, portal_url, *staff)
    account_box(page).get_by_role("link", name="审批工作台").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("审批工作台")
    expect(page.get_by_role("link", name="已提交")).to_have_attribute("aria-current", "page")
    row = page.locator("#review-rows tr", has_text=number)
    expect(row).to_contain_text("护士执业首次注册")
    expect(row).to_contain_text(real_name)  # the 申请人 column
    expect(page.locator("#review-lead")).to_contain_text("鞍山市行政审批局社会事务科")
    page.screenshot(path=str(tmp_path / "review-list.png"), full_page=True)
    row.get_by_role("link", name=re.compile("^办理")).click()
    expect(page.locator("#review-detail-title")).to_be_focused()
    detail = page.locator("#review-detail")
    expect(detail.locator("#review-applicant")).to_contain_text(real_name)
    expect(detail.locator("#review-applicant")).not_to_contain_text(id_number)
    expect(detail.locator("#review-form")).to_contain_text("鞍山市中心医院")
    expect(detail.locator("#review-materials")).to_contain_text("申请审核表.pdf")
    expect(detail.locator("#review-history")).to_contain_text("已提交")
    with page.expect_download() as download:
        detail.get_by_role("link", name="申请审核表.pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    page.screenshot(path=str(tmp_path / "review-detail.png"), full_page=True)

    # 不予受理 needs a reason; 受理 with a comment goes through.
    page.get_by_role("button", name="不予受理").click()
    action = page.get_by_role("dialog")
    action.get_by_role("button", name="确认不予受理").click()
    expect(action.locator("#review-comment-error")).to_contain_text("必须说明理由")
    action.get_by_role("button", name="取消").click()
    expect(action).to_be_hidden()
    page.get_by_role("button", name="受理", exact=True).click()
    expect(action).to_be_visible()
    action.get_by_label("审批意见").fill("材料齐全，予以受理。")
    page.screenshot(path=str(tmp_path / "review-accept.png"))
    action.get_by_role("button", name="确认受理").click()
    expect(action).to_be_hidden()
    expect(page.locator("#review-status")).to_contain_text("已受理")
    expect(page.locator("#review-status")).to_be_focused()
    expect(detail.locator("[data-summary]")).to_contain_text("已受理")
    expect(page.get_by_role("button", name="准予许可")).to_be_visible()
    expect(page.get_by_role("button", name="受理", exact=True)).to_have_count(0)
    sign_out(page, portal_url)

    # The applicant logs back in: two unread messages in 消息中心 (申报已提交, 已受理); opening one marks it read.
    sign_in(page, portal_url, login_name, password, "/my/applications/")
    messages_link = page.locator("#account-box .account-messages")
    expect(messages_link).to_have_accessible_name("消息，2 条未读")
    messages_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("消息中心")
    newest = page.locator("#messages-list .message").first
    expect(newest).to_contain_text("未读")
    expect(newest).to_contain_text("办件状态更新：已受理")
    newest.locator("summary").click()
    expect(newest).to_contain_text(number)
    expect(newest).not_to_contain_text("未读")
    expect(messages_link).to_have_accessible_name("消息，1 条未读")
    page.get_by_role("button", name="全部标为已读").click()
    expect(messages_link).to_have_accessible_name("消息")
    expect(page.locator("#messages-list [data-unread]")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "messages.png"), full_page=True)
    newest.get_by_role("link", name=re.compile("^查看办件详情")).click()
    expect(page).to_have_url(re.compile(r"/my/application/\?id=\w+$"))

    # 已受理 in 我的申请, with the history entry.
    page.goto(portal_url + "/my/applications/")
    row = page.locator("#my-rows tr", has_text=number)
    expect(row).to_contain_text("已受理")
    row.get_by_role("link", name=re.compile("^查看详情")).click()
    expect(page).to_have_url(re.compile(r"/my/application/\?id=\w+$"))
    history = page.locator("#detail-history")
    expect(history.locator(".timeline-entry")).to_have_count(2)
    latest = history.locator(".timeline-entry").last
    expect(latest).to_contain_text("已提交")
    expect(latest).to_contain_text("已受理")
    expect(latest).to_contain_text("材料齐全，予以受理。")
    expect(latest).to_contain_text(DEPARTMENT_NAME)
    expect(latest.locator("time")).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))
    expect(page.locator("#detail-form")).to_contain_text("本科")
    expect(page.locator("#detail-withdraw")).to_be_hidden()  # only before acceptance
    page.screenshot(path=str(tmp_path / "application-detail.png"), full_page=True)
    assert number in latest_sms(portal_url, phone)
    sign_out(page, portal_url)

    # 办件进度查询, signed out, from the footer: a wrong name finds nothing; the right one shows 已受理, no comment.
    page.locator(".site-footer").get_by_role("link", name="办件进度查询").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("办件进度查询")
    page.get_by_label("办件编号").fill(number)
    page.get_by_label("申请人姓名").fill("别人")
    page.get_by_label("验证码").fill(CAPTCHA)
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#progress-errors")).to_contain_text("未查询到该办件")
    expect(page.locator("#progress-result")).to_be_hidden()
    page.get_by_label("申请人姓名").fill(real_name)
    page.get_by_label("验证码").fill(CAPTCHA)
    page.get_by_role("button", name="查询").click()
    result = page.locator("#progress-result")
    expect(result).to_be_focused()
    expect(result).to_contain_text(number)
    expect(result.locator("[data-progress=status_label]")).to_have_text("已受理")
    expect(result).to_contain_text("护士执业首次注册")
    expect(result.locator(".progress-history li")).to_have_count(2)
    expect(result.locator(".progress-history time").first).to_have_text(re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$"))
    expect(result).not_to_contain_text("材料齐全")
    page.screenshot(path=str(tmp_path / "progress.png"), full_page=True)


# --- 补正, 撤回, 好差评 on a phone ------------------------------------------------------------------


def test_correction_withdrawal_and_evaluation_on_a_phone(
    browser: Browser, phone_page: Page, portal_url: str, staff, tmp_path: Path
) -> None:
    page = phone_page
    login_name, password, phone = "zhao_hushi", "Hushi2025ok", "13900139002"
    register_by_api(portal_url, login_name, password, "赵敏", resident_id("21030319900101002"), phone)
    sign_in(page, portal_url, login_name, password, f"/apply/?region={REGION}&item={CHANGE_REGISTRATION}")

    # 护士执业变更注册 on a phone: fill in, upload, submit.
    expect(page.get_by_role("heading", level=1)).to_have_text("护士执业变更注册")
    page.get_by_label("护士执业证书编码").fill("202121000123")
    page.get_by_label("原执业机构名称").fill("鞍山市铁东区人民医院")
    page.get_by_label("拟执业机构名称").fill("鞍山市中心医院")
    upload(page, "护士执业注册申请审核表", pdf_file("审核表.pdf"))
    upload(page, "拟执业机构出具的拟聘用证明", pdf_file("聘用证明.pdf"))
    upload(page, "《护士执业证书》", jpeg_file("执业证书.jpg"))
    page.screenshot(path=str(tmp_path / "phone-apply.png"), full_page=True)
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("dialog").get_by_role("button", name="是").click()
    expect_done(page, "申报成功")
    number = page.locator("[data-done-number]").inner_text().strip()
    page.screenshot(path=str(tmp_path / "phone-done.png"), full_page=True)
    # Reloading the success page shows this application, never a new draft.
    page.reload()
    expect(page.locator("#apply-problem")).to_contain_text("不能再修改")
    expect(page.locator("#apply-problem")).to_contain_text(number)

    # Staff (in their own browser) ask for a correction, 一次性告知: each item checked with its reason.
    staff_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff_page = staff_context.new_page()
    try:
        sign_in(staff_page, portal_url, *staff, "/review/")
        staff_page.locator("#review-rows tr", has_text=number).get_by_role("link", name=re.compile("^办理")).click()
        # The ID number is masked; opening it is an explicit action, and it is recorded.
        values = staff_page.locator("#review-form [data-form-values]")
        expect(values).to_contain_text("2103**********")
        values.locator("div", has=staff_page.locator("dt", has_text="身份证件号码")).get_by_role(
            "button", name=re.compile("查看完整号码")
        ).click()
        expect(values).to_contain_text("（已记录本次查看）")
        expect(values).to_contain_text(resident_id("21030319900101002"))
        staff_page.get_by_role("button", name="要求补正").click()
        action = staff_page.get_by_role("dialog")
        expect(action.get_by_role("checkbox").first).to_be_focused()
        action.get_by_role("checkbox", name="申请材料：《护士执业证书》").check()
        action.get_by_role("button", name="确认要求补正").click()  # checked, but no reason yet
        expect(action.locator(".dialog-form .field-error:visible")).to_contain_text("请写明")
        action.get_by_role("textbox", name=re.compile("补正原因.*《护士执业证书》")).fill("照片不清晰，请重新上传")
        action.get_by_role("checkbox", name="申请表：原执业机构名称").check()
        action.get_by_role("textbox", name=re.compile("补正原因.*原执业机构名称")).fill("请注明已从原执业机构离职")
        staff_page.screenshot(path=str(tmp_path / "review-correction.png"))
        action.get_by_role("button", name="确认要求补正").click()
        expect(staff_page.locator("#review-status")).to_contain_text("已要求补正")
        notice = staff_page.locator("#review-corrections-notice")
        expect(notice).to_contain_text("申请材料“《护士执业证书》”：照片不清晰，请重新上传")
        expect(notice).to_contain_text("申请表“原执业机构名称”：请注明已从原执业机构离职")
        staff_page.get_by_role("link", name="返回办件列表").click()
        staff_page.get_by_role("button", name="显示查看记录").click()
        expect(staff_page.locator("#review-audit-rows tr").first).to_contain_text("身份证件号码")
        expect(staff_page.locator("#review-audit-rows tr").first).to_contain_text(number)
    finally:
        staff_context.close()
    assert number in latest_sms(portal_url, phone)

    # The applicant sees 待补正 and exactly what to correct; only the marked items can change.
    page.goto(portal_url + "/my/applications/")
    row = page.locator("#my-rows tr", has_text=number)
    expect(row).to_contain_text("待补正")
    page.screenshot(path=str(tmp_path / "phone-my-applications.png"), full_page=True)
    row.get_by_role("link", name=re.compile("^查看详情")).click()
    expect(page.locator("#detail-corrections")).to_contain_text("照片不清晰")
    page.get_by_role("link", name="去补正").click()
    corrections = page.locator("#apply-corrections")
    expect(corrections).to_be_focused()
    expect(corrections).to_contain_text("请注明已从原执业机构离职")
    expect(page.get_by_label("拟执业机构名称")).to_have_count(0)  # shown, not editable: not marked
    expect(page.locator("#apply-fields")).to_contain_text("本次补正无需修改此项")
    offer = slot_of(page, "拟执业机构出具的拟聘用证明")
    expect(offer.locator(".upload-label")).to_be_hidden()
    expect(offer.locator("input[type=file]")).to_be_hidden()
    expect(offer.get_by_role("button", name=re.compile("^删除"))).to_have_count(0)  # its file stays as submitted
    certificate = slot_of(page, "《护士执业证书》")
    certificate.get_by_role("button", name="删除 执业证书.jpg").click()
    expect(certificate.locator(".file-none")).to_be_visible()
    upload(page, "《护士执业证书》", pdf_file("执业证书清晰版.pdf"))
    page.get_by_label("原执业机构名称").fill("鞍山市铁东区人民医院（已离职）")
    page.screenshot(path=str(tmp_path / "phone-correction.png"), full_page=True)
    page.get_by_role("button", name="下一步").click()
    confirm = page.get_by_role("dialog")
    expect(confirm).to_contain_text("确认提交补正后的申请？")
    expect(confirm).to_contain_text(f"这是办件 {number} 补正后的重新提交")
    confirm.get_by_role("button", name="是").click()
    expect_done(page, "申报成功")
    expect(page.locator("[data-done-number]")).to_have_text(number)

    # Staff accept and approve (by the API: the page for it is tested above).
    _, headers = api(
        portal_url,
        "POST",
        "/sessions",
        {
            "login_name": staff[0],
            "password": staff[1],
            "captcha_id": api(portal_url, "GET", "/captcha")[0]["captcha_id"],
            "captcha_answer": "0000",
        },
    )
    cookie = headers["Set-Cookie"].split(";")[0]
    queue, _ = api(portal_url, "GET", "/review/applications?status=submitted", cookie=cookie)
    app_id = next(item["id"] for item in queue["items"] if item["number"] == number)
    api(portal_url, "POST", f"/review/applications/{app_id}/actions", {"action": "accept", "comment": ""}, cookie)
    api(
        portal_url,
        "POST",
        f"/review/applications/{app_id}/actions",
        {"action": "approve", "comment": "准予变更注册"},
        cookie,
    )

    # 办结 issued a 结果文书: offered in 我的申请, told in 消息中心, downloaded from 办件详情, then checked on
    # 文书核验 by its QR code's link and by the file itself.
    page.goto(portal_url + "/my/applications/")
    expect(
        page.locator("#my-rows tr", has_text=number).get_by_role("link", name=re.compile("^下载结果文书"))
    ).to_have_attribute("href", re.compile(r"^/api/local-files/"))
    page.goto(portal_url + "/my/messages/")
    newest = page.locator("#messages-list .message").first
    expect(newest).to_contain_text("结果文书已出具")
    newest.locator("summary").click()
    newest.get_by_role("link", name=re.compile("^查看办件详情")).click()
    expect(page.locator("[data-summary]")).to_contain_text("办结（准予许可）")
    documents = page.locator("#detail-documents")
    expect(documents).to_be_visible()
    code = documents.locator(".document-facts .code").first.inner_text()
    number_text = documents.locator(".document-facts dd").first.inner_text()
    assert "许准字" in number_text
    with page.expect_download() as downloaded:
        documents.get_by_role("link", name=re.compile("^下载《")).click()
    pdf_path = tmp_path / "decision.pdf"
    downloaded.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    page.screenshot(path=str(tmp_path / "phone-documents.png"), full_page=True)
    sign_out(page, portal_url)
    page.goto(portal_url + "/verify/?code=" + urllib.request.quote(code))
    result = page.locator("#verify-result")
    expect(result).to_be_focused()
    expect(result.locator(".result-title")).to_have_text("核验通过")
    expect(result.locator("[data-verify=document_number]")).to_have_text(number_text)
    expect(result.locator("[data-verify=holder_masked]")).to_contain_text("*")
    page.get_by_label("文书 PDF 文件（选填）").set_input_files(str(pdf_path))
    page.get_by_role("button", name="核对文件", exact=True).click()
    expect(result.locator(".result-title")).to_have_text("核验通过")
    expect(result.locator("[data-verify-verdict]")).to_contain_text("该文件与")
    # The hash pasted instead of the file: a changed one is not this document.
    page.get_by_label("文书 PDF 文件（选填）").set_input_files([])
    page.get_by_label("或粘贴文件校验值（选填）").fill("0" * 64)
    page.get_by_role("button", name="核对文件", exact=True).click()
    expect(result.locator(".result-title")).to_have_text("未能核验")
    page.get_by_label("或粘贴文件校验值（选填）").fill("")
    page.get_by_label("验证码").fill(code[:-1] + ("2" if code[-1] != "2" else "3"))
    page.get_by_role("button", name="核验", exact=True).click()
    expect(result.locator(".result-title")).to_have_text("未能核验")
    page.screenshot(path=str(tmp_path / "phone-verify.png"), full_page=True)
    sign_in(page, portal_url, login_name, password, f"/my/application/?id={app_id}")

    # 好差评: 不满意 needs a reason, shown beside the comment; then the evaluation is shown.
    page.goto(portal_url + f"/my/application/?id={app_id}")
    expect(page.locator("[data-summary]")).to_contain_text("办结（准予许可）")
    evaluation = page.locator("#detail-evaluation")
    evaluation.get_by_role("button", name="提交评价").click()
    expect(page.locator("#eval-rating-error")).to_contain_text("请选择满意度")
    evaluation.get_by_role("radio", name="不满意", exact=True).check()
    evaluation.get_by_role("button", name="提交评价").click()
    expect(page.locator("#eval-comment-error")).to_contain_text("请写明原因")
    expect(page.get_by_label(re.compile("^评价内容"))).to_have_attribute("aria-invalid", "true")
    page.screenshot(path=str(tmp_path / "phone-evaluation-error.png"), full_page=True)
    page.get_by_label(re.compile("^评价内容")).fill("补正来回两次，希望一次说清楚。")
    evaluation.get_by_role("button", name="提交评价").click()
    expect(page.locator("#detail-status")).to_contain_text("感谢您的评价")
    expect(page.locator("#detail-evaluation-result")).to_contain_text("不满意")
    expect(page.locator("#detail-evaluation-result")).to_contain_text("希望一次说清楚")
    expect(page.locator("#evaluation-form")).to_be_hidden()
    history = page.locator("#detail-history .timeline-entry")
    expect(history).to_have_count(5)  # submitted, correction, resubmitted, accepted, approved
    page.screenshot(path=str(tmp_path / "phone-detail.png"), full_page=True)

    # The department's staff see the 好差评 in 审批工作台: rating, comment and time; and the file the 补正 replaced.
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff_page = context.new_page()
    sign_in(staff_page, portal_url, *staff, f"/review/?id={app_id}")
    replaced = staff_page.locator("#review-materials .replaced-files")
    expect(replaced).to_contain_text("补正前的文件")
    expect(replaced).to_contain_text("第 1 次补正前：执业证书.jpg")
    expect(staff_page.locator("#review-history")).to_contain_text("补正后重新提交（第 1 次补正）")
    given = staff_page.locator("#review-evaluation")
    expect(given).to_contain_text("申请人评价：不满意")
    expect(given).to_contain_text("评价内容：补正来回两次，希望一次说清楚。")
    expect(given).to_contain_text("评价时间：")
    staff_page.screenshot(path=str(tmp_path / "review-evaluation.png"), full_page=True)
    context.close()

    # 撤回: another application, withdrawn before acceptance after a confirmation (否 first).
    page.goto(portal_url + f"/apply/?region={REGION}&item={RENEWAL}")
    page.get_by_label("护士执业证书编码").fill("202121000123")
    page.get_by_label("执业机构名称").fill("鞍山市中心医院")
    page.get_by_label("注册有效期届满日期").fill("2027-03-31")
    upload(page, "护士执业注册申请审核表", pdf_file("审核表.pdf"))
    upload(page, "6 个月内健康体检证明", pdf_file("体检.pdf"))
    upload(page, "《护士执业证书》", pdf_file("证书.pdf"))
    # Meanwhile another tab removes a file: the server's check at 是 finds it, shown beside its slot.
    other = page.context.new_page()
    other.goto(page.url)
    slot_of(other, "6 个月内健康体检证明").get_by_role("button", name="删除 体检.pdf").click()
    expect(slot_of(other, "6 个月内健康体检证明").locator(".file-none")).to_be_visible()
    other.close()
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("dialog").get_by_role("button", name="是").click()
    expect(page.locator("#apply-errors")).to_contain_text("请上传“6 个月内健康体检证明”")
    health = slot_of(page, "6 个月内健康体检证明")
    expect(health.locator(".field-error")).to_contain_text("请上传")
    expect(health.locator(".file-none")).to_be_visible()  # the list was refreshed from the server
    upload(page, "6 个月内健康体检证明", pdf_file("体检新.pdf"))
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("dialog").get_by_role("button", name="是").click()
    expect_done(page, "申报成功")
    renewal_number = page.locator("[data-done-number]").inner_text().strip()
    page.get_by_role("link", name="查看办件详情").click()

    # Staff open it; the applicant withdraws it before they act; their 受理 is refused (409) and explained.
    staff_context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff_page = staff_context.new_page()
    try:
        sign_in(staff_page, portal_url, *staff, "/review/")
        staff_page.locator("#review-rows tr", has_text=renewal_number).get_by_role(
            "link", name=re.compile("^办理")
        ).click()
        expect(staff_page.get_by_role("button", name="受理", exact=True)).to_be_visible()

        withdraw = page.get_by_role("button", name="撤回申请")
        withdraw.click()
        confirm = page.get_by_role("dialog", name="确认撤回申请？")
        expect(confirm.get_by_role("button", name="否")).to_be_focused()
        confirm.get_by_role("button", name="否").click()
        expect(withdraw).to_be_focused()
        withdraw.click()
        page.screenshot(path=str(tmp_path / "phone-withdraw.png"))
        confirm.get_by_role("button", name="是").click()
        expect(page.locator("#detail-status")).to_contain_text("申请已撤回")
        expect(page.locator("[data-summary]")).to_contain_text("已撤回")
        expect(withdraw).to_be_hidden()

        staff_page.get_by_role("button", name="受理", exact=True).click()
        staff_page.get_by_role("dialog").get_by_role("button", name="确认受理").click()
        refusal = staff_page.locator("#review-action-error")
        expect(refusal).to_contain_text("已撤回")
        expect(refusal).to_contain_text("不能受理")
        expect(staff_page.get_by_role("button", name="确认受理")).to_be_hidden()
        expect(staff_page.get_by_role("dialog").get_by_role("button", name="取消")).to_be_focused()
        staff_page.screenshot(path=str(tmp_path / "review-conflict.png"))
        staff_page.get_by_role("dialog").get_by_role("button", name="取消").click()
        expect(staff_page.locator("#review-detail [data-summary]")).to_contain_text("已撤回")
        expect(staff_page.locator("#review-no-actions")).to_be_visible()
    finally:
        staff_context.close()


# --- who may open what ------------------------------------------------------------------------------


def test_pages_ask_to_log_in_and_review_is_for_staff_only(page: Page, portal_url: str, staff, tmp_path: Path) -> None:
    for path in (
        "/my/applications/",
        "/my/application/?id=abc",
        "/my/messages/",
        "/review/",
        f"/apply/?region={REGION}&item={RENEWAL}",
    ):
        page.goto(portal_url + path)  # the entry page opens the default region's copy, which asks to log in
        back = urllib.request.quote("/anshan" + path, safe="")
        expect(page).to_have_url(re.compile(r"/anshan/login/\?next=" + re.escape(back)))

    login_name, password = "qian_visitor", "Fangke2024ok"
    register_by_api(portal_url, login_name, password, "钱多", resident_id("21030419880808002"), "13900139003")
    sign_in(page, portal_url, login_name, password, "/review/")
    expect(page.locator("#review-problem")).to_contain_text("仅审批人员可以使用")
    expect(page.locator("#review-list")).to_be_hidden()
    page.screenshot(path=str(tmp_path / "review-refused.png"), full_page=True)

    # Someone else's (or no) application: not found, nothing shown.
    page.goto(portal_url + "/my/application/?id=0123456789abcdef0123456789abcdef")
    expect(page.locator("#detail-problem")).to_contain_text("办件不存在")
    # A sub-item the account cannot apply for (社会团体成立登记 is for 法人 only).
    page.goto(portal_url + f"/apply/?region={REGION}&item=210300-XK-0101-01")
    expect(page.locator("#apply-problem")).to_contain_text("不能网上申报该事项")
    expect(page.locator("#apply-problem")).to_contain_text("法人")
    # No applications yet: the empty state points to the columns.
    page.goto(portal_url + "/my/applications/")
    expect(page.locator("#my-empty")).to_be_visible()
    expect(page.locator("#my-empty").get_by_role("link", name="个人办事")).to_have_attribute(
        "href", "/anshan/personal/"
    )

    # A draft started and left is listed as 草稿, and 继续填写 goes back to it.
    page.goto(portal_url + f"/apply/?region={REGION}&item={RENEWAL}")
    page.get_by_label("执业机构名称").fill("鞍山市第三医院")
    expect(page.locator("#apply-autosave")).to_contain_text("草稿已自动保存")
    page.goto(portal_url + "/my/applications/")
    draft = page.locator("#my-rows tr", has_text="护士执业延续注册")
    expect(draft).to_contain_text("草稿")
    expect(draft).to_contain_text("未提交")
    draft.get_by_role("link", name=re.compile("^继续填写")).click()
    expect(page).to_have_url(re.compile(r"/apply/\?application=\w+$"))
    expect(page.get_by_label("执业机构名称")).to_have_value("鞍山市第三医院")
    expect(page.locator("#apply-autosave")).to_contain_text("已恢复您上次保存的草稿")
    sign_out(page, portal_url)

    # Staff have no 我的申请 and cannot apply.
    sign_in(page, portal_url, *staff, "/my/applications/")
    expect(page.locator("#my-problem")).to_contain_text("审批人员")
    page.goto(portal_url + f"/apply/?region={REGION}&item={RENEWAL}")
    expect(page.locator("#apply-problem")).to_contain_text("审批人员账号不能申报事项")


def test_a_draft_is_made_by_the_first_save_and_can_be_deleted(page: Page, portal_url: str) -> None:
    """Opening 申报 and leaving leaves nothing in 我的申请; typing a value saves a draft; 删除草稿 (asked once
    more) takes it away."""
    login_name, password = "zhou_caogao", "Caogao2024ok"
    register_by_api(portal_url, login_name, password, "周草稿", resident_id("21030419900101005"), "13900139095")
    sign_in(page, portal_url, login_name, password, f"/apply/?region={REGION}&item={FIRST_REGISTRATION}")
    expect(page.get_by_label("拟执业机构名称")).to_be_visible()
    expect(page.locator("#apply-autosave")).not_to_contain_text("已恢复")
    page.goto(portal_url + "/my/applications/")
    expect(page.locator("#my-empty")).to_be_visible()  # opened and left: no draft

    page.goto(portal_url + f"/apply/?region={REGION}&item={FIRST_REGISTRATION}")
    page.get_by_label("拟执业机构名称").fill("鞍山市中心医院")
    page.get_by_label("拟执业机构名称").blur()
    expect(page.locator("#apply-autosave")).to_contain_text("草稿已自动保存")
    page.goto(portal_url + f"/apply/?region={REGION}&item={FIRST_REGISTRATION}")  # opening again continues it
    expect(page.locator("#apply-autosave")).to_contain_text("已恢复您上次保存的草稿")
    expect(page.get_by_label("拟执业机构名称")).to_have_value("鞍山市中心医院")

    page.goto(portal_url + "/my/applications/")
    row = page.locator("#my-rows tr", has_text="护士执业首次注册")
    expect(row).to_contain_text("草稿")
    row.get_by_role("button", name="删除草稿").click()
    expect(row).to_contain_text("确定删除该草稿？")
    row.get_by_role("button", name="不删除").click()
    expect(row.get_by_role("button", name="删除草稿")).to_be_focused()
    row.get_by_role("button", name="删除草稿").click()
    row.get_by_role("button", name="确定删除").click()
    expect(page.locator("#my-status")).to_have_text("已删除“护士执业首次注册”的草稿")
    expect(page.locator("#my-empty")).to_be_visible()
    page.reload()
    expect(page.locator("#my-empty")).to_be_visible()

    # 网上申报 offers 删除草稿 too, and then goes on to 我的申请
    page.goto(portal_url + f"/apply/?region={REGION}&item={FIRST_REGISTRATION}")
    page.get_by_label("拟执业机构名称").fill("鞍山市第三医院")
    expect(page.locator("#apply-autosave")).to_contain_text("草稿已自动保存")
    page.get_by_role("button", name="删除草稿").click()
    page.get_by_role("button", name="确定删除").click()
    expect(page).to_have_url(re.compile(r"/my/applications/$"))
    expect(page.locator("#my-empty")).to_be_visible()


def test_application_pages_fit_a_phone(browser: Browser, portal_url: str, staff, tmp_path: Path) -> None:
    """Nothing wider than the screen on the application pages at 390 px."""
    context = browser.new_context(locale="zh-CN", viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        sign_in(page, portal_url, *staff, "/review/")
        for path in ("/review/?status=all", "/my/applications/", "/my/messages/"):
            page.goto(portal_url + path)
            page.wait_for_load_state("networkidle")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE_VIEWPORT["width"], (path, width)
            page.screenshot(path=str(tmp_path / f"phone{path.replace('/', '-').replace('?', '-')}.png"), full_page=True)
    finally:
        context.close()


def test_the_guide_knows_who_may_apply(page: Page, portal_url: str, staff) -> None:
    """Signed in, a guide drops "网上申报需先登录"; a sub-item for 法人 tells a 自然人 account why it offers no 申报,
    and staff see none."""
    for_people, for_organisations = FIRST_REGISTRATION, "210300-XK-0101-01"  # 护士执业首次注册 / 社会团体成立登记
    page.goto(f"{portal_url}/anshan/guide/{for_organisations}/")
    expect(page.locator("#apply-top")).to_be_visible()
    expect(page.locator(".guide-actions-top [data-login-note]")).to_have_text(re.compile("^网上申报需先登录"))
    expect(page.locator("#audience-note-top")).to_be_hidden()

    login_name, password = "sun_guide", "Zhinan2024ok"
    register_by_api(portal_url, login_name, password, "孙指南", resident_id("21030419900101003"), "13900139071")
    sign_in(page, portal_url, login_name, password, f"/anshan/guide/{for_people}/")
    expect(account_box(page)).to_contain_text("孙指南")
    expect(page.locator(".guide-actions-top [data-login-note]")).to_be_hidden()
    expect(page.locator(".guide-actions-top .action-note")).to_have_text(
        "提交前请按下方“申请材料”准备好电子件。", use_inner_text=True
    )
    expect(page.locator("#apply-top")).to_be_visible()
    expect(page.locator("#audience-note-top")).to_be_hidden()

    page.goto(f"{portal_url}/anshan/guide/{for_organisations}/")
    for position in ("top", "bottom"):
        expect(page.locator(f"#audience-note-{position}")).to_have_text(
            "该事项的服务对象为法人，当前自然人账号不能申报。"
        )
        expect(page.locator(f"#apply-{position}")).to_be_hidden()
    sign_out(page, portal_url)

    sign_in(page, portal_url, *staff, "/review/")
    page.goto(f"{portal_url}/anshan/guide/{for_people}/")
    expect(page.locator("#audience-note-top")).to_contain_text("当前为审批人员账号，不能网上申报")
    expect(page.locator("#apply-top")).to_be_hidden()
    expect(page.locator("#apply-bottom")).to_be_hidden()
