"""Phase two of the build: the pages of the validated Catalog, each with what it depends on, rendered on demand."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .assets import Asset
from .cache import digest
from .catalog import ALL_COLUMNS, Catalog, Column, DepartmentEntry, ItemEntry, SubItemEntry
from .models import FIELD_TYPE_LABELS, FormField, Region
from .outputs import Output
from .pages import Page
from .urls import (
    ACCESSIBILITY_URL,
    ACCOUNT_URL,
    AGREEMENT_URL,
    APPLICATION_URL,
    APPLY_URL,
    BOOK_APPOINTMENT_URL,
    LOGIN_URL,
    MESSAGES_URL,
    MY_APPLICATIONS_URL,
    MY_APPOINTMENTS_URL,
    MY_MATERIALS_URL,
    NOT_FOUND_URL,
    PASSWORD_RESET_URL,
    PRIVACY_URL,
    PROGRESS_URL,
    REGISTER_URL,
    REVIEW_URL,
    ROOT_URL,
    SITE_MAP_URL,
    VERIFY_URL,
    apply_url,
    book_appointment_url,
    column_url,
    contact_url,
    department_url,
    haochaping_url,
    home_url,
    notices_url,
    regional_url,
    regional_urls,
    search_url,
    template_globals,
)

Context = dict[str, Any]
"""What a template renders with."""


@dataclass(frozen=True)
class Shell:
    """A static page whose script does its work through /api; each region has a copy (urls.regional_url)."""

    url: str
    """Its entry URL (urls.REGIONAL_PAGES), which forwards to a region's copy."""
    template: str
    title: str
    parents: tuple[str, ...] = ()
    """Entry URLs of the shells above it in the breadcrumb."""
    indexed: bool = True
    """Signed-in pages show nothing worth finding by search."""


SHELLS = (
    Shell(REGISTER_URL, "register.html", "用户注册"),
    Shell(LOGIN_URL, "login.html", "用户登录"),
    Shell(ACCOUNT_URL, "account.html", "个人中心", indexed=False),
    Shell(PASSWORD_RESET_URL, "password_reset.html", "找回密码"),
    Shell(PROGRESS_URL, "progress.html", "办件进度查询"),
    Shell(VERIFY_URL, "verify.html", "文书核验"),
    Shell(APPLY_URL, "apply.html", "网上申报", (MY_APPLICATIONS_URL,), indexed=False),
    Shell(MY_APPLICATIONS_URL, "my_applications.html", "我的申请", indexed=False),
    Shell(MESSAGES_URL, "messages.html", "消息中心", indexed=False),
    Shell(MY_APPOINTMENTS_URL, "my_appointments.html", "我的预约", indexed=False),
    Shell(MY_MATERIALS_URL, "my_materials.html", "我的材料", indexed=False),
    Shell(BOOK_APPOINTMENT_URL, "appointment_new.html", "预约办理", (MY_APPOINTMENTS_URL,), indexed=False),
    Shell(APPLICATION_URL, "application.html", "办件详情", (MY_APPLICATIONS_URL,), indexed=False),
    Shell(REVIEW_URL, "review.html", "审批工作台", indexed=False),
)
SHELL_TITLES = {shell.url: shell.title for shell in SHELLS}

HOME_NOTICES = 5
"""通知公告 on a region's home page: the newest ones; the list page has them all."""


@dataclass(frozen=True)
class ColumnChoice:
    """A crumb as one column (个人办事 or 法人办事) gives it."""

    column: str
    """The column's URL segment: personal or legal."""
    label: str
    url: str


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str | None = None
    choices: tuple[ColumnChoice, ...] = ()
    """A guide in both columns is rendered once, so the column the visitor came from is decided in the browser
    (js/column-crumbs.js). With a url the crumb keeps its label and the script swaps in the column's url; without
    one the page names every choice ("个人办事 / 法人办事") until the script keeps one."""


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
    # Where every page links to: the URL scheme lives in sitegen.urls, templates only call these.
    env.globals.update(template_globals())
    env.filters["working_days"] = working_days
    env.filters["file_size"] = file_size
    env.filters["validity"] = validity
    env.filters["chinese_date"] = chinese_date
    env.filters["field_type_label"] = FIELD_TYPE_LABELS.__getitem__
    env.filters["field_notes"] = field_notes
    return env


def working_days(days: int) -> str:
    """Time limits are counted in working days (《行政许可法》第八十二条); 0 means on the spot."""
    return "当场办结" if days == 0 else f"{days} 个工作日"


def file_size(megabytes: int) -> str:
    return f"{megabytes} MB"


def chinese_date(day: datetime.date) -> str:
    """2026年12月2日, as government notices date themselves."""
    return f"{day.year}年{day.month}月{day.day}日"


def field_notes(field: FormField) -> list[str]:
    """What the guide says of filling a field in: its help, and a date field's limits (the API enforces them)."""
    limits = [
        f"{word}{'填写当天' if bound == 'today' else chinese_date(datetime.date.fromisoformat(bound))}"
        for word, bound in (("不早于", field.not_before), ("不晚于", field.not_after))
        if bound
    ]
    return [note for note in (field.help, "、".join(limits)) if note]


def validity(days: int) -> str:
    """A material's valid_days as people say it: 365 → 1 年, 180 → 6 个月, 15 → 15 天."""
    if days % 365 == 0:
        return f"{days // 365} 年"
    if days % 30 == 0:
        return f"{days // 30} 个月"
    return f"{days} 天"


def page_outputs(catalog: Catalog, env: Environment) -> Iterator[Output]:
    """Every page of the site, each with the digests of what it is rendered from (not rendered yet)."""
    links_digest = digest(repr(catalog.region_links))
    shared = {"portal": catalog.portal, "regions": catalog.region_links, "columns": ALL_COLUMNS, "nav_section": None}
    default = catalog.default_region()
    outside = (catalog.portal_digest, catalog.region_digests[default.slug], links_digest)
    home = Crumb("首页", home_url(default))

    def page(
        url: str,
        template: str,
        title: str,
        parents: list[Crumb] | None = None,
        indexed: bool = True,
        deps: tuple[str, ...] = (),
        **extra: Any,
    ) -> Output:
        """A page outside any one region: shown with the default region's header and footer."""
        facts = Page(url, title, indexed=indexed)
        crumbs = [] if parents is None else [home, *parents, Crumb(title)]
        context = dict(shared, **extra, region=default, page_region=None, page=facts, crumbs=crumbs)
        return Output(facts.path, outside + deps, _renderer(env, template, context), page=facts)

    yield page(ROOT_URL, "root.html", catalog.portal.name)
    yield page(NOT_FOUND_URL, "404.html", "页面不存在", indexed=False)
    # The entry pages of what each region has its own copy of: each forwards to one (js/region-entry.js).
    for url, title in (*((shell.url, shell.title) for shell in SHELLS), *_texts(catalog).items()):
        yield page(url, "region_entry.html", title, None, indexed=False, entry=url)
    for region in catalog.regions:
        base = (catalog.portal_digest, catalog.region_digests[region.slug], links_digest)
        yield from _region_pages(catalog, env, region, {**shared, **regional_urls(region)}, base)


def _texts(catalog: Catalog) -> dict[str, str]:
    """The portal-wide texts each region has its own copy of, by URL: their titles."""
    return {
        AGREEMENT_URL: catalog.portal.agreement_title,
        PRIVACY_URL: catalog.policies["privacy"].title,
        ACCESSIBILITY_URL: catalog.policies["accessibility"].title,
        SITE_MAP_URL: "网站地图",
    }


def _text_pages(catalog: Catalog, region: Region, page: Callable[..., Output]) -> Iterator[Output]:
    """The region's copies of 用户协议, 隐私政策, 无障碍说明 and 网站地图."""
    titles = _texts(catalog)
    yield page(
        regional_url(region, AGREEMENT_URL), "agreement.html", titles[AGREEMENT_URL], [Crumb(titles[AGREEMENT_URL])]
    )
    for url, name in ((PRIVACY_URL, "privacy"), (ACCESSIBILITY_URL, "accessibility")):
        policy = catalog.policies[name]
        yield page(
            regional_url(region, url),
            "policy.html",
            policy.title,
            [Crumb(policy.title)],
            (policy.digest,),
            policy=policy,
        )
    # 网站地图: every region's columns and their departments, not their guides (a province has 100,000 of those:
    # the department pages list them); it depends on those names only.
    site_map = [
        (other, [(column, catalog.column_departments(other, column)) for column in ALL_COLUMNS])
        for other in catalog.regions
    ]
    names = repr(
        [
            (other.slug, [(column.slug, [(dept.code, dept.full_name) for dept in depts]) for column, depts in lists])
            for other, lists in site_map
        ]
    )
    title = titles[SITE_MAP_URL]
    yield page(
        regional_url(region, SITE_MAP_URL), "site_map.html", title, [Crumb(title)], (digest(names),), site_map=site_map
    )


def _renderer(
    env: Environment, template: str, context: Context, late: Callable[[], Context] | None = None
) -> Callable[[], str]:
    """Renders when the writer asks; `late` adds what must not be read before then (a guide from the cache)."""
    return lambda: env.get_template(template).render(**context, **(late() if late else {}))


def _listing_digests(items: list[ItemEntry], audience: str) -> list[str]:
    """What a list page shows of its items: each item's file and its sub-items' listings for the audience."""
    return [
        part for item in items for part in (item.digest, *(sub.listing_digest for sub in item.subitems_for(audience)))
    ]


def _region_pages(
    catalog: Catalog, env: Environment, region: Region, shared: Context, base: tuple[str, ...]
) -> Iterator[Output]:
    home = Crumb("首页", home_url(region))

    def page(
        url: str,
        template: str,
        title: str,
        crumbs: list[Crumb],
        deps: tuple[str, ...] = (),
        guide_of: SubItemEntry | None = None,
        indexed: bool = True,
        **context: Any,
    ) -> Output:
        """guide_of: the sub-item whose full guide the page shows, read from the cache when it renders."""
        facts = Page(url, title, indexed=indexed)
        context = {
            **shared,
            **context,
            "region": region,
            "page_region": region,
            "page": facts,
            "crumbs": [home, *crumbs] if crumbs else [],
        }
        sub = guide_of
        late = (lambda: {"guide": sub.guide}) if sub else None
        return Output(
            facts.path, base + deps, _renderer(env, template, context, late), page=facts, subs=(sub,) if sub else ()
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
    hot_services = catalog.hot_services(region)
    notices = catalog.notices_of(region)
    latest = notices[:HOME_NOTICES]
    yield page(
        home_url(region),
        "home.html",
        region.site_name,
        [],
        tuple(column_deps["personal"])
        + ("|",)
        + tuple(column_deps["legal"])
        + ("|",)
        + tuple(sub.listing_digest for sub in hot_services)
        + ("|",)
        + tuple(notice.listing_digest for notice in latest),
        column_lists=column_lists,
        hot_services=hot_services,
        notices=latest,
    )
    notices_crumb = Crumb("通知公告", notices_url(region))
    yield page(
        notices_url(region),
        "notices.html",
        "通知公告",
        [Crumb("通知公告")],
        tuple(notice.listing_digest for notice in notices),
        notices=notices,
    )
    for notice in notices:
        yield page(
            notice.url,
            "notice.html",
            notice.notice.title,
            [notices_crumb, Crumb(notice.notice.title)],
            (notice.digest,),
            notice=notice,
        )
    yield page(contact_url(region), "contact.html", "联系电话", [Crumb("联系电话")])
    yield from _text_pages(catalog, region, page)
    # The region's own copies of the API-backed shells (their data comes from /api; one account serves all).
    for shell in SHELLS:
        parents = [Crumb(SHELL_TITLES[parent], regional_url(region, parent)) for parent in shell.parents]
        yield page(
            regional_url(region, shell.url),
            shell.template,
            shell.title,
            [*parents, Crumb(shell.title)],
            indexed=shell.indexed,
        )
    yield page(search_url(region), "search.html", "站内搜索", [Crumb("站内搜索")])
    yield page(haochaping_url(region), "haochaping.html", f"{region.name}政务服务好差评", [Crumb("好差评")])
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
        columns = [column for column in ALL_COLUMNS if column.audience in sub.listing.audiences]
        dept = sub.item.department
        yield page(
            sub.url,
            "guide.html",
            sub.listing.name,
            [*_guide_crumbs(region, columns, dept), Crumb(sub.listing.name)],
            (dept.digest, sub.item.digest, sub.digest),
            sub,
            sub=sub,
            item=sub.item,
            department=dept,
            # Both columns: neither is current until the script knows which one the visitor came through.
            nav_section=column_url(region, columns[0]) if len(columns) == 1 else None,
            choose_column=len(columns) > 1,
            apply_url=apply_url(region, sub.code) if sub.listing.online else None,
            appointment_url=book_appointment_url(region, sub.code) if sub.bookable else None,
        )


def _guide_crumbs(region: Region, columns: list[Column], dept: DepartmentEntry) -> list[Crumb]:
    """Column and department crumbs of a guide; for one in both columns, each column's, to choose from."""
    if len(columns) == 1:
        column = columns[0]
        return [
            Crumb(column.label, column_url(region, column)),
            Crumb(dept.full_name, department_url(region, column, dept)),
        ]
    return [
        Crumb(
            " / ".join(column.label for column in columns),
            choices=tuple(ColumnChoice(column.slug, column.label, column_url(region, column)) for column in columns),
        ),
        Crumb(  # the first column's department page lists the guide too, so it is a fine link without script
            dept.full_name,
            department_url(region, columns[0], dept),
            tuple(ColumnChoice(c.slug, dept.full_name, department_url(region, c, dept)) for c in columns),
        ),
    ]
