"""The pages of the site as objects that carry their facts (MkDocs's structure/pages.py `Page`)."""

from __future__ import annotations

from .urls import output_path


class Page:
    """One HTML page: its URL, where it is written, its title, and whether search engines index it.

    Templates read it as `page`; the sitemap lists exactly the indexed pages; every other page carries
    `<meta name="robots" content="noindex">`. Cheap on purpose (slots, no rendered HTML): a province keeps
    ~100,000 of them for the whole build."""

    __slots__ = ("url", "title", "indexed")

    def __init__(self, url: str, title: str, *, indexed: bool = True) -> None:
        self.url = url
        """Site-relative, e.g. /anshan/guide/210300-XK-0101-01/."""
        self.title = title
        """What the page is called in its <title> and its last breadcrumb."""
        self.indexed = indexed
        """In the sitemap and open to search engines; the signed-in shells and 404 are not."""

    @property
    def path(self) -> str:
        """Where it is written, relative to site/: anshan/guide/210300-XK-0101-01/index.html."""
        return output_path(self.url)

    def __repr__(self) -> str:
        return f"Page({self.url!r}, {self.title!r}, indexed={self.indexed})"
