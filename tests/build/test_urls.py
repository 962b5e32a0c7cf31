"""The URL scheme (sitegen.urls) and the Page objects: one place that spells URLs, pages that carry their facts."""

from __future__ import annotations

import re

from sitegen import urls
from sitegen.pages import Page
from sitegen.sitemap import indexed_urls_by_part
from tests.conftest import TEMPLATES


def test_a_folder_url_is_written_as_its_index_and_a_file_url_as_itself() -> None:
    assert urls.output_path("/") == "index.html"
    assert urls.output_path("/anshan/guide/210300-XK-0101-01/") == "anshan/guide/210300-XK-0101-01/index.html"
    assert urls.output_path("/404.html") == "404.html"
    assert urls.output_path(urls.file_url("anshan/申请表.docx")) == "files/anshan/申请表.docx"


def test_a_page_knows_its_url_path_title_and_whether_it_is_indexed() -> None:
    page = Page(urls.guide_url("anshan", "210300-XK-0101-01"), "某事项")
    assert (page.url, page.path, page.title, page.indexed) == (
        "/anshan/guide/210300-XK-0101-01/",
        "anshan/guide/210300-XK-0101-01/index.html",
        "某事项",
        True,
    )
    assert urls.guide_region(page.path) == "anshan"
    assert urls.guide_region("anshan/personal/index.html") is None
    assert not hasattr(page, "__dict__")  # a province keeps ~100,000 of them for the whole build


def test_the_sitemaps_list_exactly_the_indexed_pages_by_region() -> None:
    pages = [
        Page("/anshan/contact/", "联系电话"),
        Page("/anshan/", "鞍山政务服务网"),
        Page(urls.LOGIN_URL, "用户登录"),
        Page(urls.ACCOUNT_URL, "个人中心", indexed=False),
        Page(urls.NOT_FOUND_URL, "页面不存在", indexed=False),
    ]
    assert indexed_urls_by_part(pages, {"anshan", "dalian"}) == {
        "anshan": ["/anshan/", "/anshan/contact/"],
        urls.PORTAL_PART: [urls.LOGIN_URL],
    }


def test_templates_spell_no_site_url_themselves() -> None:
    spelled = re.compile(r'(?:href|src|action)="/|url=/')
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if spelled.search(line)
    ]
    assert not offenders, f"use the URL globals of sitegen.urls instead: {offenders}"
