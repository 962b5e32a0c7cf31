"""Upload the built site/ to the stage's site bucket and invalidate its CloudFront distribution.

usage: python tools/deploy_site.py --stage prod --region ap-southeast-1 [--site site] [--force]

Run by `make deploy` after `osls deploy`: the bucket and the distribution are read from the stack's outputs,
so the only thing needed is AWS credentials. Files whose content is unchanged (S3's ETag is the MD5 of a
single-part upload) are skipped; --force uploads everything, e.g. after changing the cache rules below.

Cache-Control is set per object, and CloudFront (CachingOptimized) honours it:
- static/ holds content-hashed names (sitegen/assets.py): a year, immutable.
- everything else - pages, catalog.json, sitemap, the pagefind index, blank forms - keeps its name across
  builds: browsers revalidate every time (a cheap 304) and the edge keeps it five minutes; every deploy
  invalidates the edge anyway.

Uploads go hashed assets first and pages last, so no new page ever names a file not yet uploaded. Stale files
are deleted afterwards, except old static/ assets, which pages still open in a browser may yet ask for.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import mimetypes
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SERVICE = "liaoning-portal"  # serverless.yml's `service`; its stacks are named <service>-<stage>
DEFAULT_REGION = "ap-southeast-1"  # serverless.yml's default region

HASHED_PREFIX = "static/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, s-maxage=300, must-revalidate"

# Text types say their charset: the pages are Chinese. Pagefind's index files are its own binary format.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".pagefind": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}
_UPLOAD_ORDER = {"static": 0, "other": 1, "page": 2}


@dataclass(frozen=True)
class SiteFile:
    """One file of site/ as it is to be stored: its key and the headers S3 serves it with."""

    path: Path
    key: str
    content_type: str
    cache_control: str

    @property
    def md5(self) -> str:
        return hashlib.md5(self.path.read_bytes(), usedforsecurity=False).hexdigest()

    @property
    def kind(self) -> str:
        if self.key.startswith(HASHED_PREFIX):
            return "static"
        return "page" if self.key.endswith(".html") else "other"


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def cache_control(key: str) -> str:
    return IMMUTABLE if key.startswith(HASHED_PREFIX) else REVALIDATE


def site_files(site: Path) -> list[SiteFile]:
    """Every file of the built site, in upload order: hashed assets, then the rest, pages last."""
    files = [SiteFile(path, key, content_type(path), cache_control(key))
             for path in site.rglob("*") if path.is_file()
             for key in [path.relative_to(site).as_posix()]]
    return sorted(files, key=lambda file: (_UPLOAD_ORDER[file.kind], file.key))


def stack_outputs(cloudformation: Any, stage: str) -> dict[str, str]:
    stack = cloudformation.describe_stacks(StackName=f"{SERVICE}-{stage}")["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def _stored_etags(s3: Any, bucket: str) -> dict[str, str]:
    etags = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for stored in page.get("Contents", []):
            etags[stored["Key"]] = stored["ETag"].strip('"')
    return etags


def sync(s3: Any, bucket: str, site: Path, force: bool = False) -> tuple[int, int]:
    """Uploads new and changed files, then deletes stale ones (not old static/ assets): (uploaded, deleted)."""
    stored = _stored_etags(s3, bucket)
    files = site_files(site)
    uploaded = 0
    for file in files:
        if not force and stored.get(file.key) == file.md5:
            continue
        with file.path.open("rb") as body:
            s3.put_object(Bucket=bucket, Key=file.key, Body=body, ContentType=file.content_type,
                          CacheControl=file.cache_control)
        uploaded += 1
    local_keys = {file.key for file in files}
    stale = sorted(key for key in stored if key not in local_keys and not key.startswith(HASHED_PREFIX))
    for start in range(0, len(stale), 1000):  # DeleteObjects takes at most 1,000 keys
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": key} for key in stale[start:start + 1000]],
                                                 "Quiet": True})
    return uploaded, len(stale)


def invalidate(cloudfront: Any, distribution_id: str) -> str:
    """Invalidates every path (one wildcard path counts as one of the monthly free thousand); returns its id."""
    response = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": f"deploy-{time.time_ns()}"})
    return response["Invalidation"]["Id"]


def deploy_site(session: Any, stage: str, site: Path, force: bool = False) -> dict[str, str]:
    if not (site / "index.html").exists():
        raise SystemExit(f"{site} holds no built site: run make build first")
    outputs = stack_outputs(session.client("cloudformation"), stage)
    bucket, distribution_id = outputs["SiteBucketName"], outputs["DistributionId"]
    uploaded, deleted = sync(session.client("s3"), bucket, site, force)
    log.info("s3://%s: %d files uploaded, %d stale files deleted", bucket, uploaded, deleted)
    invalidation = invalidate(session.client("cloudfront"), distribution_id)
    log.info("CloudFront %s: invalidation %s started (takes a few minutes)", distribution_id, invalidation)
    log.info("the portal: %s", outputs["SiteUrl"])
    return outputs


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default site/)")
    parser.add_argument("--force", action="store_true", help="upload every file, changed or not")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import boto3  # here, so --help works without it

    deploy_site(boto3.Session(region_name=arguments.region), arguments.stage, arguments.site, arguments.force)


if __name__ == "__main__":
    main()
