"""Every region has its own copy of the API-backed pages, with its own header, footer and links; the bare paths
are entry pages that forward to a region's copy (issue 14)."""

from __future__ import annotations

import re

from sitegen.rendering import SHELLS
from sitegen.urls import REGIONAL_PAGES, output_path, regional_url


def test_each_region_has_its_own_copy_of_every_regional_page(built_site) -> None:
    catalog, site = built_site
    for region in catalog.regions:
        others = [r for r in catalog.regions if r is not region]
        for entry in REGIONAL_PAGES.values():
            html = (site / output_path(regional_url(region, entry))).read_text(encoding="utf-8")
            assert f'<html lang="zh-CN" data-region="{region.slug}">' in html, (region.slug, entry)
            assert f'<span class="brand-site">{region.site_name}</span>' in html
            footer = html.split('class="site-footer"')[1]
            assert region.service_centre.name in footer and not any(o.service_centre.name in footer for o in others)
            # Its links lead to this region's copies (登录, 注册, the account box's pages, the footer's texts).
            entries = "|".join(re.escape(entry) for entry in REGIONAL_PAGES.values())
            for link in re.findall(rf'(?:href|data-[a-z-]+)="((?:{entries})[^"]*)"', html):
                raise AssertionError(f"{region.slug}{entry} links the entry page {link}")


def test_the_entry_pages_forward_and_are_not_indexed(built_site) -> None:
    catalog, site = built_site
    assert {shell.url for shell in SHELLS} < set(
        REGIONAL_PAGES.values()
    )  # and 用户协议, 隐私政策, 无障碍说明, 网站地图
    for entry in REGIONAL_PAGES.values():
        html = (site / output_path(entry)).read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex">' in html
        assert "js/region-entry" in html
        assert "data-region=" not in html.split("<head>")[0]  # remembered by nobody
        for region in catalog.regions:
            assert f'href="{regional_url(region, entry)}"' in html  # without script: pick the region
    assert (
        '<meta name="portal-regions" content="210300:anshan 210100:shenyang 210200:dalian" data-default="anshan">'
        in html
    )


def test_hints_give_the_region_s_own_area_code(built_site) -> None:
    catalog, site = built_site
    for region in catalog.regions:
        html = (site / output_path(regional_url(region, "/apply/"))).read_text(encoding="utf-8")
        assert f"带区号的固定电话（区号-号码，如 {region.area_code}-XXXXXXXX）" in html, region.slug
