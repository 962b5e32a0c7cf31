"""Print how long the build of the sample content takes, phase by phase (not run by the test suite).

For provincial sizes and incremental rebuilds, see bench/build_speed.py.

usage: .venv/bin/python bench/build_time.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import build  # noqa: E402
from sitegen.assets import collect_assets  # noqa: E402
from sitegen.loading import load_catalog  # noqa: E402
from sitegen.rendering import make_environment, page_outputs  # noqa: E402

T = TypeVar("T")


def timed(function: Callable[[], T], runs: int) -> tuple[float, T]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    content, templates = ROOT / "content", ROOT / "templates"
    load_s, catalog = timed(lambda: load_catalog(content), runs)
    env = make_environment(templates, collect_assets(templates / "static"))
    render_s, pages = timed(lambda: [page.make() for page in page_outputs(catalog, env) if page.make], runs)
    with tempfile.TemporaryDirectory() as tmp:
        full_s, _ = timed(lambda: build.build(content, templates, Path(tmp) / "site"), runs)
        no_search_s, _ = timed(lambda: build.build(content, templates, Path(tmp) / "site", search=False), runs)
        size = sum(p.stat().st_size for p in (Path(tmp) / "site").rglob("*") if p.is_file())
    print(f"sample content: {len(catalog.regions)} regions, {len(catalog.subitems())} sub-items, {len(pages)} pages")
    print(f"median of {runs} runs:")
    print(f"  load + validate   {load_s * 1000:8.1f} ms")
    print(f"  render pages      {render_s * 1000:8.1f} ms  ({render_s / len(pages) * 1000:.2f} ms per page)")
    print(f"  full build        {full_s * 1000:8.1f} ms  (search index {max(full_s - no_search_s, 0) * 1000:.0f} ms)")
    print(f"  site without search index: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
