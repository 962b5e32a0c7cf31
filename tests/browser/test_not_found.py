"""The 404 page belongs to no region (it is served for any missing URL): it shows the portal's header and footer,
and its 返回首页 leads to the region of the URL, else the one the visitor last visited (js/pages/not-found.js)."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def _home_button(page: Page):
    return page.locator("#not-found-home")


def test_a_missing_page_under_a_region_offers_that_region(page: Page, portal_url: str) -> None:
    response = page.goto(portal_url + "/shenyang/guide/210100-XX-9999-99/")
    assert response is not None and response.status == 404
    expect(page).to_have_title("页面不存在 - 辽宁政务服务网")
    expect(page.locator(".brand-site")).to_have_text("辽宁政务服务网")
    expect(_home_button(page)).to_have_text("返回沈阳政务服务网首页")
    expect(page.get_by_role("link", name="搜索服务事项")).to_have_attribute("href", "/shenyang/search/")
    expect(page.get_by_role("contentinfo")).not_to_contain_text("市政务服务中心")
    expect(page.locator(".masthead")).not_to_contain_text("鞍山")
    _home_button(page).click()
    expect(page.locator(".brand-site")).to_have_text("沈阳政务服务网")


def test_elsewhere_it_offers_the_region_last_visited(page: Page, portal_url: str) -> None:
    page.goto(portal_url + "/dalian/")  # remembered by every region's page
    expect(page.locator(".brand-site")).to_have_text("大连政务服务网")
    page.goto(portal_url + "/no-such-page/")
    expect(_home_button(page)).to_have_text("返回大连政务服务网首页")
    expect(_home_button(page)).to_have_attribute("href", "/dalian/")


def test_with_no_region_known_it_goes_to_the_portal_root(page: Page, portal_url: str) -> None:
    page.goto(portal_url + "/no-such-page/")
    expect(_home_button(page)).to_have_text("返回首页")
    expect(page.get_by_role("link", name="搜索服务事项")).to_be_hidden()
    _home_button(page).click()  # / forwards to the portal's default region
    expect(page.locator(".brand-site")).to_have_text("鞍山政务服务网")
