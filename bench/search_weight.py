"""The weight of a first search: load a region's search page in Chromium, run one query, sum what was transferred.

The test server (http.server) does not compress, so each response body is gzipped here (level 6, as CloudFront
roughly does) and the gzip sizes are summed: the figure a visitor's first search costs. A name query is answered by
the region's names index (sitegen/names_index.py); `--full-text` also presses 在服务指南全文中搜索, which loads
pagefind. The names index's bucket sizes are printed too, since they are what a first search fetches.

    .venv/bin/python bench/search_weight.py [--site site/] [--region anshan] [--query 社会保障卡 --query 户口簿]
                                            [--full-text]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Page, Response, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


def _settle(page: Page) -> None:
    """Until the result list is no longer busy and the status names an outcome."""
    page.wait_for_function(
        """() => {
            const list = document.getElementById("search-results");
            const status = document.getElementById("search-status").textContent;
            return list.getAttribute("aria-busy") !== "true" && status && !status.startsWith("正在");
        }""",
        timeout=30_000,
    )
    page.wait_for_load_state("networkidle")


def measure(site: Path, region: str, query: str, full_text: bool) -> tuple[int, int, list[tuple[str, int]]]:
    """(gzip bytes, raw bytes, per response) of loading /<region>/search/?q=<query> until results show."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    responses: list[tuple[str, int, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()

            def record(response: Response) -> None:
                try:
                    body = response.body()
                except Exception:  # noqa: BLE001 - redirects and aborted loads have no body
                    return
                responses.append((response.url, len(gzip.compress(body, 6)), len(body)))

            page.on("response", record)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{region}/search/?q={query}")
            _settle(page)
            more = page.locator("#search-full-text")
            if full_text and more.is_visible():
                more.click()
                _settle(page)
            browser.close()
    finally:
        server.shutdown()
    per_response = [(url, gz) for url, gz, _ in responses]
    return sum(gz for _, gz, _ in responses), sum(raw for _, _, raw in responses), per_response


def bucket_figures(site: Path, region: str) -> str:
    """The names index of the region: guides, bucket count, and the gzip size of its buckets."""
    folder = site / region / "names"
    manifest = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    sizes = [len(gzip.compress(path.read_bytes(), 6)) for path in (folder / str(manifest["buckets"])).glob("*.json")]
    return (
        f"names index of {region}: {manifest['guides']} guides in {manifest['buckets']} buckets; "
        f"bucket gzip median {statistics.median(sizes) / 1024:.1f} KB, max {max(sizes) / 1024:.1f} KB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--region", default="anshan")
    parser.add_argument("--query", action="append", help="repeatable; default 社会保障卡 and 户口簿")
    parser.add_argument("--full-text", action="store_true", help="also run the full-text search after the names")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    print(bucket_figures(args.site, args.region))
    for query in args.query or ["社会保障卡", "户口簿"]:
        gz, raw, per_response = measure(args.site, args.region, query, args.full_text)
        if args.verbose:
            for url, size in sorted(per_response, key=lambda pair: -pair[1]):
                print(f"{size:>8}  {url}")
        print(
            f"first search ({query}): {gz / 1024:.1f} KB gzip ({raw / 1024:.1f} KB raw), {len(per_response)} responses"
        )


if __name__ == "__main__":
    main()
