"""Build the static portal: content/ -> site/.

Two phases, as in MkDocs and Pelican: read and validate everything first, then render and write.
A content error prints one line per problem (`path:line: field: problem`) and leaves site/ untouched.

At provincial scale (~100,000 guides) both phases do only what changed since the last build: the cache
(.cache/build/) keeps every file's parsed model by content hash and every output's input fingerprint, so a
rebuild parses the changed files, renders and writes the pages whose inputs changed, removes the pages whose
source is gone, and re-indexes only the regions whose guides changed. A new site (or `--full`) is written
whole beside site/ and swapped in; an incremental one is updated file by file, each file atomically.
"""

from __future__ import annotations

import argparse
import gc
import ipaddress
import json
import logging
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.assets import collect_assets
from sitegen.cache import BuildCache, digest
from sitegen.catalog import Catalog
from sitegen.error_formats import ERROR_FORMATS as FORMATS
from sitegen.errors import ContentErrors
from sitegen.loading import ContentReader, code_version, load_catalog
from sitegen.outputs import is_cached_site, write_site
from sitegen.progress import BuildProgress
from sitegen.rendering import make_environment
from sitegen.search_index import SearchIndexError, build_search_shards, missing_shards, remove_orphan_shards, shard_of
from sitegen.site_plan import site_outputs

ROOT = Path(__file__).resolve().parent
DEFAULT_CACHE = ROOT / ".cache" / "build"
log = logging.getLogger("build")


