"""Facts with provenance (issue 14): no invented phone number on any page, illustrative facts labelled as such.

The sample content publishes a number only with the public source it was seen in (or a nationwide 12xxx service
number); where none was found, pages point to the region's 12345 hotline."""

from __future__ import annotations

import re

from sitegen.models import is_service_number

TEL = re.compile(r'href="tel:([^"]+)"')
LABEL = "（示例信息，请以现场公布为准）"


def _sourced_numbers(catalog) -> set[str]:
    """Every number the content publishes with its source."""
    numbers = {c.phone for c in catalog.portal.support_contacts if c.source}
    for region in catalog.regions:
        numbers |= {c.phone for c in region.support_contacts if c.source}
        if region.service_centre.phone_source:
            numbers.add(region.service_centre.phone)
        numbers |= {d.spec.phone for d in catalog.departments_of(region) if d.spec.phone_source}
    numbers |= {s.guide.consult_phone for s in catalog.subitems() if s.guide.consult_phone_source}
    return {re.sub(r"[\s-]", "", n) for n in numbers if n}


def test_every_number_on_every_page_is_a_service_number_or_published(built_site) -> None:
    catalog, site = built_site
    sourced = _sourced_numbers(catalog)
    seen = set()
    for page in site.rglob("*.html"):
        for number in TEL.findall(page.read_text(encoding="utf-8")):
            digits = number.replace("-", "")
            seen.add(digits)
            assert is_service_number(number) or digits in sourced, (page.relative_to(site).as_posix(), number)
    # The one source of the sample: the technical-support lines in 鞍山's own user guide, both shown.
    assert sourced == {"04125591290", "04125591161"} <= seen
    assert "12345" in seen


def test_a_region_without_published_support_lines_points_to_the_hotline(built_site) -> None:
    _, site = built_site
    contact = (site / "shenyang/contact/index.html").read_text(encoding="utf-8")
    assert "沈阳市的网上申报技术支持电话暂未公布" in contact
    assert 'href="tel:12345"' in contact
    footer = (site / "shenyang/index.html").read_text(encoding="utf-8").split('class="site-footer"')[1]
    assert "辽宁政务服务网运行维护（省级）" in footer  # the province's line stands in for the city's
    assert not re.search(r"tel:0(412|411|24)", footer)


def test_illustrative_hours_and_addresses_are_labelled_on_screen(built_site) -> None:
    catalog, site = built_site
    for region in catalog.regions:
        centre = region.service_centre
        home = re.sub(r"<[^>]+>", "", (site / region.slug / "index.html").read_text(encoding="utf-8"))
        for kind, value in (("hours", centre.hours), ("address", centre.address)):
            labelled = value + LABEL in home
            assert labelled == (kind in centre.illustrative), (region.slug, kind)
    guide = next(s for s in catalog.subitems() if not s.guide.consult_phone)
    text = re.sub(r"<[^>]+>", "", (site / guide.url.lstrip("/") / "index.html").read_text(encoding="utf-8"))
    assert re.search(r"咨询电话\s*12345（政务服务便民热线）", text)
