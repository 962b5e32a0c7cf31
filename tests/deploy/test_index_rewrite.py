"""The CloudFront Function in the template maps every URL of the built site to a file in the bucket.

It runs in Node.js here (CloudFront Functions are JavaScript), on the very code the template carries.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.deploy.conftest import Package

HARNESS = """
const uris = JSON.parse(process.argv[2]);
console.log(JSON.stringify(uris.map((uri) => handler({request: {uri, method: "GET", querystring: {},
                                                                headers: {}, cookies: {}}}).uri)));
"""


def _rewrite(package: Package, uris: list[str], tmp_path: Path) -> dict[str, str]:
    code = package.resources["SiteIndexRewrite"]["Properties"]["FunctionCode"]
    script = tmp_path / "rewrite.js"
    script.write_text(code + HARNESS, encoding="utf-8")
    result = subprocess.run(["node", str(script), json.dumps(uris)], capture_output=True, text=True, check=True)
    return dict(zip(uris, json.loads(result.stdout), strict=True))


def test_directory_urls_reach_their_index_and_files_themselves(package: Package, tmp_path: Path) -> None:
    site = package.site
    folders = ["/" + path.parent.relative_to(site).as_posix() for path in site.rglob("index.html")]
    folders = [folder.rstrip(".").rstrip("/") for folder in folders]  # the root is "/."
    files = ["/" + path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()]
    uris = [folder + "/" for folder in folders] + [folder for folder in folders if folder] + files
    rewritten = _rewrite(package, uris, tmp_path)
    for uri, target in rewritten.items():
        assert (site / target.lstrip("/")).is_file(), f"{uri} -> {target}, which the site does not have"
    assert rewritten["/anshan"] == rewritten["/anshan/"] == "/anshan/index.html"
    assert rewritten["/"] == "/index.html"


def test_missing_pages_stay_missing(package: Package, tmp_path: Path) -> None:
    rewritten = _rewrite(package, ["/no-such-page", "/anshan/no-such.html"], tmp_path)
    assert rewritten == {"/no-such-page": "/no-such-page/index.html", "/anshan/no-such.html": "/anshan/no-such.html"}
