"""The validated catalogue every page and catalog.json is rendered from, with its query methods."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .models import AUDIENCE_CODES, Department, Guide, ItemFile, Notice, Portal, Region
from .parsing import Listing, ResultTemplate
from .urls import guide_url, notice_url

# Columns of the home page: URL segment, label, and the audience they list.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("personal", "个人办事", "自然人"),
    ("legal", "法人办事", "法人"),
)


@dataclass(frozen=True)
class Column:
    slug: str
    """URL segment: personal or legal."""
    label: str
    """个人办事 or 法人办事."""
    audience: str
    """The 服务对象 the column lists: 自然人 or 法人."""


ALL_COLUMNS = tuple(Column(*spec) for spec in COLUMNS)


@dataclass(frozen=True)
class RegionLink:
    """What every page shows of every region (站点切换): its pages depend on these facts and no others."""

    code: str
    slug: str
    name: str
    site_name: str


@dataclass(eq=False)
class DepartmentEntry:
    region: Region
    spec: Department
    parent: DepartmentEntry | None = None
    source: Path | None = None
    digest: str = ""
    """Of its own entry and its parent's: what its name and pages are made of."""

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def full_name(self) -> str:
        """市行政审批局社会事务科: the parent's name, then its own."""
        return (self.parent.full_name if self.parent else "") + self.spec.name


@dataclass(eq=False)
class SubItemEntry:
    listing: Listing
    item: ItemEntry
    source: Path
    digest: str
    """Of the guide's file and of the item defaults it was validated over."""
    load: Callable[[], tuple[Guide, str]] | None = None
    """Reads the guide and its rendered body from the build cache; None when they are held here."""
    loaded: tuple[Guide, str] | None = None
    _listing_digest: str = ""

    @property
    def code(self) -> str:
        return self.listing.code

    @property
    def guide(self) -> Guide:
        return self._content()[0]

    @property
    def body_html(self) -> str:
        """The guide's free Markdown body, rendered."""
        return self._content()[1]

    def _content(self) -> tuple[Guide, str]:
        if self.loaded is None:
            assert self.load is not None
            self.loaded = self.load()
        return self.loaded

    @property
    def listing_digest(self) -> str:
        """What list pages depend on (its listing, as text): a guide's body can change without them changing."""
        if not self._listing_digest:
            self._listing_digest = repr(self.listing)
        return self._listing_digest

    def release(self) -> None:
        """Let go of the full guide once its outputs are written; it can be read again from the cache."""
        if self.load is not None:
            self.loaded = None

    @property
    def implementing_body(self) -> str:
        return self.guide.implementing_body or self.item.department.full_name

    @property
    def audience_codes(self) -> list[str]:
        return [AUDIENCE_CODES[audience] for audience in self.listing.audiences]

    @property
    def url(self) -> str:
        return guide_url(self.item.region.slug, self.code)

    @property
    def bookable(self) -> bool:
        """预约办理 is offered: its guide asks for it and its region's service centre takes appointments."""
        return self.listing.appointment and self.item.region.service_centre.appointment is not None


@dataclass(eq=False)
class ItemEntry:
    spec: ItemFile
    """Its guide_defaults are left empty: they shaped its guides, and the build cache keeps them for their parse."""
    region: Region
    department: DepartmentEntry
    source: Path
    subitems: list[SubItemEntry] = field(default_factory=list)
    digest: str = ""
    """Of item.yaml."""
    documents: dict[str, ResultTemplate] = field(default_factory=dict)
    """Decision kind -> the 结果文书 template its sub-items use instead of the portal's (item.yaml's result_documents)."""
    documents_digest: str = ""
    """Of those template files."""

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def audiences(self) -> set[str]:
        return {audience for sub in self.subitems for audience in sub.listing.audiences}

    def subitems_for(self, audience: str) -> list[SubItemEntry]:
        return [sub for sub in self.subitems if audience in sub.listing.audiences]


