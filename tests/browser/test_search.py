"""站内搜索 on the real page: exact names first, clean excerpts, a labelled input, filters, the other regions."""

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


def _search(page: Page, site_url: str, query: str, extra: str = "") -> None:
    page.goto(f"{site_url}/anshan/search/?q={query}{extra}")
    expect(page.locator("#search-status")).to_contain_text(re.compile("找到|没有找到"), timeout=15_000)


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
