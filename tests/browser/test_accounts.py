"""Accounts in Chromium against the real API (SPEC §1-2): 注册 (自然人, 法人 with a licence), 登录, the header,
个人中心, 修改密码, 退出, 找回密码 — on desktop and on a 390 px phone.

The API runs in test mode (every captcha answer is 0000; SMS texts land in GET /api/dev/outbox) with a fresh
data folder, beside the built site on one origin, as `make dev` serves them.
"""

from __future__ import annotations

import io
import re
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from .steps import account_box, expect_done, log_in, request_sms_code, resident_id


def licence_png() -> bytes:
    """A small but real PNG image, standing in for a photo of a 营业执照."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 220), "#fdf6e3")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 311, 211), outline="#b22222", width=6)
    draw.rectangle((120, 150, 200, 200), fill="#c8161d")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- tests ----------------------------------------------------------------------------------------


def test_natural_person_registers_logs_in_and_manages_the_account(page: Page, portal_url: str, tmp_path: Path) -> None:
    login_name, password, new_password, reset_password = "zhang_san", "Anshan2024ok", "Shenyang2025ok", "Dalian2026ok"
    phone, new_phone = "13800138000", "13800138001"

    # 注册 from the header's link.
    page.goto(portal_url + "/anshan/")
    account_box(page).get_by_role("link", name="注册").click()
    expect(page).to_have_url(re.compile(r"/register/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("用户注册")
    expect(page.get_by_role("radio", name="自然人")).to_be_checked()
    expect(page.get_by_label("机构名称")).to_be_hidden()

    name = page.get_by_label("登录名")
    name.fill("9abc")
    expect(page.locator("#reg-login-name-status")).to_contain_text("登录名必须以英文字母开头")
    name.fill(login_name)
    expect(page.locator("#reg-login-name-status")).to_have_text("该登录名可以使用")
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("确认密码").fill(password)
    page.get_by_label("真实姓名").fill("张三")
    page.get_by_label("身份证", exact=True).fill("11010519491231002X")
    page.get_by_label("电子邮箱").fill("zhangsan@example.com")
    page.get_by_label("手机", exact=True).fill(phone)
    request_sms_code(page, portal_url, phone)
    page.get_by_text("阅读《辽宁省政务服务网注册协议》全文").click()
    expect(page.locator(".agreement-text")).to_be_visible()
    page.get_by_label("我已阅读并同意《辽宁省政务服务网注册协议》").check()
    page.screenshot(path=str(tmp_path / "register-filled.png"), full_page=True)
    page.get_by_role("button", name="提交").click()
    expect_done(page, "注册成功")
    expect(page.locator("[data-done-login]")).to_have_text(login_name)
    page.screenshot(path=str(tmp_path / "register-done.png"), full_page=True)

    # The name is taken now.
    page.goto(portal_url + "/register/")
    page.get_by_label("登录名").fill(login_name)
    expect(page.locator("#reg-login-name-status")).to_contain_text("已被注册")

    # 登录 from a guide page returns there; the header then shows the name on every page.
    page.goto(portal_url + "/shenyang/")
    account_box(page).get_by_role("link", name="登录").click()
    expect(page).to_have_url(re.compile(r"/login/\?next=%2Fshenyang%2F$"))
    log_in(page, login_name, "wrong-password-1")
    expect(page.locator("#login-errors")).to_contain_text("登录名或密码错误")
    expect(page.get_by_label("登录名")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("验证码", exact=True)).to_have_value("")
    page.screenshot(path=str(tmp_path / "login-error.png"), full_page=True)
    log_in(page, login_name, password)
    expect(page).to_have_url(re.compile(r"/shenyang/$"))
    expect(account_box(page).get_by_role("link", name=re.compile("张三"))).to_be_visible()
    page.goto(portal_url + "/anshan/legal/")
    centre = account_box(page).get_by_role("link", name=re.compile("张三"))
    expect(centre).to_be_visible()
    expect(account_box(page).get_by_role("link", name="登录")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "header-signed-in.png"))

    # 个人中心: masked numbers, read-only 登录名, edit 电子邮箱.
    centre.click()
    expect(page).to_have_url(re.compile(r"/account/$"))
    profile = page.locator("#profile")
    expect(profile).to_contain_text(login_name)
    expect(profile).to_contain_text("138****8000")
    expect(profile).not_to_contain_text("11010519491231002X")
    expect(profile).to_contain_text("1101**********002X")
    page.get_by_label("电子邮箱").fill("not-an-address")
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator("#edit-errors")).to_contain_text("电子邮箱")
    expect(page.get_by_label("电子邮箱")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("电子邮箱").fill("san.zhang@example.org")
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator("#edit-status")).to_contain_text("已保存")
    expect(profile).to_contain_text("san.zhang@example.org")

    # A new 手机 needs an SMS code sent to the new number.
    expect(page.get_by_label("短信验证码")).to_be_hidden()
    page.get_by_label("新手机号码").fill(new_phone)
    request_sms_code(page, portal_url, new_phone)
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator("#edit-status")).to_contain_text("手机号码已更换")
    expect(profile).to_contain_text("138****8001")

    # 修改密码: the old one is checked; other sessions end.
    page.get_by_label("原密码").fill("not-my-password")
    page.get_by_label("新密码", exact=True).fill(new_password)
    page.get_by_label("确认新密码").fill(new_password)
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator("#password-errors")).to_contain_text("原密码不正确")
    page.get_by_label("原密码").fill(password)
    page.get_by_role("button", name="修改密码").click()
    expect(page.locator("#password-status")).to_contain_text("其他设备和浏览器上的登录已全部退出")
    page.screenshot(path=str(tmp_path / "account.png"), full_page=True)

    # 退出 in the header; 个人中心 then asks to log in first.
    account_box(page).get_by_role("button", name="退出").click()
    expect(page).to_have_url(re.compile(r"/anshan/login/\?next=%2Fanshan%2Faccount%2F$"))
    expect(account_box(page).get_by_role("link", name="登录")).to_be_visible()

    # 找回密码 by SMS, then 登录 with the new password.
    page.get_by_role("link", name="找回密码").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("找回密码")
    page.get_by_label("登录名").fill(login_name)
    page.get_by_label("手机").fill(new_phone)
    request_sms_code(page, portal_url, new_phone)
    page.get_by_label("新密码", exact=True).fill(reset_password)
    page.get_by_label("确认新密码").fill(reset_password)
    page.get_by_role("button", name="重置密码").click()
    expect_done(page, "密码已重置")
    page.screenshot(path=str(tmp_path / "reset-done.png"), full_page=True)
    page.get_by_role("link", name="去登录").click()
    log_in(page, login_name, reset_password)
    expect(page).to_have_url(re.compile(r"/anshan/$"))
    expect(account_box(page).get_by_role("link", name=re.compile("张三"))).to_be_visible()


def test_legal_person_registers_with_a_licence_on_a_phone(phone_page: Page, portal_url: str, tmp_path: Path) -> None:
    page = phone_page
    login_name, password, phone = "liaoning_corp", "Qiye2024pass", "13912345678"
    licence = tmp_path / "licence.png"
    licence.write_bytes(licence_png())

    page.goto(portal_url + "/register/")
    page.get_by_role("radio", name=re.compile("^法人")).check()
    expect(page.get_by_role("radio", name=re.compile("^法人"))).to_be_checked()
    page.get_by_label("登录名").fill(login_name)
    expect(page.locator("#reg-login-name-status")).to_have_text("该登录名可以使用")
    page.get_by_label("密码", exact=True).fill(password)
    page.get_by_label("确认密码").fill(password)
    page.get_by_label("真实姓名").fill("李四")
    page.get_by_label("身份证", exact=True).fill(resident_id("21030219850612123"))
    page.get_by_label("电子邮箱").fill("office@example.com")
    page.get_by_label("手机", exact=True).fill(phone)
    request_sms_code(page, portal_url, phone)

    page.get_by_label("机构名称").fill("鞍山市示范科技有限公司")
    # A file that only claims to be a PNG is refused by the server's check of its real content.
    page.get_by_label("营业执照图片").set_input_files(
        {"name": "fake.png", "mimeType": "image/png", "buffer": b"this is not an image at all"}
    )
    expect(page.locator("#reg-license-error")).to_contain_text("不是真正的 PNG 文件")
    expect(page.get_by_label("营业执照图片")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("营业执照图片").set_input_files(str(licence))
    expect(page.locator("#reg-license-error")).to_be_hidden()
    expect(page.locator("#reg-license-status")).to_contain_text("营业执照图片已上传")
    expect(page.locator("#reg-license-preview img")).to_be_visible()
    page.get_by_label("企业类型").select_option(label="盈利性企业")
    page.get_by_label("统一社会信用代码").fill("91350100M000100Y43")
    page.get_by_label("工商登记机关").fill("鞍山市市场监督管理局")
    page.get_by_label("法定代表人").fill("王五")
    page.get_by_label("法人证件类型").select_option(label="护照")
    expect(page.locator("#reg-rep-id-number-hint")).to_contain_text("护照号码")
    page.get_by_label("法人证件号").fill("E12345678")
    page.get_by_label("经办人姓名").fill("赵六")
    page.get_by_label("经办人身份证").fill(resident_id("21030319920101456"))
    page.get_by_label("经办人手机").fill("13700137000")
    page.get_by_label("我已阅读并同意《辽宁省政务服务网注册协议》").check()
    page.screenshot(path=str(tmp_path / "register-legal-phone.png"), full_page=True)
    page.get_by_role("button", name="提交").click()
    expect_done(page, "注册成功")

    page.get_by_role("link", name="去登录").click()
    log_in(page, login_name, password)
    expect(page).to_have_url(re.compile(r"/anshan/$"))
    centre = account_box(page).get_by_role("link", name=re.compile("鞍山市示范科技有限公司"))
    expect(centre).to_be_visible()
    page.screenshot(path=str(tmp_path / "header-legal-phone.png"))
    centre.click()
    profile = page.locator("#profile")
    expect(profile).to_contain_text("机构信息")
    expect(profile).to_contain_text("91350100M000100Y43")
    expect(profile).to_contain_text("盈利性企业")
    expect(profile).to_contain_text("赵六")
    expect(profile).not_to_contain_text("13700137000")

    # 经办人 fields can be changed in 个人中心.
    page.get_by_label("经办人姓名").fill("钱七")
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator("#edit-status")).to_contain_text("已保存")
    expect(profile).to_contain_text("钱七")
    page.screenshot(path=str(tmp_path / "account-legal-phone.png"), full_page=True)


def test_registration_errors_sit_next_to_their_fields_and_nothing_is_lost(
    page: Page, portal_url: str, tmp_path: Path
) -> None:
    page.goto(portal_url + "/register/")
    page.get_by_role("button", name="提交").click()
    summary = page.locator("#register-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="请填写登录名")).to_have_attribute("href", "#reg-login-name")
    expect(summary).to_contain_text("请阅读并勾选《辽宁省政务服务网注册协议》")
    expect(page.locator("#reg-real-name-error")).to_have_text("错误：请填写真实姓名")
    expect(page.get_by_label("真实姓名")).to_have_attribute("aria-invalid", "true")

    # The API's own checks come back next to their fields; what was typed stays.
    page.get_by_label("登录名").fill("wang_wu")
    page.get_by_label("密码", exact=True).fill("12345678")
    page.get_by_label("确认密码").fill("12345678")
    page.get_by_label("真实姓名").fill("王五")
    page.get_by_label("身份证", exact=True).fill("110105194912310021")
    page.get_by_label("电子邮箱").fill("wangwu@example.com")
    page.get_by_label("手机", exact=True).fill("13600136000")
    page.get_by_label("短信验证码").fill("123456")
    page.get_by_label("我已阅读并同意《辽宁省政务服务网注册协议》").check()
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#reg-id-number-error")).to_contain_text("校验位不正确")
    expect(page.locator("#reg-password-error")).to_contain_text("数字")
    expect(summary.get_by_role("link", name=re.compile("校验位不正确"))).to_be_visible()
    expect(page.get_by_label("真实姓名")).to_have_value("王五")
    expect(page.get_by_label("身份证", exact=True)).to_have_value("110105194912310021")
    expect(page.get_by_label("真实姓名")).not_to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link", name=re.compile("校验位不正确")).click()
    expect(page.get_by_label("身份证", exact=True)).to_be_focused()
    page.screenshot(path=str(tmp_path / "register-errors.png"), full_page=True)

    # 获取验证码 needs the image captcha first.
    page.get_by_role("button", name="获取验证码").click()
    expect(page.locator(".sms-status")).to_contain_text("图片验证码")
    expect(page.get_by_label("图片验证码")).to_have_attribute("aria-invalid", "true")


def test_login_returns_only_to_paths_on_this_site(page: Page, portal_url: str) -> None:
    page.goto(portal_url + "/account/")
    expect(page).to_have_url(re.compile(r"/anshan/login/\?next=%2Fanshan%2Faccount%2F$"))
    for unsafe in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"):
        page.goto(portal_url + "/login/?next=" + urllib.request.quote(unsafe, safe=""))
        expect(page.locator("#login-form")).to_be_visible()
        # The page keeps no return path from it: 注册 is offered without one (tests/js/urls.test.mjs: safeNext).
        expect(page.locator("#login-register-link")).to_have_attribute("href", "/anshan/register/")
    page.goto(portal_url + "/login/?next=" + urllib.request.quote("/anshan/guide/x/?a=1", safe=""))
    expect(page.locator("#login-register-link")).to_have_attribute(
        "href", "/anshan/register/?next=%2Fanshan%2Fguide%2Fx%2F%3Fa%3D1"
    )


def test_pages_make_sense_without_javascript(browser: Browser, portal_url: str) -> None:
    # Chromium with scripting switched off by Playwright still parses <noscript> as text, so the notice is
    # checked in the markup and the forms by what is shown.
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        for path, heading in (
            ("/anshan/register/", "用户注册"),
            ("/anshan/login/", "用户登录"),
            ("/anshan/password-reset/", "找回密码"),
            ("/anshan/progress/", "办件进度查询"),
            ("/anshan/haochaping/", "鞍山市政务服务好差评"),
            ("/anshan/account/", "个人中心"),
            ("/anshan/my/messages/", "消息中心"),
            ("/anshan/verify/", "文书核验"),
        ):
            page.goto(portal_url + path)
            expect(page.get_by_role("heading", level=1)).to_have_text(heading)
            assert re.search(r"<noscript>.*?需要启用浏览器的 JavaScript.*?</noscript>", page.content(), re.S), path
            expect(page.locator("form.account-form").first).to_be_hidden()
        page.goto(portal_url + "/anshan/")
        expect(page.locator("#account-box").get_by_role("link", name="登录")).to_have_attribute(
            "href", "/anshan/login/"
        )
        # An entry page cannot forward without script: the visitor picks the region.
        page.goto(portal_url + "/login/")
        expect(page.get_by_role("link", name="沈阳市 · 沈阳政务服务网")).to_have_attribute("href", "/shenyang/login/")
    finally:
        context.close()


def test_captcha_can_be_heard_instead_of_seen(page: Page, portal_url: str) -> None:
    page.goto(portal_url + "/login/")
    expect(page.locator(".captcha-image")).to_be_visible()
    page.get_by_role("button", name="听语音").click()
    audio = page.locator("audio.captcha-audio")
    expect(audio).to_be_visible()
    source = audio.get_attribute("src")
    assert re.fullmatch(r"/api/captcha/[\w-]+/audio", source)
    answer = page.request.get(portal_url + source)
    assert answer.ok and answer.headers["content-type"] == "audio/wav"


def test_a_code_asked_again_too_soon_counts_down_the_wait_the_api_names(page: Page, portal_url: str) -> None:
    page.goto(portal_url + "/register/")
    page.get_by_label("手机", exact=True).fill("13900000077")
    request_sms_code(page, portal_url, "13900000077")
    page.reload()  # the page's own countdown is gone; the API's wait is not
    page.get_by_label("手机", exact=True).fill("13900000077")
    expect(page.locator(".captcha-image")).to_be_visible()
    page.get_by_label("图片验证码").fill("0000")
    page.get_by_role("button", name="获取验证码").click()
    status = page.locator(".sms-status")
    expect(status).to_contain_text("短信发送过于频繁")
    wait = int(re.search(r"(\d+) 秒", status.inner_text()).group(1))
    assert 0 < wait <= 60
    # retry_after in the 429's body, counted down by the button (the message is only shown, never parsed)
    expect(page.locator("[data-sms-send]")).to_have_text(
        re.compile(rf"^({wait}|{wait - 1}|{wait - 2}) 秒后可重新获取$")
    )
    expect(page.locator("[data-sms-send]")).to_have_attribute("aria-disabled", "true")
