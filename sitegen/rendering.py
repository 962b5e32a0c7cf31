"""Phase two of the build: the pages of the validated Catalog, each with what it depends on, rendered on demand."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .assets import Asset
from .cache import digest
from .catalog import ALL_COLUMNS, Catalog, Column, DepartmentEntry, ItemEntry, SubItemEntry
from .models import FIELD_TYPE_LABELS, Region
from .outputs import Output

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
        login_url=LOGIN_URL,
        register_url=REGISTER_URL,
        account_url=ACCOUNT_URL,
        password_reset_url=PASSWORD_RESET_URL,
        apply_page_url=APPLY_URL,
        my_applications_url=MY_APPLICATIONS_URL,
        application_url=APPLICATION_URL,
        review_url=REVIEW_URL,
        home_url=home_url,
        column_url=column_url,
        department_url=department_url,
        contact_url=contact_url,
        search_url=search_url,
        search_bundle_url=search_bundle_url,
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
    # Both are URL-safe by their patterns (six digits; CODE_PATTERN), so they need no quoting.
    return f"{APPLY_URL}?region={region.code}&item={sub.code}"


def home_url(region: Region) -> str:
    return f"/{region.slug}/"


def contact_url(region: Region) -> str:
    return f"/{region.slug}/contact/"


def search_url(region: Region) -> str:
    return f"/{region.slug}/search/"


def search_bundle_url(region: Region) -> str:
    """This region's pagefind index (sitegen.search_index writes one per region)."""
    return f"/{region.slug}/pagefind/"


def column_url(region: Region, column: Column) -> str:
    return f"/{region.slug}/{column.slug}/"


def department_url(region: Region, column: Column, dept: DepartmentEntry) -> str:
    return f"/{region.slug}/{column.slug}/{dept.code}/"


def page_outputs(catalog: Catalog, env: Environment) -> Iterator[Output]:
    """Every page of the site, each with the digests of what it is rendered from (not rendered yet)."""
    links_digest = digest(repr(catalog.region_links))
    shared = {"portal": catalog.portal, "regions": catalog.region_links, "columns": ALL_COLUMNS, "nav_section": None}
    default = catalog.default_region()
    outside = (catalog.portal_digest, catalog.region_digests[default.slug], links_digest)
    home = Crumb("首页", home_url(default))

    def page(url: str, template: str, title: str, parents: list[Crumb] | None = None, listed: bool = True) -> Output:
        """A page outside any one region: shown with the default region's header and footer."""
        path = url if url.endswith(".html") else url.lstrip("/") + "index.html"
        crumbs = [] if parents is None else [home, *parents, Crumb(title)]
        context = dict(shared, region=default, page_title=title, crumbs=crumbs, path=url, listed=listed)
        return Output(path.lstrip("/"), outside, _renderer(env, template, context), url=url, listed=listed)

    yield page("/", "root.html", catalog.portal.name)
    yield page("/404.html", "404.html", "页面不存在", listed=False)
    yield page("/agreement/", "agreement.html", catalog.portal.agreement_title, [])
    # Static shells whose scripts call /api; one set serves every region (全省统一身份认证).
    my_applications = Crumb("我的申请", MY_APPLICATIONS_URL)
    for url, template, title, parents, listed in (
        (REGISTER_URL, "register.html", "用户注册", [], True),
        (LOGIN_URL, "login.html", "用户登录", [], True),
        (ACCOUNT_URL, "account.html", "个人中心", [], False),
        (PASSWORD_RESET_URL, "password_reset.html", "找回密码", [], True),
        (APPLY_URL, "apply.html", "网上申报", [my_applications], False),
        (MY_APPLICATIONS_URL, "my_applications.html", "我的申请", [], False),
        (APPLICATION_URL, "application.html", "办件详情", [my_applications], False),
        (REVIEW_URL, "review.html", "审批工作台", [], False),
    ):
        yield page(url, template, title, parents, listed)
    for region in catalog.regions:
        base = (catalog.portal_digest, catalog.region_digests[region.slug], links_digest)
        yield from _region_pages(catalog, env, region, shared, base)