@dataclass(frozen=True)
class NoticeEntry:
    """One 通知公告 of a region: content/regions/<region>/notices/<slug>.md."""

    region_slug: str
    slug: str
    """The file's name without .md: the notice's URL segment."""
    notice: Notice
    body_html: str
    digest: str
    """Of the file: what its own page is made of."""

    @property
    def url(self) -> str:
        return notice_url(self.region_slug, self.slug)

    @property
    def listing_digest(self) -> str:
        """What lists show of it (title, date, publisher, URL): its body can change without them changing."""
        return repr((self.slug, self.notice.title, self.notice.date, self.notice.publisher))


@dataclass(frozen=True)
class PolicyPage:
    """A portal-wide page written in Markdown under content/ (隐私政策, 无障碍说明)."""

    title: str
    html: str
    digest: str
    """Of its file: only its own page depends on it, not every page that carries the portal's footer."""


@dataclass(eq=False)
class Catalog:
    """Everything under content/, validated; passed explicitly to every renderer."""

    portal: Portal
    regions: list[Region]
    departments: list[DepartmentEntry]
    items: list[ItemEntry]
    files: list[str]
    """Downloadable blank forms and samples, as paths relative to content/files/."""
    documents: dict[str, ResultTemplate] = field(default_factory=dict)
    """Decision kind -> the portal's default 结果文书 template (content/documents/<kind>.md)."""
    documents_digest: str = ""
    """Of those template files."""
    portal_digest: str = ""
    """Of portal.yaml and the agreement text."""
    region_digests: dict[str, str] = field(default_factory=dict)
    """Region slug -> digest of its region.yaml."""
    file_digests: dict[str, str] = field(default_factory=dict)
    """Downloadable file -> digest of its bytes."""
    notices: dict[str, list[NoticeEntry]] = field(default_factory=dict)
    """Region slug -> its 通知公告, newest first."""
    policies: dict[str, PolicyPage] = field(default_factory=dict)
    """privacy, accessibility -> the portal's page of that name."""

    def __post_init__(self) -> None:
        # The lookups every page render makes, computed once: a province has ~100 regions and 40,000 items.
        self._departments_of: dict[str, list[DepartmentEntry]] = {}
        for dept in self.departments:
            self._departments_of.setdefault(dept.region.slug, []).append(dept)
        self._items_of: dict[int, list[ItemEntry]] = {}
        self._items_in: dict[str, list[ItemEntry]] = {}
        for item in self.items:
            self._items_of.setdefault(id(item.department), []).append(item)
            self._items_in.setdefault(item.region.slug, []).append(item)

    @property
    def region_links(self) -> list[RegionLink]:
        return [RegionLink(code=r.code, slug=r.slug, name=r.name, site_name=r.site_name) for r in self.regions]

    def region(self, slug: str) -> Region:
        return next(region for region in self.regions if region.slug == slug)

    def default_region(self) -> Region:
        return self.region(self.portal.default_region)

    def departments_of(self, region: Region) -> list[DepartmentEntry]:
        return self._departments_of.get(region.slug, [])

    def items_of(self, department: DepartmentEntry, audience: str | None = None) -> list[ItemEntry]:
        return [
            item for item in self._items_of.get(id(department), []) if audience is None or audience in item.audiences
        ]

    def column_departments(self, region: Region, column: Column) -> list[DepartmentEntry]:
        """Departments of a region with at least one item for the column's audience."""
        return [dept for dept in self.departments_of(region) if self.items_of(dept, column.audience)]

    def notices_of(self, region: Region) -> list[NoticeEntry]:
        return self.notices.get(region.slug, [])

    def hot_services(self, region: Region) -> list[SubItemEntry]:
        """The region's 热门服务 in its editors' order (the loader checked that every code is one of its sub-items)."""
        by_code = {sub.code: sub for sub in self.subitems(region)} if region.hot_services else {}
        return [by_code[code] for code in region.hot_services]

    def subitems(self, region: Region | None = None) -> list[SubItemEntry]:
        items = self.items if region is None else self._items_in.get(region.slug, [])
        return [sub for item in items for sub in item.subitems]
