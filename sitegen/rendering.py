"""Phase two of the build: turn the validated Catalog into pages (path -> HTML), without touching disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .assets import Asset
from .catalog import ALL_COLUMNS, Catalog, Column, DepartmentEntry, SubItemEntry
from .models import FIELD_TYPE_LABELS, Guide, Region

# Pages of the API-backed part of the portal; the static pages link to them.
LOGIN_URL = "/login/"
REGISTER_URL = "/register/"
APPLY_URL = "/apply/"
MY_APPLICATIONS_URL = "/my/applications/"
APPLICATION_URL = "/my/application/"  # ?id=<application id>
REVIEW_URL = "/review/"
ACCOUNT_URL = "/account/"
PASSWORD_RESET_URL = "/password-reset/"


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str | None = None


def make_environment(templates_dir: Path, assets: dict[str, Asset]) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["asset"] = lambda logical: assets[logical].url
    # Where every page links to: the URL scheme lives here, templates only call these.
    env.globals.update(
        login_url=LOGIN_URL, register_url=REGISTER_URL, account_url=ACCOUNT_URL,
        password_reset_url=PASSWORD_RESET_URL, apply_page_url=APPLY_URL, my_applications_url=MY_APPLICATIONS_URL,
        application_url=APPLICATION_URL, review_url=REVIEW_URL,
        home_url=home_url, column_url=column_url, department_url=department_url,
        contact_url=contact_url, search_url=search_url,
    )
    env.filters["working_days"] = working_days
    env.filters["file_size"] = file_size
    env.filters["field_type_label"] = FIELD_TYPE_LABELS.__getitem__
    return env


def working_days(days: int) -> str:
    """Time limits are counted in working days (《行政许可法》第八十二条); 0 means on the spot."""
    return "当场办结" if days == 0 else f"{days} 个工作日"


def file_size(megabytes: int) -> str:
    return f"{megabytes} MB"


def apply_url(region: Region, sub: SubItemEntry) -> str:
    """The application page of this sub-item, carrying region and 事项编码."""
    return f"{APPLY_URL}?{urlencode({'region': region.code, 'item': sub.code})}"


def home_url(region: Region) -> str:
    return f"/{region.slug}/"


def contact_url(region: Region) -> str:
    return f"/{region.slug}/contact/"


def search_url(region: Region) -> str:
    return f"/{region.slug}/search/"


def column_url(region: Region, column: Column) -> str:
    return f"/{region.slug}/{column.slug}/"


def department_url(region: Region, column: Column, dept: DepartmentEntry) -> str:
    return f"/{region.slug}/{column.slug}/{dept.code}/"


def render_site(catalog: Catalog, env: Environment) -> dict[str, str]:
    """Every page of the site, keyed by its path under site/."""
    pages: dict[str, str] = {}
    shared = {"portal": catalog.portal, "regions": catalog.regions, "columns": ALL_COLUMNS, "nav_section": None}
    default = catalog.default_region()
    home = Crumb("首页", home_url(default))

    def page(url: str, template: str, title: str, parents: list[Crumb] | None = None) -> None:
        """A page outside any one region: shown with the default region's header and footer."""
        path = url if url.endswith(".html") else url.lstrip("/") + "index.html"
        crumbs = [] if parents is None else [home, *parents, Crumb(title)]
        pages[path.lstrip("/")] = env.get_template(template).render(
            **shared, region=default, page_title=title, crumbs=crumbs, path=url
        )

    page("/", "root.html", catalog.portal.name)
    page("/404.html", "404.html", "页面不存在")
    page("/agreement/", "agreement.html", catalog.portal.agreement_title, [])
    # Static shells whose scripts call /api; one set serves every region (全省统一身份认证).
    my_applications = Crumb("我的申请", MY_APPLICATIONS_URL)
    for url, template, title, parents in (
        (REGISTER_URL, "register.html", "用户注册", []),
        (LOGIN_URL, "login.html", "用户登录", []),
        (ACCOUNT_URL, "account.html", "个人中心", []),
        (PASSWORD_RESET_URL, "password_reset.html", "找回密码", []),
        (APPLY_URL, "apply.html", "网上申报", [my_applications]),
        (MY_APPLICATIONS_URL, "my_applications.html", "我的申请", []),
        (APPLICATION_URL, "application.html", "办件详情", [my_applications]),
        (REVIEW_URL, "review.html", "审批工作台", []),
    ):
        page(url, template, title, parents)
    for region in catalog.regions:
        pages.update(_region_pages(catalog, env, region, shared))
    return pages


def _region_pages(catalog: Catalog, env: Environment, region: Region, shared: dict) -> dict[str, str]:
    home = Crumb("首页", home_url(region))
    pages: dict[str, str] = {}

    def page(path: str, template: str, title: str, crumbs: list[Crumb], **context) -> None:
        pages[path.lstrip("/") + "index.html"] = env.get_template(template).render(
            **{**shared, **context}, region=region, page_title=title, crumbs=[home, *crumbs] if crumbs else [],
            path=path,
        )

    page(home_url(region), "home.html", region.site_name, [], column_lists=[
        (column, catalog.column_departments(region, column)) for column in ALL_COLUMNS
    ])
    page(contact_url(region), "contact.html", "联系电话", [Crumb("联系电话")])
    page(search_url(region), "search.html", "站内搜索", [Crumb("站内搜索")])
    for column in ALL_COLUMNS:
        departments = catalog.column_departments(region, column)
        page(column_url(region, column), "column.html", column.label, [Crumb(column.label)], column=column,
             departments=[(dept, catalog.items_of(dept, column.audience)) for dept in departments])
        for dept in departments:
            page(department_url(region, column, dept), "department.html", dept.full_name,
                 [Crumb(column.label, column_url(region, column)), Crumb(dept.full_name)],
                 column=column, department=dept, items=catalog.items_of(dept, column.audience))
    for sub in catalog.subitems(region):
        column = _primary_column(sub.guide)
        dept = sub.item.department
        page(sub.url, "guide.html", sub.guide.name, [
            Crumb(column.label, column_url(region, column)),
            Crumb(dept.full_name, department_url(region, column, dept)),
            Crumb(sub.guide.name),
        ], sub=sub, guide=sub.guide, item=sub.item, department=dept, nav_section=column_url(region, column),
           apply_url=apply_url(region, sub) if sub.guide.online else None)
    return pages


def _primary_column(guide: Guide) -> Column:
    """The column a guide's breadcrumb goes through: the first audience its editors listed."""
    return next(column for column in ALL_COLUMNS if column.audience == guide.audiences[0])