def _renderer(
    env: Environment, template: str, context: dict, late: Callable[[], dict] | None = None
) -> Callable[[], str]:
    """Renders when the writer asks; `late` adds what must not be read before then (a guide from the cache)."""
    return lambda: env.get_template(template).render(**context, **(late() if late else {}))


def _listing_digests(items: list[ItemEntry], audience: str) -> list[str]:
    """What a list page shows of its items: each item's file and its sub-items' listings for the audience."""
    return [
        part for item in items for part in (item.digest, *(sub.listing_digest for sub in item.subitems_for(audience)))
    ]


def _region_pages(
    catalog: Catalog, env: Environment, region: Region, shared: dict, base: tuple[str, ...]
) -> Iterator[Output]:
    home = Crumb("首页", home_url(region))

    def page(
        url: str,
        template: str,
        title: str,
        crumbs: list[Crumb],
        deps: tuple[str, ...] = (),
        guide_of: SubItemEntry | None = None,
        **context,
    ) -> Output:
        """guide_of: the sub-item whose full guide the page shows, read from the cache when it renders."""
        context = {
            **shared,
            **context,
            "region": region,
            "page_title": title,
            "crumbs": [home, *crumbs] if crumbs else [],
            "path": url,
            "listed": True,
        }
        sub = guide_of
        late = (lambda: {"guide": sub.guide}) if sub else None
        return Output(
            url.lstrip("/") + "index.html",
            base + deps,
            _renderer(env, template, context, late),
            url=url,
            listed=True,
            subs=(sub,) if sub else (),
        )

    column_lists = [(column, catalog.column_departments(region, column)) for column in ALL_COLUMNS]
    column_deps = {
        column.slug: tuple(
            part
            for dept in departments
            for part in (dept.digest, *_listing_digests(catalog.items_of(dept, column.audience), column.audience))
        )
        for column, departments in column_lists
    }
    yield page(
        home_url(region),
        "home.html",
        region.site_name,
        [],
        tuple(column_deps["personal"]) + ("|",) + tuple(column_deps["legal"]),
        column_lists=column_lists,
    )
    yield page(contact_url(region), "contact.html", "联系电话", [Crumb("联系电话")])
    yield page(search_url(region), "search.html", "站内搜索", [Crumb("站内搜索")])
    for column, departments in column_lists:
        yield page(
            column_url(region, column),
            "column.html",
            column.label,
            [Crumb(column.label)],
            column_deps[column.slug],
            column=column,
            departments=[(dept, catalog.items_of(dept, column.audience)) for dept in departments],
        )
        for dept in departments:
            items = catalog.items_of(dept, column.audience)
            yield page(
                department_url(region, column, dept),
                "department.html",
                dept.full_name,
                [Crumb(column.label, column_url(region, column)), Crumb(dept.full_name)],
                (dept.digest, *_listing_digests(items, column.audience)),
                column=column,
                department=dept,
                items=items,
            )
    for sub in catalog.subitems(region):
        column = _primary_column(sub.listing.audiences)
        dept = sub.item.department
        yield page(
            sub.url,
            "guide.html",
            sub.listing.name,
            [
                Crumb(column.label, column_url(region, column)),
                Crumb(dept.full_name, department_url(region, column, dept)),
                Crumb(sub.listing.name),
            ],
            (dept.digest, sub.item.digest, sub.digest),
            sub,
            sub=sub,
            item=sub.item,
            department=dept,
            nav_section=column_url(region, column),
            apply_url=apply_url(region, sub) if sub.listing.online else None,
        )


_COLUMN_OF = {column.audience: column for column in ALL_COLUMNS}


def _primary_column(audiences: tuple[str, ...]) -> Column:
    """The column a guide's breadcrumb goes through: the first audience its editors listed."""
    return _COLUMN_OF[audiences[0]]
