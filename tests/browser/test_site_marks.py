"""A visitor finds the marks of a government site: 热门服务, 通知公告, the footer's marks and its three pages."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def test_visitor_reads_a_notice_and_the_site_map(page: Page, site_url: str) -> None:
    page.goto(site_url + "/anshan/")
    hot = page.get_by_role("region", name="热门服务")
    hot.get_by_role("link", name="居民身份证换领").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("居民身份证换领")
    page.go_back()

    notices = page.get_by_role("region", name="通知公告")
    notices.get_by_role("link", name=re.compile("系统维护升级")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("（示例公告）")
    expect(page.locator(".notice-meta")).to_contain_text("发布日期：2026年12月1日")
    page.get_by_role("link", name="返回通知公告列表").click()
    expect(page).to_have_url(re.compile(r"/anshan/notices/$"))

    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text("主办单位：鞍山市人民政府办公室")
    expect(footer).to_contain_text("网站标识码：待填写（示例站点）")
    footer.get_by_role("link", name="网站地图").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("网站地图")
    page.get_by_role("heading", name="大连政务服务网").get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/dalian/$"))
    page.get_by_role("contentinfo").get_by_role("link", name="隐私政策").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("隐私政策")
