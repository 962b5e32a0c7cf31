"""法人 经办人 in Chromium against the real API: the 法人 administrator invites a 自然人 in 个人中心 → the person
accepts in 我的单位 → 切换为单位身份 (the header shows "<机构名称> · <姓名>") → applies in the organisation's name →
the administrator sees the application with the 经办人's name in 我的申请 → revokes → the person is themselves again.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from functions.domain import passwords
from functions.repositories.accounts import UniqueValues, new_id

from .steps import account_box, expect_done, resident_id
from .test_apply import pdf_file, register_by_api, sign_in, upload

ORG_NAME = "鞍山市夕阳红养老服务中心"
ORG_LOGIN, ORG_PASSWORD = "yanglao_org1", "Yanglao2026ok"
PERSON_LOGIN, PERSON_PASSWORD, PERSON_NAME = "li_jingban", "Jingban2026ok", "李经办"
FILING = "210300-BA-0103-01"  # 养老机构备案: 法人 only, online


def make_org_account(services) -> None:
    """A registered 法人 account, as registration stores one (its licence check is not what this test is about)."""
    services.accounts.create(
        {
            "id": new_id(),
            "account_type": "legal",
            "role": "applicant",
            "login_name": ORG_LOGIN,
            "real_name": "王管理",
            "email": "org@example.com",
            "phone": "13700137001",
            "id_number_masked": "2103**********0010",
            "password_hash": passwords.hash_password(ORG_PASSWORD),
            "created_at": int(services.clock()),
            "organization": {
                "name": ORG_NAME,
                "enterprise_type": "social_organization",
                "credit_code": "52210300MJ0000001X",
                "registration_authority": "鞍山市民政局",
                "legal_representative": "王管理",
                "legal_representative_id_type": "resident_id",
                "legal_representative_id_number_masked": "2103**********0010",
                "handler_name": "王管理",
                "handler_id_number_masked": "2103**********0010",
                "handler_phone": "13700137001",
            },
        },
        UniqueValues(login_name=ORG_LOGIN),
    )


def test_admin_invites_handler_who_applies_for_the_org_until_revoked(
    browser: Browser, page: Page, portal, portal_url: str, tmp_path: Path
) -> None:
    make_org_account(portal.services)
    register_by_api(
        portal_url, PERSON_LOGIN, PERSON_PASSWORD, PERSON_NAME, resident_id("21030219900101001"), "13900139088"
    )

    # The administrator (the 法人 account) invites the person by login name.
    admin = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    sign_in(admin, portal_url, ORG_LOGIN, ORG_PASSWORD, "/account/")
    section = admin.locator("#handlers")
    expect(section).to_be_visible()
    section.get_by_label("经办人登录名").fill(PERSON_LOGIN)
    section.get_by_role("button", name="发送邀请").click()
    expect(section.locator("#handler-status")).to_contain_text("已向 " + PERSON_LOGIN + " 发送邀请")
    expect(section.locator("#handler-rows tr")).to_have_count(1)
    expect(section.locator("#handler-rows")).to_contain_text("待接受")

    # The person accepts in 我的单位 and switches to act for the organisation.
    sign_in(page, portal_url, PERSON_LOGIN, PERSON_PASSWORD, "/account/")
    expect(page.locator("#handlers")).to_be_hidden()
    mine = page.locator("#organizations")
    expect(mine).to_contain_text(ORG_NAME)
    mine.get_by_role("button", name="接受邀请").click()
    expect(mine.locator("#organization-status")).to_contain_text("已接受")
    mine.get_by_role("button", name="切换为单位身份").click()
    expect(account_box(page).locator(".account-name-text")).to_have_text(f"{ORG_NAME} · {PERSON_NAME}")
    expect(page.locator("#acting-notice")).to_contain_text(ORG_NAME)
    page.screenshot(path=str(tmp_path / "acting.png"), full_page=True)

    # ... and applies in its name (the form is pre-filled with the organisation's own facts).
    page.goto(portal_url + f"/apply/?region=210300&item={FILING}")
    expect(page.get_by_role("heading", level=1)).to_have_text("养老机构备案")
    expect(page.get_by_label("养老机构名称")).to_have_value(ORG_NAME)
    page.get_by_label("机构性质").select_option("非营利性")
    page.get_by_label("服务场所地址").fill("鞍山市铁东区胜利南路 18 号")
    page.get_by_label("床位数（张）").fill("60")
    page.get_by_label("开始收住老年人日期").fill("2026-11-20")
    for material, name in [
        ("养老机构备案书", "备案书.pdf"),
        ("登记证书或营业执照", "登记证书.pdf"),
        ("服务场所产权证明或租赁合同", "租赁合同.pdf"),
        ("符合消防、卫生与健康、环境保护", "承诺书.pdf"),
    ]:
        upload(page, material, pdf_file(name))
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("dialog").get_by_role("button", name="是").click()
    expect_done(page, "申报成功")
    number = page.locator("[data-done-number]").inner_text().strip()

    # The administrator sees it in 我的申请, with the 经办人 who submitted it.
    admin.goto(portal_url + "/my/applications/")
    row = admin.locator("#my-rows tr", has_text=number)
    expect(row).to_be_visible()
    expect(row.locator("td[data-label='经办人']")).to_have_text(PERSON_NAME)
    row.get_by_role("link", name="查看详情").click()
    expect(admin.locator("[data-summary]")).to_contain_text(PERSON_NAME)
    admin.screenshot(path=str(tmp_path / "admin-detail.png"), full_page=True)

    # The administrator revokes: the handler's very next page is their own again.
    admin.goto(portal_url + "/account/#handlers")
    expect(admin.locator("#handler-rows")).to_contain_text(PERSON_NAME)  # the name shows once accepted
    admin.get_by_role("button", name="撤销授权").click()
    expect(admin.locator("#handler-status")).to_contain_text("立即生效")
    expect(admin.locator("#handler-rows")).to_contain_text("已撤销")

    page.goto(portal_url + "/my/applications/")
    expect(account_box(page).locator(".account-name-text")).to_have_text(PERSON_NAME)
    expect(page.locator("#my-empty")).to_be_visible()  # the organisation's application is not theirs
    admin.context.close()
