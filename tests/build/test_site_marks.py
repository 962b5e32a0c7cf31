"""The marks of a government site (issue 14, point 7): footer marks, 隐私政策, 无障碍说明, 网站地图, 热门服务, 通知公告."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.errors import ContentErrors
from sitegen.loading import load_catalog
from tests.build.test_incremental import Workspace, assert_same_site, report_paths
from tests.conftest import ROOT, TEMPLATES, build
from tests.factories import edit_yaml

PLACEHOLDER = "待填写（示例站点）"
ALPHA_YAML = Path("regions/alpha/region.yaml")
NOTICES = Path("regions/alpha/notices")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _page(site: Path, url: str) -> str:
    return _text((site / url.lstrip("/") / "index.html").read_text(encoding="utf-8"))


def _footer(site: Path, url: str) -> str:
    html = (site / url.lstrip("/") / "index.html").read_text(encoding="utf-8")
    return _text(html[html.index('<footer class="site-footer"') :])


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("marks") / "site"
    build.build(ROOT / "tests/fixtures/content", TEMPLATES, out, search=False)
    return out


def test_unset_marks_show_visible_placeholders(fixture_site: Path) -> None:
    footer = _footer(fixture_site, "/alpha/")
    for label in ("主办单位", "承办单位", "网站标识码", "ICP备案号", "公安机关备案号"):
        assert f"{label}： {PLACEHOLDER}" in footer, label
    assert f"党政机关网站标识：{PLACEHOLDER}" in footer
    assert "<img" not in (fixture_site / "alpha/index.html").read_text(encoding="utf-8").split("site-footer")[1]


def test_set_marks_show_their_values(fixture_site: Path) -> None:
    footer = _footer(fixture_site, "/beta/")
    for label, value in (
        ("主办单位", "乙市测试主办单位"),
        ("承办单位", "乙市测试承办单位"),
        ("网站标识码", "0000000000"),
        ("ICP备案号", "测ICP备00000000号"),
        ("公安机关备案号", "测公网安备00000000000000号"),
    ):
        assert f"{label}： {value}" in footer, label
    assert f"网站标识码： {PLACEHOLDER}" not in footer
    assert "示例信息" not in footer  # beta's marks are not flagged unverified


def test_party_mark_is_the_issued_image_and_link_only_when_given(content_copy: Path, tmp_path: Path) -> None:
    (content_copy / "files/beta").mkdir(parents=True, exist_ok=True)
    (content_copy / "files/beta/conac.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    link = "https://bszs.conac.cn/sitename?method=show&id=TEST"
    edit_yaml(
        content_copy / "regions/beta/region.yaml",
        lambda data: data["marks"].update(party_mark={"link": link, "image": "beta/conac.png"}, unverified=True),
    )
    out = tmp_path / "site"
    build.build(content_copy, TEMPLATES, out, search=False)
    html = (out / "beta/index.html").read_text(encoding="utf-8")
    assert f'href="{link.replace("&", "&amp;")}"' in html
    assert '<img src="/files/beta/conac.png" alt="党政机关网站标识"' in html
    assert (out / "files/beta/conac.png").is_file()
    assert "主办、承办单位为示例信息" in _footer(out, "/beta/")


def test_party_mark_image_must_exist(content_copy: Path) -> None:
    edit_yaml(
        content_copy / "regions/beta/region.yaml",
        lambda data: data["marks"].update(party_mark={"link": "https://example.org/", "image": "beta/none.png"}),
    )
    with pytest.raises(ContentErrors) as caught:
        load_catalog(content_copy)
    assert [str(e.line) for e in caught.value.errors] == [
        "content/regions/beta/region.yaml: marks.party_mark.image: 文件 files/beta/none.png 不存在"
    ]


def test_site_code_is_ten_digits(content_copy: Path) -> None:
    edit_yaml(content_copy / "regions/beta/region.yaml", lambda data: data["marks"].update(site_code="12345"))
    with pytest.raises(ContentErrors) as caught:
        load_catalog(content_copy)
    assert [e.field for e in caught.value.errors] == ["marks.site_code"]


def test_footer_links_the_three_pages(fixture_site: Path) -> None:
    html = (fixture_site / "alpha/index.html").read_text(encoding="utf-8")
    footer = html[html.index('<footer class="site-footer"') :]
    # The region's own copies: the visitor stays on 甲市's site.
    for url, label in (
        ("/alpha/privacy/", "隐私政策"),
        ("/alpha/accessibility/", "无障碍说明"),
        ("/alpha/sitemap/", "网站地图"),
    ):
        assert f'<a href="{url}">{label}</a>' in footer
        assert (fixture_site / url.lstrip("/") / "index.html").is_file()


def test_policy_pages_render_their_markdown(fixture_site: Path) -> None:
    privacy = _page(fixture_site, "/alpha/privacy/")
    assert "隐私政策" in privacy and "本网站收集账号、身份证号码和手机号码" in privacy and "您的权利" in privacy
    accessibility = _page(fixture_site, "/beta/accessibility/")
    assert "无障碍说明" in accessibility and "WCAG 2.1 AA" in accessibility


def test_missing_policy_file_is_an_error(content_copy: Path) -> None:
    (content_copy / "privacy.md").unlink()
    with pytest.raises(ContentErrors) as caught:
        load_catalog(content_copy)
    assert [str(e.line) for e in caught.value.errors] == ["content/portal.yaml: privacy_file: 文件 privacy.md 不存在"]


def test_sample_policies_cover_what_the_brief_asks(built_site) -> None:
    _, site = built_site
    privacy = _page(site, "/anshan/privacy/")
    for phrase in (
        "登录名",
        "身份证号码加密保存",
        "手机号码",
        "上传的申请材料",
        "《个人信息保护法》",
        "保存多久",
        "12345",
    ):
        assert phrase in privacy, phrase
    accessibility = _page(site, "/dalian/accessibility/")
    for phrase in ("长辈版", "键盘", "读屏软件", "WCAG）2.1 AA", "遇到障碍请告诉我们"):
        assert phrase in accessibility, phrase


def test_site_map_lists_columns_and_departments_not_guides(fixture_site: Path) -> None:
    html = (fixture_site / "alpha/sitemap/index.html").read_text(encoding="utf-8")
    main = html[html.index("<main") : html.index("</main>")]
    for url in ("/alpha/", "/beta/", "/alpha/personal/", "/alpha/legal/", "/alpha/notices/", "/alpha/my/applications/"):
        assert f'href="{url}"' in main, url
    assert 'href="/alpha/personal/bureau-social/"' in main
    assert "/guide/" not in main  # a province has 100,000 guides: the department pages list them
    for url in ("/alpha/agreement/", "/alpha/privacy/", "/alpha/accessibility/"):
        assert f'href="{url}"' in main


def test_hot_services_link_their_guides_in_order(fixture_site: Path) -> None:
    html = (fixture_site / "alpha/index.html").read_text(encoding="utf-8")
    hot = html[html.index('class="hot-list"') : html.index("</ul>", html.index('class="hot-list"'))]
    assert re.findall(r'href="([^"]+)"', hot) == ["/alpha/guide/210300-XK-0001-01/"]
    assert "暂无热门服务" in _page(fixture_site, "/beta/")


def test_unknown_hot_service_fails_naming_the_file(content_copy: Path) -> None:
    # 210100-XK-0001-01 exists, but in beta: a region's hot services are its own.
    path = content_copy / ALPHA_YAML
    path.write_text(path.read_text(encoding="utf-8") + "  - 210100-XK-0001-01\n", encoding="utf-8")
    line = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(ContentErrors) as caught:
        load_catalog(content_copy)
    assert [str(e) for e in caught.value.errors] == [
        f"content/{ALPHA_YAML}:{line}: hot_services[1]: 热门服务中的事项编码 210100-XK-0001-01 不是甲市的办理项"
    ]


def test_notices_newest_first_with_their_own_pages(fixture_site: Path) -> None:
    home = (fixture_site / "alpha/index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<a href="(/alpha/notices/[^"]+/)">', home)
    assert listed == ["/alpha/notices/maintenance/", "/alpha/notices/holiday/"]
    assert 'href="/alpha/notices/">全部通知公告' in home
    page = _page(fixture_site, "/alpha/notices/maintenance/")
    assert "测试维护公告" in page and "发布日期： 2026年12月1日" in page and "发布单位：甲市政务服务中心" in page
    assert "维护期间暂停网上申报" in page
    assert "发布单位" not in _page(fixture_site, "/alpha/notices/holiday/")
    all_notices = (fixture_site / "alpha/notices/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="(/alpha/notices/[^"]+/)">', all_notices) == listed
    assert "暂无通知公告" in _page(fixture_site, "/beta/notices/")


def test_home_shows_the_newest_five_notices(content_copy: Path, tmp_path: Path) -> None:
    for day in range(1, 8):
        (content_copy / NOTICES / f"n{day}.md").write_text(
            f"---\ntitle: 公告{day}\ndate: 2027-01-0{day}\n---\n正文。\n", encoding="utf-8"
        )
    out = tmp_path / "site"
    build.build(content_copy, TEMPLATES, out, search=False)
    home = (out / "alpha/index.html").read_text(encoding="utf-8")
    assert re.findall(r'<a href="/alpha/notices/([^"]+)/">', home) == ["n7", "n6", "n5", "n4", "n3"]
    assert len(re.findall(r'<a href="/alpha/notices/[^"]+/">', (out / "alpha/notices/index.html").read_text())) == 9


def test_bad_notice_names_file_and_field(content_copy: Path) -> None:
    (content_copy / NOTICES / "bad.md").write_text("---\ntitle: 缺日期\n---\n正文。\n", encoding="utf-8")
    (content_copy / NOTICES / "Bad_Name.md").write_text("---\ntitle: x\ndate: 2026-01-01\n---\n", encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_catalog(content_copy)
    assert sorted(str(e) for e in caught.value.errors) == [
        f"content/{NOTICES}/Bad_Name.md: 文件名只能使用小写字母、数字和连字符（-），它是公告网址的一部分",
        f"content/{NOTICES}/bad.md:2: date: 缺少必填项",  # a missing field: where its block starts
    ]


def test_sample_notices_are_marked_illustrative(built_site) -> None:
    catalog, _ = built_site
    notices = [notice for region in catalog.regions for notice in catalog.notices_of(region)]
    assert len(notices) >= 6
    for entry in notices:
        assert "（示例公告）" in entry.notice.title and "示例内容" in entry.body_html, entry.url


# Editing a notice or a policy page rewrites its own pages, not every page carrying the footer.
@pytest.mark.parametrize(
    ("change", "must_write"),
    [
        (
            lambda w: w.edit(NOTICES / "holiday.md", "节假日窗口暂停服务", "节假日窗口暂停对外服务"),
            {"alpha/notices/holiday/index.html"},
        ),
        (
            lambda w: w.edit("privacy.md", "用于办理政务服务", "仅用于办理政务服务"),
            {"alpha/privacy/index.html", "beta/privacy/index.html"},
        ),
    ],
    ids=["notice body", "privacy text"],
)
def test_a_text_edit_rewrites_only_its_page(tmp_path: Path, change, must_write: set[str]) -> None:
    workspace = Workspace(tmp_path)
    workspace.rebuild()
    change(workspace)
    report = workspace.rebuild()
    assert set(report_paths(workspace, report)) == must_write
    assert_same_site(workspace.site, workspace.clean_build())


def test_a_notice_title_edit_rewrites_its_lists(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path)
    workspace.rebuild()
    workspace.edit(NOTICES / "holiday.md", "title: 测试节假日安排", "title: 测试国庆节安排")
    report = workspace.rebuild()
    written = set(report_paths(workspace, report))
    assert {"alpha/index.html", "alpha/notices/index.html", "alpha/notices/holiday/index.html"} <= written
    assert not any("guide/" in path for path in written)
    assert_same_site(workspace.site, workspace.clean_build())
