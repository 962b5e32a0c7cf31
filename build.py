"""Build the static portal: content/ -> site/.

Two phases, as in MkDocs and Pelican: read and validate everything first, then render and write.
A content error prints one line per problem (`path: field: problem`) and leaves site/ untouched.
The new site is written to a temporary folder beside site/ and swapped in only when complete.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from sitegen.assets import collect_assets
from sitegen.catalog import Catalog
from sitegen.catalog_export import catalog_json
from sitegen.errors import ContentErrors
from sitegen.loading import load_catalog
from sitegen.rendering import make_environment, render_site
from sitegen.search_index import SearchIndexError, build_search_index
from sitegen.sitemap import sitemap_xml

ROOT = Path(__file__).resolve().parent
log = logging.getLogger("build")


def build(content_dir: Path, templates_dir: Path, out_dir: Path, *, site_url: str | None = None,
          search: bool = True) -> Catalog:
    """Validate content_dir, then write the complete site to out_dir. Raises ContentErrors on bad content."""
    catalog = load_catalog(content_dir)
    if site_url:
        catalog.portal = catalog.portal.model_copy(update={"site_url": site_url.rstrip("/")})
    assets = collect_assets(templates_dir / "static")
    pages = render_site(catalog, make_environment(templates_dir, assets))

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        _write(staging, pages)
        _write(staging, {
            "catalog.json": catalog_json(catalog),
            "sitemap.xml": sitemap_xml(catalog.portal.site_url, list(pages)),
            "robots.txt": f"User-agent: *\nAllow: /\nSitemap: {catalog.portal.site_url}/sitemap.xml\n",
        })
        for asset in assets.values():
            _copy(asset.source, staging / asset.url.lstrip("/"))
        for name in catalog.files:
            _copy(content_dir / "files" / name, staging / "files" / name)
        if search:
            build_search_index(staging)
        _swap(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already after a successful swap
    return catalog


def _write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by the finished staging folder; a server sees the old or the new site, never half."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}-old-{os.getpid()}")
        out_dir.rename(old)
    staging.rename(out_dir)
    if old:
        shutil.rmtree(old)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="构建辽宁政务服务网静态站点：content/ → site/")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--templates", type=Path, default=ROOT / "templates")
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--site-url", help="站点的正式地址（用于 sitemap.xml），如 https://d1234.cloudfront.net")
    parser.add_argument("--no-search", action="store_true", help="不建立搜索索引（仅用于快速预览）")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    started = time.perf_counter()
    try:
        catalog = build(args.content, args.templates, args.out, site_url=args.site_url, search=not args.no_search)
    except ContentErrors as exc:
        print(f"构建失败：内容有 {len(exc.errors)} 处错误，site/ 未改动。", file=sys.stderr)
        for error in exc.errors:
            print(error.line, file=sys.stderr)
        return 1
    except SearchIndexError as exc:
        print(f"构建失败：{exc}", file=sys.stderr)
        return 1
    elapsed = time.perf_counter() - started
    subitems = catalog.subitems()
    print(
        f"构建完成：{len(catalog.regions)} 个地区，{len(catalog.departments)} 个部门，"
        f"{len(catalog.items)} 个事项，{len(subitems)} 个子事项 → {args.out}"
    )
    print(f"Build time: {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
