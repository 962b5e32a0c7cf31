"""sitemap.xml for search engines: a sitemap index, and one sitemap per region (a file may list 50,000 URLs;
a province has more pages than that, a region far fewer)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .urls import part_of

if TYPE_CHECKING:
    from .pages import Page

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
NAMESPACE = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def indexed_urls_by_part(pages: Iterable[Page], region_slugs: set[str]) -> dict[str, list[str]]:
    """The URLs of exactly the indexed pages, sorted, by sitemap: a region's slug, or the portal's part."""
    by_part: dict[str, list[str]] = {}
    for page in pages:
        if page.indexed:
            by_part.setdefault(part_of(page.url, region_slugs), []).append(page.url)
    return {part: sorted(urls) for part, urls in sorted(by_part.items())}


def sitemap_xml(site_url: str, urls: list[str]) -> str:
    """One sitemap: the pages at these site-relative URLs, by absolute URL."""
    entries = "".join(f"  <url><loc>{escape(_absolute(site_url, url))}</loc></url>\n" for url in urls)
    return f"{HEADER}<urlset {NAMESPACE}>\n{entries}</urlset>\n"


def sitemap_index_xml(site_url: str, sitemap_paths: list[str]) -> str:
    entries = "".join(
        f"  <sitemap><loc>{escape(_absolute(site_url, path))}</loc></sitemap>\n" for path in sitemap_paths
    )
    return f"{HEADER}<sitemapindex {NAMESPACE}>\n{entries}</sitemapindex>\n"


def _absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + path.lstrip("/")
