"""No two landmarks of one role share a name on a page (axe's landmark-unique): a screen reader's landmark list
must tell them apart. Checked on every page of the golden site."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

EXPECTED_SITE = Path(__file__).resolve().parents[1] / "fixtures" / "expected-site"
PAGES = sorted(EXPECTED_SITE.rglob("*.html"))

# Elements that are landmarks by themselves (header/footer only outside sectioning content, where they are the
# page's banner and contentinfo); a <section> only when it is named.
IMPLICIT_ROLES = {
    "nav": "navigation",
    "aside": "complementary",
    "main": "main",
    "header": "banner",
    "footer": "contentinfo",
}
LANDMARK_ROLES = {"navigation", "complementary", "main", "banner", "contentinfo", "region", "search", "form"}
SECTIONING = {"article", "aside", "main", "nav", "section"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Landmarks(HTMLParser):
    """The page's landmarks as (role, aria-label or aria-labelledby ids), and each element id's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []  # role, label, labelledby
        self.texts: dict[str, list[str]] = {}
        self.open_ids: list[str | None] = []
        self.open_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        role = attributes.get("role") or IMPLICIT_ROLES.get(tag, "")
        if tag in ("header", "footer") and not attributes.get("role") and SECTIONING & set(self.open_tags):
            role = ""
        named = "aria-label" in attributes or "aria-labelledby" in attributes
        if tag == "section" and not attributes.get("role"):
            role = "region" if named else ""
        if role in LANDMARK_ROLES and (role != "form" or named):
            self.found.append((role, attributes.get("aria-label", ""), attributes.get("aria-labelledby", "")))
        if tag not in VOID:
            self.open_tags.append(tag)
            self.open_ids.append(attributes.get("id"))
            if attributes.get("id"):
                self.texts.setdefault(attributes["id"], [])

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.open_ids:
            self.open_ids.pop()
            self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        for element_id in self.open_ids:
            if element_id:
                self.texts[element_id].append(data)

    def names(self) -> list[tuple[str, str]]:
        """Each landmark's role and accessible name (aria-labelledby over aria-label, as browsers compute it)."""
        named = []
        for role, label, labelledby in self.found:
            if labelledby:
                label = " ".join("".join(self.texts.get(ref, [])).strip() for ref in labelledby.split())
            named.append((role, " ".join(label.split())))
        return named


def landmark_names(html: str) -> list[tuple[str, str]]:
    parser = Landmarks()
    parser.feed(html)
    return parser.names()


def test_the_parser_finds_named_and_unnamed_landmarks() -> None:
    html = (
        '<header></header><nav aria-label="主导航"></nav><main><section aria-labelledby="t"><h2 id="t">办理流程</h2>'
        '<header><h3>一</h3></header></section><section></section><div role="region" aria-label="表格"></div></main><footer></footer>'
    )
    assert landmark_names(html) == [
        ("banner", ""),
        ("navigation", "主导航"),
        ("main", ""),
        ("region", "办理流程"),
        ("region", "表格"),
        ("contentinfo", ""),
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(EXPECTED_SITE)))
def test_no_two_landmarks_of_a_role_share_a_name(page: Path) -> None:
    counts = Counter(landmark_names(page.read_text(encoding="utf-8")))
    assert [landmark for landmark, count in counts.items() if count > 1] == []
