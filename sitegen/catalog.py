"""The validated catalogue every page and catalog.json is rendered from, with its query methods."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .models import AUDIENCE_CODES, Department, Guide, ItemFile, Portal, Region

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


@dataclass(eq=False)
class DepartmentEntry:
    region: Region
    spec: Department
    parent: DepartmentEntry | None = None
    source: Path | None = None

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def full_name(self) -> str:
        """市行政审批局社会事务科: the parent's name, then its own."""
        return (self.parent.full_name if self.parent else "") + self.spec.name


@dataclass(eq=False)
class SubItemEntry:
    guide: Guide
    item: ItemEntry
    body_html: str
    """The guide's free Markdown body, rendered."""
    source: Path

    @property
    def code(self) -> str:
        return self.guide.code

    @property
    def implementing_body(self) -> str:
        return self.guide.implementing_body or self.item.department.full_name

    @property
    def audience_codes(self) -> list[str]:
        return [AUDIENCE_CODES[audience] for audience in self.guide.audiences]

    @property
    def url(self) -> str:
        return f"/{self.item.region.slug}/guide/{self.code}/"


@dataclass(eq=False)
class ItemEntry:
    spec: ItemFile
    region: Region
    department: DepartmentEntry
    source: Path
    subitems: list[SubItemEntry] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def audiences(self) -> set[str]:
        return {audience for sub in self.subitems for audience in sub.guide.audiences}

    def subitems_for(self, audience: str) -> list[SubItemEntry]:
        return [sub for sub in self.subitems if audience in sub.guide.audiences]


@dataclass(eq=False)
class Catalog:
    """Everything under content/, validated; passed explicitly to every renderer."""

    portal: Portal
    regions: list[Region]
    departments: list[DepartmentEntry]
    items: list[ItemEntry]
    files: list[str]
    """Downloadable blank forms and samples, as paths relative to content/files/."""

    def region(self, slug: str) -> Region:
        return next(region for region in self.regions if region.slug == slug)

    def default_region(self) -> Region:
        return self.region(self.portal.default_region)

    def departments_of(self, region: Region) -> list[DepartmentEntry]:
        return [dept for dept in self.departments if dept.region is region]

    def items_of(self, department: DepartmentEntry, audience: str | None = None) -> list[ItemEntry]:
        return [
            item for item in self.items
            if item.department is department and (audience is None or audience in item.audiences)
        ]

    def column_departments(self, region: Region, column: Column) -> list[DepartmentEntry]:
        """Departments of a region with at least one item for the column's audience."""
        return [dept for dept in self.departments_of(region) if self.items_of(dept, column.audience)]

    def subitems(self, region: Region | None = None) -> list[SubItemEntry]:
        return [
            sub for item in self.items if region is None or item.region is region for sub in item.subitems
        ]
