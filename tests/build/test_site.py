"""The built site: every guide element on every guide page, links that resolve, sitemap, search index."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.models import FormField
from sitegen.rendering import field_notes, working_days
from sitegen.urls import APPLY_URL

# Pages served by the API-backed part of the portal (accounts and applications issues);
# the static pages already link to them. Remove each from this set when its page is built.
FORTHCOMING_PAGES: set[str] = set()

GUIDE_LABELS = [
    "事项名称",
    "事项编码",
    "事项类型",
    "实施主体",
    "服务对象",
    "受理条件",
    "办理流程",
    "申请材料",
    "办件类型",
    "法定办结时限",
    "承诺办结时限",
    "收费",
    "办理地点",
    "办理时间",
    "咨询电话",
    "监督投诉电话",
    "设定依据",
    "网上办理",
]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value:
                self.links.append(value)
            if name == "id" and value:
                self.ids.add(value)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_guide_page_shows_every_element(built_site) -> None:
    catalog, site = built_site
    for sub in catalog.subitems():
        html = (site / sub.url.lstrip("/") / "index.html").read_text(encoding="utf-8")
        text = _text(html)
        guide = sub.guide
        for label in GUIDE_LABELS:
            assert label in text, (sub.code, label)
        for value in [
            guide.name,
            guide.code,
            guide.item_type,
            sub.implementing_body,
            guide.handling_type,
            working_days(guide.legal_time_limit),
            working_days(guide.promised_time_limit),
            guide.location,
            guide.hours,
            guide.consult_phone or sub.item.department.spec.phone or sub.item.department.region.hotline,
            guide.complaint_phone,
        ]:
            assert value in text, (sub.code, value)
        for condition in guide.conditions:
            assert _text(condition).strip() in text, (sub.code, condition)
        for step in guide.process:
            assert step.name in text and step.description in text, (sub.code, step.name)
        for material in guide.materials:
            assert material.name in text, (sub.code, material.name)
            for download in (material.blank_form, material.sample):
                assert download is None or f'href="/files/{download}"' in html, (sub.code, download)
        for basis in guide.legal_basis:
            assert basis.law in text, (sub.code, basis.law)
        for field in guide.form_fields:
            assert field.label in text, (sub.code, field.label)
        for faq in guide.faqs:
            assert faq.question in text, (sub.code, faq.question)
        assert (guide.fee.standard in text) if guide.fee.charged else ("不收费" in text)
        assert ("data-pagefind-body" in html) and (f"地区:{sub.item.region.name}" in html)
        region = sub.item.region
        apply_link = f'href="/{region.slug}{APPLY_URL}?region={region.code}&amp;item={sub.code}"'
        assert (apply_link in html) is guide.online, sub.code


def test_department_pages_list_subitems_without_javascript(built_site) -> None:
    catalog, site = built_site
    region = catalog.region("anshan")
    dept = next(d for d in catalog.departments_of(region) if d.full_name == "鞍山市行政审批局社会事务科")
    html = (site / "anshan/legal" / dept.code / "index.html").read_text(encoding="utf-8")
    assert "<details" in html and "查看子事项" in html
    for item in catalog.items_of(dept, "法人"):
        for sub in item.subitems_for("法人"):
            assert f'href="{sub.url}"' in html


def test_every_internal_link_resolves(built_site) -> None:
    catalog, site = built_site
    broken = []
    for page in site.rglob("*.html"):
        if "pagefind" in page.parts:
            continue
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            if link.startswith(catalog.portal.site_url + "/"):  # canonical links name our own origin
                link = link.removeprefix(catalog.portal.site_url)
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("#", "tel:", "mailto:")):
                assert parts.scheme in ("", "tel", "mailto"), f"{page}: external link {link}"
                if link.startswith("#") and len(link) > 1:
                    assert link[1:] in parser.ids, f"{page}: no anchor {link}"
                continue
            if parts.path in FORTHCOMING_PAGES:
                continue
            target = site / parts.path.lstrip("/")
            if parts.path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
    assert not broken, "\n".join(broken)


def test_no_third_party_assets(built_site) -> None:
    catalog, site = built_site
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8").replace(f'"{catalog.portal.site_url}/', '"/')
        assert not re.search(r'(src|href|action)="(https?:)?//', html), page


def test_sitemap_lists_every_page(built_site) -> None:
    """sitemap.xml is an index of one sitemap per region (and one for the portal's own pages)."""
    catalog, site = built_site
    origin = catalog.portal.site_url
    index = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<sitemapindex" in index
    parts = re.findall(r"<loc>([^<]+)</loc>", index)
    assert sorted(parts) == sorted(
        f"{origin}/sitemaps/{name}.xml" for name in ["portal", *(region.slug for region in catalog.regions)]
    )
    locations = set()
    for part in parts:
        text = (site / part.removeprefix(origin + "/")).read_text(encoding="utf-8")
        locations |= set(re.findall(r"<loc>([^<]+)</loc>", text))
    assert f"{origin}/" in locations
    for region in catalog.regions:
        assert f"{origin}/{region.slug}/" in locations
    for sub in catalog.subitems():
        assert f"{origin}{sub.url}" in locations
    assert f"{origin}/404.html" not in locations
    # Exactly the pages that do not ask search engines to stay away (the personal pages and 404 do).
    listed = {p for p in site.rglob("*.html") if 'content="noindex' not in p.read_text(encoding="utf-8")}
    assert locations == {f"{origin}/{p.relative_to(site).as_posix().removesuffix('index.html')}" for p in listed}


def test_search_index_covers_every_guide_in_chinese(built_site) -> None:
    """One index per region, holding that region's guides and nothing else."""
    catalog, site = built_site
    for region in catalog.regions:
        bundle = site / region.slug / "pagefind"
        entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
        languages = entry["languages"]
        assert list(languages) == ["zh-cn"], languages
        assert languages["zh-cn"]["page_count"] == len(catalog.subitems(region)), region.slug
        assert (bundle / "pagefind.js").is_file()
    assert not (site / "pagefind").exists()


def test_downloads_and_assets_are_copied(built_site) -> None:
    catalog, site = built_site
    for name in catalog.files:
        assert (site / "files" / name).read_bytes()[:5] == b"%PDF-"
    assert any(Path(site, "static", "css").glob("portal.*.css"))


def test_a_guide_names_a_date_field_s_limits_beside_its_help() -> None:
    born = FormField(name="born", label="出生日期", type="date", not_after="today", help="按出生医学证明填写")
    assert field_notes(born) == ["按出生医学证明填写", "不晚于填写当天"]
    since = FormField(name="since", label="开始日期", type="date", not_before="2020-01-01", not_after="today")
    assert field_notes(since) == ["不早于2020年1月1日、不晚于填写当天"]
    assert field_notes(FormField(name="n", label="名称", type="text")) == []
