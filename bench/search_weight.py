"""The weight of a first search: load a region's search page in Chromium, run one query, sum what was transferred.

The test server (http.server) does not compress, so each response body is gzipped here (level 6, as CloudFront
roughly does) and the gzip sizes are summed: the figure a visitor's first search costs.

    .venv/bin/python bench/search_weight.py [--site site/] [--region anshan] [--query 社会保障卡]
"""

from __future__ import annotations

import argparse
import gzip
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import Response, sync_playwright

CHROMIUM = "/usr/bin/chromium"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


def measure(site: Path, region: str, query: str) -> tuple[int, int, list[tuple[str, int]]]:
    """(gzip bytes, raw bytes, per response) of loading /<region>/search/?q=<query> until results show."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    responses: list[tuple[str, int, int]] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            page = browser.new_page()

            def record(response: Response) -> None:
                try:
                    body = response.body()
                except Exception:  # noqa: BLE001 - redirects and aborted loads have no body
                    return
                responses.append((response.url, len(gzip.compress(body, 6)), len(body)))

            page.on("response", record)
            url = f"http://127.0.0.1:{server.server_address[1]}/{region}/search/?q={query}"
            page.goto(url)
            page.locator(".search-result, .pagefind-ui__result").first.wait_for(timeout=20_000)
            page.wait_for_load_state("networkidle")
            browser.close()
    finally:
        server.shutdown()
    per_response = [(url, gz) for url, gz, _ in responses]
    return sum(gz for _, gz, _ in responses), sum(raw for _, _, raw in responses), per_response


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--region", default="anshan")
    parser.add_argument("--query", default="社会保障卡")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    gz, raw, per_response = measure(args.site, args.region, args.query)
    if args.verbose:
        for url, size in sorted(per_response, key=lambda pair: -pair[1]):
            print(f"{size:>8}  {url}")
    print(
        f"first search ({args.query}): {gz / 1024:.1f} KB gzip ({raw / 1024:.1f} KB raw), {len(per_response)} responses"
    )


if __name__ == "__main__":
    main()
