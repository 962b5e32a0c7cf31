"""Every region has its own copy of the API-backed pages, with its own header, footer and links; the bare paths
are entry pages that forward to a region's copy (issue 14)."""

from __future__ import annotations

import re

from sitegen.rendering import SHELLS
from sitegen.urls import output_path, personal_url


def test_each_region_has_its_own_copy_of_every_personal_page(built_site) -> None:
    catalog, site = built_site
    for region in catalog.regions:
        others = [r for r in catalog.regions if r is not region]
        for shell in SHELLS:
            html = (site / output_path(personal_url(region, shell.url))).read_text(encoding="utf-8")
            assert f'<html lang="zh-CN" data-region="{region.slug}">' in html, (region.slug, shell.url)
            assert f'<span class="brand-site">{region.site_name}</span>' in html
            footer = html.split('class="site-footer"')[1]
            assert region.service_centre.name in footer and not any(o.service_centre.name in footer for o in others)
            # Its links lead to this region's copies: 登录, 注册 and the account box's pages.
            for link in re.findall(
                r'(?:href|data-[a-z-]+)="(/(?:login|register|account|my|review|apply)/[^"]*)"', html
            ):
                raise AssertionError(f"{region.slug}{shell.url} links the entry page {link}")


def test_the_entry_pages_forward_and_are_not_indexed(built_site) -> None:
    catalog, site = built_site
    for shell in SHELLS:
        html = (site / output_path(shell.url)).read_text(encoding="utf-8")
        assert '<meta name="robots" content="noindex">' in html
        assert "js/region-entry" in html
        assert "data-region=" not in html.split("<head>")[0]  # remembered by nobody
        for region in catalog.regions:
            assert f'href="{personal_url(region, shell.url)}"' in html  # without script: pick the region
    assert (
        '<meta name="portal-regions" content="210300:anshan 210100:shenyang 210200:dalian" data-default="anshan">'
        in html
    )
