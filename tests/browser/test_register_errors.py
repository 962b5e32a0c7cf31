"""One round of errors on 注册 (issue 14): a 法人 form with a dozen problems shows every one of them after one 提交,
each once (beside its field and in the summary), without asking for an SMS code first; corrected, it registers
with the same code."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from .steps import expect_done, request_sms_code, resident_id
from .test_accounts import licence_png

# field label → what is wrong with it (an empty one is the page's own check; the rest are the server's)
PROBLEMS = {
    "登录名": "9corp",  # must start with a letter
    "密码": "12345678",  # all digits
    "确认密码": "12345679",  # not the same
    "真实姓名": "",
    "身份证": "21030219850612123X",  # wrong check character
    "电子邮箱": "office@",
    "机构名称": "",
    "统一社会信用代码": "91350100M000100Y44",  # wrong check character
    "工商登记机关": "Anshan 市场监管局",  # Chinese characters only
    "法定代表人": "",
    "法人证件号": "E12",  # too short for a passport
    "经办人姓名": "赵6",
    "经办人身份证": "210303199201014561",
    "经办人手机": "1370013",
}


def _fill(page: Page, values: dict[str, str]) -> None:
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


def test_every_problem_of_a_legal_registration_shows_after_one_submit(
    phone_page: Page, portal_url: str, tmp_path: Path
) -> None:
    page = phone_page
    licence = tmp_path / "licence.png"
    licence.write_bytes(licence_png())
    page.goto(portal_url + "/register/")
    page.get_by_role("radio", name=re.compile("^法人")).check()
    _fill(page, PROBLEMS)
    page.get_by_label("营业执照图片").set_input_files(str(licence))
    expect(page.locator("#reg-license-status")).to_contain_text("营业执照图片已上传")
    page.get_by_label("企业类型").select_option(label="盈利性企业")
    page.get_by_label("法人证件类型").select_option(label="护照")
    page.get_by_label("手机", exact=True).fill("13912345670")
    # The SMS code step is the last one: its fields come after the organisation's and the handler's.
    order = page.evaluate(
        """() => ['reg-handler-phone', 'reg-phone'].map((id) => [...document.querySelectorAll('input')]
               .findIndex((el) => el.id === id))"""
    )
    assert order[0] < order[1], order

    page.get_by_role("button", name="提交").click()
    summary = page.locator("#register-errors")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    # Every problem, each once: the dozen above, the SMS code not asked for yet, the agreement not ticked.
    expected = len(PROBLEMS) + 2
    expect(summary.locator("li")).to_have_count(expected)
    items = summary.locator("li").all_inner_texts()
    assert len(set(items)) == len(items), items
    invalid = page.locator('[aria-invalid="true"]:visible')
    expect(invalid).to_have_count(expected)
    for label in PROBLEMS:
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("aria-invalid", "true")
        described = field.get_attribute("aria-describedby") or ""
        errors = [part for part in described.split() if page.locator(f"#{part}.field-error").count()]
        assert len(errors) == 1, (label, described)
    # The live 登录名 line does not repeat the field's error.
    expect(page.locator("#reg-login-name-status")).not_to_contain_text("登录名")
    assert page.locator("#reg-login-name-status").inner_text().count("字母") == 0

    # All corrected, then the code, once.
    _fill(
        page,
        {
            "登录名": "corp_once",
            "密码": "Qiye2026once",
            "确认密码": "Qiye2026once",
            "真实姓名": "李四",
            "身份证": resident_id("21030219850612123"),
            "电子邮箱": "office@example.com",
            "机构名称": "鞍山市一次提交科技有限公司",
            "统一社会信用代码": "91210300MA0Q12345G",  # valid, and not the one test_accounts registers
            "工商登记机关": "鞍山市市场监督管理局",
            "法定代表人": "王五",
            "法人证件号": "E12345678",
            "经办人姓名": "赵六",
            "经办人身份证": resident_id("21030319920101456"),
            "经办人手机": "13700137000",
        },
    )
    request_sms_code(page, portal_url, "13912345670")
    page.get_by_label("我已阅读并同意《辽宁省政务服务网注册协议》").check()
    page.get_by_role("button", name="提交").click()
    expect_done(page, "注册成功")


def test_a_name_check_answered_after_submit_does_not_repeat_the_fields_error(page: Page, portal_url: str) -> None:
    # The live check of 登录名 is held until 提交 has shown the field's own error (a slow answer, as under load).
    held = []
    page.route("**/api/accounts/availability*", lambda route: held.append(route))
    page.goto(portal_url + "/register/")
    name_status = page.locator("#reg-login-name-status")
    page.get_by_label("登录名", exact=True).fill("9late")
    expect(name_status).to_have_text("正在检查该登录名是否可用…")
    page.get_by_role("button", name="提交").click()
    expect(page.locator("#register-errors")).to_contain_text("登录名必须以英文字母开头")
    with page.expect_response("**/api/accounts/availability*"):
        held[0].continue_()
    page.wait_for_timeout(300)  # the answer's handler runs right after the response
    expect(name_status).not_to_contain_text("登录名")
    # Typing again lifts the quiet: the next answer is shown.
    page.unroute("**/api/accounts/availability*")
    page.get_by_label("登录名", exact=True).fill("8late")
    expect(name_status).to_have_text("登录名必须以英文字母开头")
