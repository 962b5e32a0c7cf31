"""The Chinese full-text search, one pagefind index per region (site/<region>/pagefind/).

Sharding bounds the indexer's memory by the largest region instead of the province, lets a rebuild re-index
only the regions whose guides changed, and keeps each region's search to its own guides. Only the guide
pages are indexed, and of them only what is marked data-pagefind-body (the guide, not header or footer).
Pagefind's extended binary segments Chinese words.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .urls import GUIDE_SEGMENT, guide_region

SHARD_DIR = "pagefind"


class SearchIndexError(RuntimeError):
    pass


def shard_dir(site_dir: Path, region_slug: str) -> Path:
    return site_dir / region_slug / SHARD_DIR


def shard_of(page_path: str) -> str | None:
    """The region whose index holds the page at this path under site/: guide pages only."""
    return guide_region(page_path)


def remove_orphan_shards(site_dir: Path, region_slugs: list[str]) -> None:
    """The index of a region that is gone from the content goes too."""
    for index in site_dir.glob(f"*/{SHARD_DIR}"):
        region = index.parent
        if region.name not in region_slugs:
            shutil.rmtree(index)
            if not any(region.iterdir()):
                region.rmdir()


def missing_shards(site_dir: Path, region_slugs: list[str]) -> set[str]:
    return {slug for slug in region_slugs if not (shard_dir(site_dir, slug) / "pagefind.js").is_file()}


def build_search_shards(site_dir: Path, region_slugs: list[str], parallel: int = 2) -> None:
    """Index each region's guide pages; up to `parallel` indexers run at once (memory grows with each)."""
    pending = list(region_slugs)
    running: list[tuple[str, subprocess.Popen[str]]] = []
    failures = []
    while pending or running:
        while pending and len(running) < parallel:
            slug = pending.pop(0)
            running.append((slug, _start(site_dir, slug)))
        slug, process = running.pop(0)
        _, stderr = process.communicate()
        if process.returncode != 0:
            failures.append(f"{slug}：{stderr.strip()}")
        else:
            _swap_in(site_dir, slug)
    if failures:
        raise SearchIndexError("pagefind 建立搜索索引失败：" + "；".join(failures))


def _start(site_dir: Path, slug: str) -> subprocess.Popen[str]:
    # Written beside the live index and swapped in when complete: a visitor never loads half an index.
    staging = site_dir / slug / f".{SHARD_DIR}-new"
    shutil.rmtree(staging, ignore_errors=True)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pagefind",
            "--site",
            str(site_dir),
            "--glob",
            f"{slug}/{GUIDE_SEGMENT}/**/*.html",
            "--output-subdir",
            f"{slug}/.{SHARD_DIR}-new",
            "--silent",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _swap_in(site_dir: Path, slug: str) -> None:
    live, staging = shard_dir(site_dir, slug), site_dir / slug / f".{SHARD_DIR}-new"
    old = site_dir / slug / f".{SHARD_DIR}-old"
    shutil.rmtree(old, ignore_errors=True)
    if live.exists():
        live.rename(old)
    staging.rename(live)
    shutil.rmtree(old, ignore_errors=True)
