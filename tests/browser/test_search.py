"""站内搜索 on the real page: names first from the names index, pagefind's full text behind it, clean excerpts, a
labelled input, filters, the other regions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

# (query, the name the first result must have) on the sample content of 鞍山市.
FIRST_RESULTS = [
    ("社会保障卡", "社会保障卡"),
    ("公积金", "公积金"),
    ("身份证", "身份证"),
    ("护士执业首次注册", "护士执业首次注册"),
    ("社会团体成立登记", "社会团体成立登记"),
    ("失业登记", "失业登记"),
    ("失业保险金", "失业保险金申领"),
    ("出生登记", "出生登记"),
    ("养老机构备案", "养老机构备案"),
    ("公共场所卫生许可（新办）", "公共场所卫生许可（新办）"),
    ("单位社会保险登记", "单位社会保险登记"),
    ("租赁住房提取住房公积金", "租赁住房提取住房公积金"),
]

# Queries no guide of 鞍山市 is named exactly: the first result's name contains them.
NO_EXACT_NAME = {"社会保障卡", "公积金", "身份证"}


def _settled(page: Page) -> None:
    """The search on screen is complete: its status is set and the list no longer busy."""
    expect(page.locator("#search-status")).not_to_have_text(re.compile(r"^$|正在搜索"), timeout=15_000)
    expect(page.locator("#search-results")).not_to_have_attribute("aria-busy", "true")


def _search(page: Page, site_url: str, query: str, extra: str = "") -> None:
    page.goto(f"{site_url}/anshan/search/?q={query}{extra}")
    _settled(page)


@pytest.mark.parametrize(("query", "first"), FIRST_RESULTS)
def test_the_first_result_is_the_item_named(page: Page, site_url: str, query: str, first: str) -> None:
    _search(page, site_url, query)
    title = page.locator(".search-result-title").first.inner_text()
    assert first in title, (query, title)
    if query not in NO_EXACT_NAME:
        assert title == first


def test_gongjijin_never_returns_unemployment_benefit(page: Page, site_url: str) -> None:
    _search(page, site_url, "公积金")
    titles = page.locator(".search-result-title").all_inner_texts()
    assert titles and all("公积金" in title for title in titles), titles


def test_excerpts_are_clean_and_mark_the_query_only(page: Page, site_url: str) -> None:
    _search(page, site_url, "社会保障卡")
    for text in page.locator(".search-result-excerpt").all_inner_texts():
        assert not re.match(r"^[\s.,;:。，、；：]", text), text
    for marked in page.locator(".search-result-excerpt mark").all_inner_texts():
        assert marked == "社会保障卡"


def test_labelled_input_announced_count_and_keyboard(page: Page, site_url: str) -> None:
    page.goto(site_url + "/anshan/search/")
    box = page.get_by_label("搜索关键词")
    expect(box).to_be_focused(timeout=15_000)
    box.fill("出生登记")
    box.press("Enter")
    status = page.locator("#search-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text("找到 1 项", timeout=15_000)
    expect(page).to_have_url(re.compile(r"\?q=%E5%87%BA"))


def test_filters_by_department_and_audience(page: Page, site_url: str) -> None:
    _search(page, site_url, "登记", "&audience=法人")
    titles = page.locator(".search-result-title").all_inner_texts()
    assert "社会团体成立登记" in titles and "出生登记" not in titles, titles
    page.get_by_label("服务对象").select_option("自然人")
    expect(page.locator(".search-result-title").filter(has_text="出生登记")).to_have_count(1, timeout=15_000)
    page.get_by_label("实施部门").select_option("鞍山市公安局")
    expect(page.locator(".search-result-title").filter(has_text="失业登记")).to_have_count(0, timeout=15_000)
    expect(page.locator(".search-result-title").filter(has_text="出生登记")).to_have_count(1)


def test_other_regions_are_offered(page: Page, site_url: str) -> None:
    page.goto(site_url + "/anshan/search/")
    links = page.locator("a[data-search-region]")
    expect(links.first).to_be_visible()
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "/anshan/search/" not in hrefs and all(href and href.endswith("/search/") for href in hrefs)


def _fetched(page: Page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


def test_a_name_is_found_without_loading_pagefind(page: Page, site_url: str) -> None:
    fetched = _fetched(page)
    _search(page, site_url, "社会保障卡")
    expect(page.locator("#search-status")).to_have_text("找到 3 项名称含“社会保障卡”的服务指南")
    first = page.locator(".search-result").first
    expect(first.locator(".search-result-facts")).to_have_text(
        "鞍山市人力资源和社会保障局 · 服务对象：自然人 · 支持网上申报"
    )
    expect(first.locator(".search-result-title mark")).to_have_text("社会保障卡")
    assert any("/anshan/names/" in url for url in fetched), fetched
    assert not [url for url in fetched if "/pagefind/" in url]


def test_full_text_on_request_adds_only_other_guides(page: Page, site_url: str) -> None:
    _search(page, site_url, "社会保障卡")
    names = page.locator(".search-result-title").all_inner_texts()
    page.get_by_role("button", name="在服务指南全文中搜索“社会保障卡”").click()
    _settled(page)
    expect(page.locator("#search-status")).to_contain_text("全文")
    titles = page.locator(".search-result-title").all_inner_texts()
    assert titles[: len(names)] == names and len(set(titles)) == len(titles), titles
    # What the full text adds holds the phrase in its text (a name would have been listed above).
    for text in page.locator(".search-result-excerpt").all_inner_texts():
        assert "社会保障卡" in text, text
    expect(page.get_by_role("button", name=re.compile("在服务指南全文中搜索"))).to_be_hidden()
    # A full-text result links its guide (the index lives under /anshan/pagefind/, its URLs start at the root).
    added = page.locator(".search-result").nth(len(names))
    title = added.locator(".search-result-title").inner_text()
    added.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text(title)


def test_what_no_name_holds_is_searched_in_the_full_text(page: Page, site_url: str) -> None:
    fetched = _fetched(page)
    _search(page, site_url, "户口簿")
    expect(page.locator("#search-status")).to_contain_text(re.compile(r"找到 \d+ 项与“户口簿”相关的服务指南"))
    titles = page.locator(".search-result-title").all_inner_texts()
    assert "出生登记" in titles, titles
    assert any("/pagefind/" in url for url in fetched)
    page.get_by_role("link", name="出生登记").click()
    expect(page.locator("h1")).to_have_text("出生登记")


def test_a_single_character_goes_to_the_full_text(page: Page, site_url: str) -> None:
    _search(page, site_url, "税")
    expect(page.locator("#search-status")).to_contain_text(re.compile("找到|没有找到"))


def test_more_names_than_a_page_are_shown_on_request(page: Page, site_url: str) -> None:
    # A province-sized region, served in place of the sample's names index: 45 names hold the query.
    guides = [[f"第{n}类登记", f"/anshan/guide/X-{n}/", "鞍山市公安局", ["自然人"], 0] for n in range(45)]
    index = {"buckets": 1, "guides": 45, "departments": ["鞍山市公安局"]}
    page.route("**/anshan/names/index.json", lambda route: route.fulfill(json=index))
    page.route("**/anshan/names/1/0.json", lambda route: route.fulfill(json={"guides": guides}))
    _search(page, site_url, "登记")
    expect(page.locator("#search-status")).to_have_text("找到 45 项名称含“登记”的服务指南")
    expect(page.locator(".search-result")).to_have_count(20)
    more = page.get_by_role("button", name="显示更多（还有 25 项名称匹配）")
    expect(page.get_by_role("button", name=re.compile("在服务指南全文中搜索"))).to_be_hidden()
    more.click()
    expect(page.locator(".search-result")).to_have_count(40)
    page.get_by_role("button", name="显示更多（还有 5 项名称匹配）").click()
    expect(page.locator(".search-result")).to_have_count(45)
    expect(page.get_by_role("button", name=re.compile("显示更多"))).to_be_hidden()
    expect(page.get_by_role("button", name="在服务指南全文中搜索“登记”")).to_be_visible()
    assert page.locator(".search-result-facts").first.inner_text().endswith("窗口办理")
