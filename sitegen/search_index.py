"""The Chinese full-text search index, built by pagefind's extended binary (it segments Chinese words)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class SearchIndexError(RuntimeError):
    pass


def build_search_index(site_dir: Path) -> None:
    """Index the pages marked data-pagefind-body into site_dir/pagefind/."""
    result = subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--silent"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SearchIndexError(f"pagefind 建立搜索索引失败：{result.stderr.strip() or result.stdout.strip()}")
