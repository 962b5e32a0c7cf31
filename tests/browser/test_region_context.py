"""Region context (issue 14): a Shenyang application is shown with Shenyang's header, footer, contacts and 首页 on
every page of its journey — 申报, 申报成功, 我的申请, 办件详情 — and the bare entry pages (/my/applications/ …) open
the region the visitor came from. Each region has its own copy of these pages (sitegen.urls.regional_url)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from functions.cli import create_staff

from .steps import account_box, expect_done, resident_id
from .test_apply import jpeg_file, pdf_file, register_by_api, sign_in, sign_out, upload

BIRTH_CERTIFICATE = "210100-GG-0304-01"  # 出生医学证明首次签发: 自然人, online, 2 required materials


def expect_shenyang(page: Page) -> None:
    """Header, nav, footer and contacts are Shenyang's; nothing but the 站点切换 list says 鞍山."""
    expect(page.locator(".brand-site")).to_have_text("沈阳政务服务网")
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="首页")).to_have_attribute(
        "href", "/shenyang/"
    )
    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text("沈阳市政务服务中心")
    expect(footer).to_contain_text("沈阳市人民政府办公室")
    for part in (page.locator(".masthead"), page.locator(".main-nav"), page.locator("#main"), footer):
        expect(part).not_to_contain_text("鞍山")
    expect(page.locator('a[href^="tel:0412"]')).to_have_count(0)


def test_a_shenyang_application_stays_in_shenyang(page: Page, portal, portal_url: str) -> None:
    login_name, password, phone = "sun_shenyang", "Shenyang2026ok", "13900139021"
    register_by_api(portal_url, login_name, password, "孙一", resident_id("21010219900101002"), phone)
    sign_in(page, portal_url, login_name, password, "/anshan/")
    expect(page).to_have_url(re.compile(r"/anshan/$"))

    # 站点切换 → 沈阳市 → the guide → 申报.
    switcher = page.locator("details.site-switch")
    switcher.get_by_text("站点切换").click()
    switcher.get_by_role("link", name="沈阳市").click()
    expect(page).to_have_url(re.compile(r"/shenyang/$"))
    page.goto(portal_url + f"/shenyang/guide/{BIRTH_CERTIFICATE}/")
    page.locator("#apply-top").click()
    expect(page).to_have_url(re.compile(rf"/shenyang/apply/\?region=210100&item={BIRTH_CERTIFICATE}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("出生医学证明首次签发")
    expect_shenyang(page)

    page.get_by_label("新生儿姓名").fill("孙小一")
    page.get_by_label("新生儿性别").select_option(index=1)
    page.get_by_label("出生日期").fill("2026-11-20")
    page.get_by_label("出生的助产机构").fill("沈阳市妇婴医院")
    page.get_by_label("申请人与新生儿关系").select_option(index=1)
    upload(page, "《出生医学证明》首次签发登记表", pdf_file("登记表.pdf"))
    upload(page, "父母有效身份证件", jpeg_file("身份证.jpg"))
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("dialog", name="确认提交申请？").get_by_role("button", name="是").click()
    expect_done(page, "申报成功")
    expect_shenyang(page)

    # 查看我的申请 and the detail: still Shenyang's pages.
    page.get_by_role("link", name="查看我的申请").click()
    expect(page).to_have_url(re.compile(r"/shenyang/my/applications/$"))
    expect_shenyang(page)
    page.locator("#my-rows tr").first.get_by_role("link", name=re.compile("^查看详情")).click()
    expect(page).to_have_url(re.compile(r"/shenyang/my/application/\?id=\w+$"))
    expect(page.locator("#detail-content")).to_be_visible()
    expect_shenyang(page)
    detail = page.url

    # The same application opened on another region's copy (an old link) moves to its own region's.
    page.goto(detail.replace("/shenyang/", "/anshan/"))
    expect(page).to_have_url(detail)
    expect(page.locator("#detail-content")).to_be_visible()

    # A bare entry page (a link from a message, a bookmark) opens the region the visitor came from.
    page.goto(portal_url + "/my/applications/")
    expect(page).to_have_url(re.compile(r"/shenyang/my/applications/$"))
    expect(account_box(page).get_by_role("link", name="我的申请")).to_have_attribute(
        "href", "/shenyang/my/applications/"
    )
    # … unless the link names the region of a 事项: then that one.
    page.goto(portal_url + "/apply/?region=210300&item=210300-XK-0105-01")
    expect(page).to_have_url(re.compile(r"/anshan/apply/\?region=210300&item=210300-XK-0105-01$"))
    expect(page.locator(".brand-site")).to_have_text("鞍山政务服务网")
    # … or the region of the page to come back to.
    page.goto(portal_url + "/login/?next=%2Fdalian%2Fcontact%2F")
    expect(page).to_have_url(re.compile(r"/dalian/login/\?next=%2Fdalian%2Fcontact%2F$"))
    page.goto(portal_url + "/")  # the portal's own address: the region last visited
    expect(page).to_have_url(re.compile(r"/dalian/$"))

    # Its department's staff work in Shenyang's 审批工作台, whichever region's copy they open.
    sign_out(page, portal_url)
    create_staff(portal.services, "zhou_wjw", "Shenpi2026ok", "210100", "wjw", "周审批")
    sign_in(page, portal_url, "zhou_wjw", "Shenpi2026ok", "/anshan/review/")
    expect(page).to_have_url(re.compile(r"/shenyang/review/$"))
    expect(page.locator("#review-page")).to_contain_text("出生医学证明首次签发")
    expect_shenyang(page)
