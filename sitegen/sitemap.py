"""sitemap.xml for search engines: every public page, by absolute URL."""

from __future__ import annotations

from xml.sax.saxutils import escape

# Pages no search engine should list: the error page, and the personal pages (noindex, login only).
UNLISTED = {"404.html", "account/index.html", "apply/index.html", "my/applications/index.html",
            "my/application/index.html", "review/index.html"}


def sitemap_xml(site_url: str, page_paths: list[str]) -> str:
    urls = [
        site_url.rstrip("/") + "/" + path.removesuffix("index.html")
        for path in sorted(page_paths)
        if path.endswith(".html") and path not in UNLISTED
    ]
    entries = "".join(f"  <url><loc>{escape(url)}</loc></url>\n" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )
