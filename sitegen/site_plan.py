"""Everything the build writes under site/, as Outputs that know what they are made from.

Pages come from sitegen.rendering; here are the rest: the API's catalogue shards, the search's names index
(sitegen.names_index), the sitemaps, robots.txt, the content-hashed static assets and the downloadable forms. The
writer (sitegen.outputs) decides which of them need making.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from jinja2 import Environment

from . import catalog_export as export
from .assets import Asset
from .cache import digest
from .catalog import Catalog, SubItemEntry
from .models import Region
from .names_index import names_outputs
from .outputs import Output
from .rendering import page_outputs
from .sitemap import indexed_urls_by_part, sitemap_index_xml, sitemap_xml
from .urls import file_url, output_path

SITEMAPS_DIR = "sitemaps"


def site_outputs(catalog: Catalog, env: Environment, assets: dict[str, Asset], content_dir: Path) -> list[Output]:
    pages = list(page_outputs(catalog, env))
    outputs = pages + catalog_outputs(catalog) + names_outputs(catalog) + sitemap_outputs(catalog, pages)
    outputs.append(Output("robots.txt", (), lambda: _robots(catalog.portal.site_url)))
    outputs.extend(Output(asset.url.lstrip("/"), (asset.url,), make=asset.read) for asset in assets.values())
    outputs.extend(
        Output(output_path(file_url(name)), (catalog.file_digests[name],), source=content_dir / "files" / name)
        for name in catalog.files
    )
    return outputs


def catalog_outputs(catalog: Catalog) -> list[Output]:
    """catalog.json and its shards; a shard is remade only when one of its sub-items changed."""
    outputs, shard_counts = [], {}
    for region in catalog.regions:
        subs = catalog.subitems(region)
        count = shard_counts[region.code] = export.shard_count(len(subs))
        members: list[list[SubItemEntry]] = [[] for _ in range(count)]
        for sub in subs:
            members[export.shard_index(sub.code, count)].append(sub)
        for path, shard in zip(export.shard_paths(region.code, count), members, strict=True):
            outputs.append(
                Output(
                    path,
                    (region.slug, str(count), *_record_digests(shard)),
                    _shard_maker(region, shard),
                    subs=tuple(shard),
                )
            )
        departments = catalog.departments_of(region)
        outputs.append(
            Output(
                export.departments_path(region.code),
                tuple(dept.digest for dept in departments),
                _departments_maker(catalog, region),
            )
        )
    outputs.append(
        Output(export.DOCUMENTS_PATH, (catalog.documents_digest,), lambda: export.documents_text(catalog.documents))
    )
    index_deps = (catalog.portal_digest, *catalog.region_digests.values(), repr(sorted(shard_counts.items())))
    outputs.append(Output(export.INDEX_PATH, index_deps, lambda: export.index_text(catalog, shard_counts)))
    return outputs


def _record_digests(subs: list[SubItemEntry]) -> list[str]:
    # A record names its item and department, and carries the item's own 结果文书 templates: an edit of item.yaml
    # or of those templates can change it without touching the guide file.
    return [part for sub in subs for part in (sub.digest, sub.item.digest, sub.item.documents_digest)]


def _shard_maker(region: Region, subs: list[SubItemEntry]) -> Callable[[], str]:
    return lambda: export.shard_text(region.code, {sub.code: export.subitem_record(sub) for sub in subs})


def _departments_maker(catalog: Catalog, region: Region) -> Callable[[], str]:
    return lambda: export.departments_text(region.code, export.department_records(catalog, region))


def sitemap_outputs(catalog: Catalog, outputs: list[Output]) -> list[Output]:
    """One sitemap per region (and one for the pages outside regions), listed by sitemap.xml."""
    pages = [output.page for output in outputs if output.page]
    by_part = indexed_urls_by_part(pages, {region.slug for region in catalog.regions})
    site_url = catalog.portal.site_url
    sitemaps = [
        Output(f"{SITEMAPS_DIR}/{part}.xml", (digest(*urls),), partial(sitemap_xml, site_url, urls))
        for part, urls in by_part.items()
    ]
    paths = [sitemap.path for sitemap in sitemaps]
    sitemaps.append(Output("sitemap.xml", tuple(paths), lambda: sitemap_index_xml(site_url, paths)))
    return sitemaps


def _robots(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {site_url}/sitemap.xml\n"