@dataclass
class BuildReport:
    catalog: Catalog | None
    """None when nothing had changed since the last build, which then read no more than the files' stat."""
    guides: int = 0
    written_paths: list[str] = field(default_factory=list)
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    reindexed: list[str] = field(default_factory=list)
    """Regions whose search index was rebuilt."""
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds spent reading, planning, writing and indexing."""
    pages_done_s: float = 0.0
    """Seconds from the start until every page was written (the search index may follow)."""

    def summary(self) -> str:
        if self.catalog is None:
            return (
                f"无需构建：{self.guides} 份服务指南的内容与模板都与上次构建相同，{self.unchanged} 个文件均未变"
                f"（检查用时 {self.phases['load']:.2f} s）"
            )
        phases = " · ".join(f"{_PHASE_LABELS[name]} {seconds:.2f} s" for name, seconds in self.phases.items())
        return (
            f"构建完成：{self.guides} 份服务指南；文件写入 {self.written}，未变 {self.unchanged}，"
            f"删除 {self.removed}；重建搜索索引 {len(self.reindexed)} 个地区；{phases}"
        )

    def stats(self) -> dict[str, object]:
        return {
            "guides": self.guides,
            "written": self.written,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "reindexed": self.reindexed,
            "phases": self.phases,
            "pages_done_s": self.pages_done_s,
        }


_PHASE_LABELS = {"load": "读取校验", "plan": "规划", "write": "渲染写入", "search": "搜索索引"}


def build(
    content_dir: Path,
    templates_dir: Path,
    out_dir: Path,
    *,
    site_url: str | None = None,
    search: bool = True,
    cache_dir: Path | None = None,
    full: bool = False,
) -> Catalog | None:
    """Validate content_dir, then bring out_dir up to date. Raises ContentErrors on bad content.

    Without cache_dir the build remembers nothing: it parses everything, writes the whole site and returns its
    Catalog. With one, it returns None when nothing had changed since the last build."""
    return run_build(
        content_dir, templates_dir, out_dir, site_url=site_url, search=search, cache_dir=cache_dir, full=full
    ).catalog


def run_build(
    content_dir: Path,
    templates_dir: Path,
    out_dir: Path,
    *,
    site_url: str | None = None,
    search: bool = True,
    cache_dir: Path | None = None,
    full: bool = False,
    workers: int | None = None,
    progress: BuildProgress | None = None,
) -> BuildReport:
    if cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="portal-build-cache-") as scratch:
            return run_build(
                content_dir,
                templates_dir,
                out_dir,
                site_url=site_url,
                search=search,
                cache_dir=Path(scratch),
                full=True,
                workers=workers,
                progress=progress,
            )
    workers = workers or os.cpu_count() or 1
    started = time.perf_counter()
    version = code_version()
    cache = BuildCache(cache_path(cache_dir, out_dir), version)
    # The catalogue is ~10 objects a guide that live as long as the build: the cyclic collector would walk them
    # again and again (a third of a rebuild's time at 10,000 guides) and find nothing to free.
    collecting = gc.isenabled()
    gc.disable()
    try:
        reader = ContentReader(content_dir, cache, workers, progress)
        base = digest(version, _tree_digest(templates_dir), Path(__file__).read_bytes(), site_url or "")
        inputs = digest(base, reader.fingerprint())
        if not full and _nothing_to_do(cache, out_dir, inputs, search):
            reader.remember_digests()
            return BuildReport(
                None,
                guides=int(cache.meta("guides") or 0),
                unchanged=int(cache.meta("outputs") or 0),
                phases={"load": time.perf_counter() - started},
            )
        catalog = reader.load()
        if site_url:
            catalog.portal = catalog.portal.model_copy(update={"site_url": site_url.rstrip("/")})
        report = BuildReport(catalog, guides=len(catalog.subitems()))
        report.phases["load"] = time.perf_counter() - started
        assets = collect_assets(templates_dir / "static")
        outputs = site_outputs(catalog, make_environment(templates_dir, assets), assets, content_dir)
        report.phases["plan"] = time.perf_counter() - started - report.phases["load"]
        gc.freeze()  # and out of later collections (worker processes then share these pages untouched)
        if collecting:
            gc.enable()

        def index(site: Path, written: list[str], removed: list[str]) -> None:
            report.pages_done_s = time.perf_counter() - started
            dirty = _note_unindexed(cache, site, catalog, written + removed)
            if search:
                report.reindexed = _reindex(site, catalog, dirty, cache)

        # The site's address shows in robots.txt and the sitemaps; it comes from --site-url or portal.yaml.
        result = write_site(
            outputs,
            out_dir,
            cache,
            digest(base, catalog.portal.site_url),
            workers=workers,
            progress=progress,
            full=full,
            before_swap=index,
        )
        report.written_paths = result.written
        report.written, report.unchanged, report.removed = len(result.written), result.unchanged, len(result.removed)
        report.phases["write"] = report.pages_done_s - report.phases["load"] - report.phases["plan"]
        if search:
            report.phases["search"] = time.perf_counter() - started - report.pages_done_s
        # What a rebuild from the same inputs may skip: it would write nothing and index nothing.
        cache.set_meta("inputs", inputs)
        cache.set_meta("outputs", str(len(outputs)))
        cache.set_meta("guides", str(report.guides))
        return report
    finally:
        cache.close()
        gc.unfreeze()
        if collecting:
            gc.enable()


def _nothing_to_do(cache: BuildCache, out_dir: Path, inputs: str, search: bool) -> bool:
    """The site was last built from exactly these inputs and is still the one the cache wrote."""
    if cache.meta("inputs") != inputs or not is_cached_site(out_dir, cache):
        return False
    return not search or cache.meta("search_dirty") == "[]"


def cache_path(cache_dir: Path, out_dir: Path) -> Path:
    """One cache per output folder: its record of outputs describes that folder alone."""
    return cache_dir / f"{out_dir.resolve().name}-{digest(str(out_dir.resolve()))[:12]}.sqlite"


def _tree_digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return digest(*(part for p in files for part in (p.relative_to(folder).as_posix(), p.read_bytes())))


def _note_unindexed(cache: BuildCache, site: Path, catalog: Catalog, changed: list[str]) -> set[str]:
    """The regions whose index is missing or older than their guide pages (written or removed since).

    Kept in the cache, so what a --no-search build changed is indexed by the next build that searches."""
    slugs = [region.slug for region in catalog.regions]
    dirty = set(json.loads(cache.meta("search_dirty") or "[]")) & set(slugs)
    dirty |= {slug for slug in map(shard_of, changed) if slug} | missing_shards(site, slugs)
    cache.set_meta("search_dirty", json.dumps(sorted(dirty)))
    return dirty


def _reindex(site: Path, catalog: Catalog, dirty: set[str], cache: BuildCache) -> list[str]:
    remove_orphan_shards(site, [region.slug for region in catalog.regions])
    stale = sorted(dirty)
    build_search_shards(site, stale)
    cache.set_meta("search_dirty", "[]")
    return stale


LOCAL_SITE_URL_WARNING = (
    "警告：站点地址为本机地址 {url}，sitemap.xml、robots.txt 和规范链接（canonical）只适用于本机预览，"
    "不能部署；部署前请用 --site-url 指定正式地址（make deploy 会自动读取 CloudFront 地址）。"
)


def is_local_site_url(url: str) -> bool:
    """Whether the site's address is this machine's (portal.yaml's preview default), which no visitor can reach."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _effective_site_url(args: argparse.Namespace) -> str:
    """--site-url, or portal.yaml's site_url (read again: a build with nothing to do loads no catalogue)."""
    if args.site_url:
        return str(args.site_url)
    import yaml

    portal = yaml.safe_load((args.content / "portal.yaml").read_text(encoding="utf-8")) or {}
    return str(portal.get("site_url", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="构建辽宁政务服务网静态站点：content/ → site/（只重建有变化的部分）")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--templates", type=Path, default=ROOT / "templates")
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="构建缓存目录（默认 .cache/build）")
    parser.add_argument(
        "--site-url",
        help="站点的正式地址（用于 sitemap.xml、robots.txt 和规范链接），如 https://d1234.cloudfront.net；"
        "默认取 portal.yaml 的 site_url（本机预览地址）",
    )
    parser.add_argument("--no-search", action="store_true", help="不更新搜索索引（仅用于快速预览）")
    parser.add_argument("--full", action="store_true", help="忽略上次构建的记录，重新写出整个站点")
    parser.add_argument("--check", action="store_true", help="只校验内容，不写出任何文件")
    parser.add_argument(
        "--error-format",
        choices=sorted(FORMATS),
        default="text",
        help="错误的输出格式：text（默认）或 github（拉取请求中的逐行标注）",
    )
    parser.add_argument("--stats", type=Path, help="把构建统计写入此 JSON 文件（供 bench/ 使用）")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    started = time.perf_counter()
    progress = BuildProgress.for_terminal(sys.stderr)
    try:
        with progress:
            if args.check:
                catalog = load_catalog(args.content, _check_cache(args), progress=progress)
                print(f"内容校验通过：{len(catalog.subitems())} 份服务指南。")
                return 0
            report = run_build(
                args.content,
                args.templates,
                args.out,
                site_url=args.site_url,
                search=not args.no_search,
                cache_dir=args.cache,
                full=args.full,
                progress=progress,
            )
    except ContentErrors as exc:
        print(f"构建失败：内容有 {len(exc.errors)} 处错误，site/ 未改动。", file=sys.stderr)
        for error in exc.errors:
            print(FORMATS[args.error_format](error), file=sys.stderr if args.error_format == "text" else sys.stdout)
        return 1
    except SearchIndexError as exc:
        print(f"构建失败：{exc}", file=sys.stderr)
        return 1
    print(report.summary())
    print(f"Build time: {time.perf_counter() - started:.2f} s")
    site_url = _effective_site_url(args)
    if is_local_site_url(site_url):
        print(LOCAL_SITE_URL_WARNING.format(url=site_url), file=sys.stderr)
    if args.stats:
        args.stats.write_text(json.dumps(report.stats(), ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def _check_cache(args: argparse.Namespace) -> BuildCache:
    return BuildCache(cache_path(args.cache, args.out), code_version())


if __name__ == "__main__":
    sys.exit(main())
