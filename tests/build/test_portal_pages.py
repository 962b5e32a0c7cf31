"""The pages outside every region (/, 404.html, the entry pages) are the portal's: its brand, support lines, 12345
and marks, never the default region's header, navigation, service centre or numbers (issue 14)."""

from __future__ import annotations

import pytest

from sitegen.urls import NOT_FOUND_URL, REGIONAL_PAGES, ROOT_URL, output_path


def _outside_pages() -> list[str]:
    return [ROOT_URL, NOT_FOUND_URL, *REGIONAL_PAGES.values()]


@pytest.mark.parametrize("url", _outside_pages())
def test_a_page_outside_every_region_shows_the_portal_not_a_region(built_site, url: str) -> None:
    catalog, site = built_site
    html = (site / output_path(url)).read_text(encoding="utf-8")
    header = html.split("<header")[1].split("</header>")[0]
    footer = html.split("<footer")[1].split("</footer>")[0]
    portal = catalog.portal
    assert f'<a class="brand" href="{ROOT_URL}">' in header
    assert f'<span class="brand-site">{portal.name}</span>' in header
    assert 'aria-current="true"' not in header  # no region is current in 站点切换
    assert 'class="main-nav"' not in header and 'role="search"' not in header
    for region in catalog.regions:
        # A region is named only in 站点切换, never as the page's own site.
        assert header.count(region.site_name) == 1, (url, region.slug)
        assert region.service_centre.name not in footer, (url, region.slug)
        assert f"/{region.slug}/" not in footer, (url, region.slug)
    assert f'href="tel:{portal.hotline}"' in footer
    assert portal.marks.sponsor and f"<dd>{portal.marks.sponsor}</dd>" in footer
    assert '<html lang="zh-CN">' in html  # remembered by nobody (js/lib/regions.js reads data-region)


def test_the_404_title_names_the_portal_and_offers_every_region(built_site) -> None:
    catalog, site = built_site
    html = (site / output_path(NOT_FOUND_URL)).read_text(encoding="utf-8")
    assert f"<title>页面不存在 - {catalog.portal.name}</title>" in html
    assert '<a class="button button-primary" id="not-found-home" href="/">返回首页</a>' in html
    for region in catalog.regions:
        assert f'data-region-home="{region.slug}" data-search="/{region.slug}/search/">{region.site_name}</a>' in html
    assert "js/pages/not-found" in html


def test_a_region_s_page_keeps_its_own_header_and_footer(built_site) -> None:
    catalog, site = built_site
    region = catalog.regions[1]
    html = (site / output_path(f"/{region.slug}/")).read_text(encoding="utf-8")
    assert f'<a class="brand" href="/{region.slug}/">' in html and 'class="main-nav"' in html
    assert region.service_centre.name in html.split("<footer")[1]
