"""The URL scheme of the site, in one place: every page's and file's URL, and where each is written under site/.

Rendering, the sitemap, catalog.json and the templates (through the environment's globals) ask here; nothing
else spells a URL. URLs are site-relative; a folder URL (`/anshan/guide/X/`) is served from its `index.html`.
Region slugs, department codes and 事项编码 are URL-safe by their patterns (SLUG_PATTERN, CODE_PATTERN), so
nothing here quotes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalog import Column, DepartmentEntry
    from .models import Region

ROOT_URL = "/"
NOT_FOUND_URL = "/404.html"
AGREEMENT_URL = "/agreement/"
PRIVACY_URL = "/privacy/"  # 隐私政策
ACCESSIBILITY_URL = "/accessibility/"  # 无障碍说明
SITE_MAP_URL = "/sitemap/"  # 网站地图: the HTML page for people (sitemap.xml is for search engines)
FILES_URL = "/files/"
"""Blank forms and samples, copied from content/files/ under the same names."""

# Pages of the API-backed part of the portal. Each region has its own copy under its folder (/anshan/login/), so a
# Shenyang application is shown with Shenyang's header, footer and contacts (regional_url); the bare paths below
# (and the texts' above) are entry pages that forward to the region in the query (?region=) or the one last visited.
LOGIN_URL = "/login/"
REGISTER_URL = "/register/"
APPLY_URL = "/apply/"
MY_APPLICATIONS_URL = "/my/applications/"
APPLICATION_URL = "/my/application/"  # ?id=<application id>
REVIEW_URL = "/review/"
ACCOUNT_URL = "/account/"
PASSWORD_RESET_URL = "/password-reset/"
PROGRESS_URL = "/progress/"  # 办件进度查询: public, no login
MESSAGES_URL = "/my/messages/"  # 消息中心
MY_APPOINTMENTS_URL = "/my/appointments/"  # 我的预约
MY_MATERIALS_URL = "/my/materials/"  # 我的材料
BOOK_APPOINTMENT_URL = "/my/appointments/new/"  # 预约办理: ?region=<region code>&item=<事项编码>
VERIFY_URL = "/verify/"  # 文书核验: public; the QR code on every 结果文书 points here (functions.document_issuing)

GUIDE_SEGMENT = "guide"
"""The folder of a region's guide pages: /<region>/guide/<事项编码>/."""
PORTAL_PART = "portal"
"""What a URL outside every region belongs to (its sitemap's name)."""


def output_path(url: str) -> str:
    """Where the page or file at this URL is written, relative to site/: a folder URL's index.html."""
    path = url.lstrip("/")
    return path + "index.html" if url.endswith("/") else path


def file_url(name: str) -> str:
    """A downloadable file, by its path relative to content/files/."""
    return FILES_URL + name


def home_url(region: Region) -> str:
    return f"/{region.slug}/"


def contact_url(region: Region) -> str:
    return f"/{region.slug}/contact/"


def haochaping_url(region: Region) -> str:
    """The region's published 好差评: a static shell filled from GET /api/evaluations/stats."""
    return f"/{region.slug}/haochaping/"


def search_url(region: Region) -> str:
    return f"/{region.slug}/search/"


def search_bundle_url(region: Region) -> str:
    """This region's pagefind index (sitegen.search_index writes one per region)."""
    return f"/{region.slug}/pagefind/"


NAMES_SEGMENT = "names"
"""The folder of a region's names index (sitegen.names_index): /<region>/names/."""


def names_index_url(region: Region) -> str:
    """This region's names index, which answers a search for an item's name before pagefind is loaded."""
    return f"/{region.slug}/{NAMES_SEGMENT}/"


def notices_url(region: Region) -> str:
    """The region's 通知公告 list."""
    return f"/{region.slug}/notices/"


def notice_url(region_slug: str, slug: str) -> str:
    return f"/{region_slug}/notices/{slug}/"


def column_url(region: Region, column: Column) -> str:
    return f"/{region.slug}/{column.slug}/"


def department_url(region: Region, column: Column, dept: DepartmentEntry) -> str:
    return f"/{region.slug}/{column.slug}/{dept.code}/"


def guide_url(region_slug: str, code: str) -> str:
    return f"/{region_slug}/{GUIDE_SEGMENT}/{code}/"


REGIONAL_PAGES = {
    "login_url": LOGIN_URL,
    "register_url": REGISTER_URL,
    "account_url": ACCOUNT_URL,
    "password_reset_url": PASSWORD_RESET_URL,
    "progress_url": PROGRESS_URL,
    "messages_url": MESSAGES_URL,
    "my_appointments_url": MY_APPOINTMENTS_URL,
    "my_materials_url": MY_MATERIALS_URL,
    "verify_url": VERIFY_URL,
    "apply_page_url": APPLY_URL,
    "my_applications_url": MY_APPLICATIONS_URL,
    "application_url": APPLICATION_URL,
    "review_url": REVIEW_URL,
    "book_appointment_page_url": BOOK_APPOINTMENT_URL,
    "agreement_url": AGREEMENT_URL,
    "privacy_url": PRIVACY_URL,
    "accessibility_url": ACCESSIBILITY_URL,
    "site_map_url": SITE_MAP_URL,
}
"""Pages every region has its own copy of, by the templates' names for them and their entry URLs: the API-backed
ones and the portal-wide texts (用户协议, 隐私政策, 无障碍说明, 网站地图), so a visitor never leaves the region's site."""


def regional_url(region: Region, entry: str) -> str:
    """A region's own copy of a page of REGIONAL_PAGES: /anshan/login/ for LOGIN_URL."""
    return f"/{region.slug}{entry}"


def regional_urls(region: Region) -> dict[str, str]:
    """What a region's pages link the pages of REGIONAL_PAGES with: that region's copies."""
    return {name: regional_url(region, entry) for name, entry in REGIONAL_PAGES.items()}


def apply_url(region: Region, code: str) -> str:
    """The region's application page of a sub-item, carrying region and 事项编码."""
    return f"{regional_url(region, APPLY_URL)}?region={region.code}&item={code}"


def book_appointment_url(region: Region, code: str) -> str:
    """The 预约办理 page of a sub-item, carrying region and 事项编码 like the application page."""
    return f"{regional_url(region, BOOK_APPOINTMENT_URL)}?region={region.code}&item={code}"


def part_of(url: str, region_slugs: set[str] | frozenset[str]) -> str:
    """The region slug a URL lies under, or PORTAL_PART for a page outside every region."""
    first = url.strip("/").split("/")[0]
    return first if first in region_slugs else PORTAL_PART


def guide_region(path: str) -> str | None:
    """The region of the guide page written at this path under site/ (<region>/guide/.../index.html), or None."""
    parts = path.split("/")
    return parts[0] if len(parts) > 2 and parts[1] == GUIDE_SEGMENT and parts[-1].endswith(".html") else None


def template_globals() -> dict[str, object]:
    """What templates link with: they call these and spell no URL themselves."""
    # Pages outside every region link the entry pages; a region's pages get its own copies (regional_urls).
    return {
        **REGIONAL_PAGES,
        "root_url": ROOT_URL,
        "regional_url": regional_url,
        "notices_url": notices_url,
        "file_url": file_url,
        "home_url": home_url,
        "column_url": column_url,
        "department_url": department_url,
        "contact_url": contact_url,
        "haochaping_url": haochaping_url,
        "search_url": search_url,
        "search_bundle_url": search_bundle_url,
        "names_index_url": names_index_url,
    }
