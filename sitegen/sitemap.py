"""sitemap.xml for search engines: a sitemap index, and one sitemap per region (a file may list 50,000 URLs;
a province has more pages than that, a region far fewer)."""

from __future__ import annotations

from xml.sax.saxutils import escape

HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n'
NAMESPACE = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


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
