"""Upload the built site/ to the stage's site bucket, changed files only, and invalidate what changed in CloudFront.

usage: python tools/deploy_site.py --stage prod --region ap-southeast-1 [--site site] [--force]
       python tools/deploy_site.py --stage prod --region ap-southeast-1 --changed-under catalog.json catalog/
       python tools/deploy_site.py --stage prod --region ap-southeast-1 --site-url

Run by `make deploy` after `osls deploy`, and by .github/workflows/deploy.yml: the bucket and the distribution
are read from the stack's outputs, so the only thing needed is AWS credentials.

Incremental by content hash: each object carries the SHA-256 of its content in its metadata (x-amz-meta-sha256;
S3's ETag is an MD5 only for single-part, unencrypted-or-SSE-S3 uploads, so it is no key to rely on). A file is
uploaded when the bucket lacks it or holds other content or other headers; objects whose file is gone from site/
are deleted; and CloudFront invalidates only the paths of the replaced and deleted objects. A new key needs no
invalidation: the distribution caches no error (ErrorCachingMinTTL 0), so the edge holds nothing under it.
Objects uploaded before the hash was stored have none and are replaced once. --force uploads everything.
--changed-under prints `true` when a file under one of the given prefixes would be uploaded or deleted (or the
stack does not exist yet), else `false`, and changes nothing: the deploy workflow's test for a new catalogue.
--site-url prints the stack's SiteUrl, which `make deploy` builds the site for; a site built for this machine's
address (portal.yaml's preview default, in robots.txt) is refused, so no sitemap points search engines at 127.0.0.1.

Cache-Control is set per object, and CloudFront (CachingOptimized) honours it:
- static/ holds content-hashed names (sitegen/assets.py): a year, immutable.
- everything else - pages, catalog.json, sitemap, the pagefind index, blank forms - keeps its name across
  builds: browsers revalidate every time (a cheap 304) and the edge keeps it five minutes, unless a deploy
  invalidates it sooner.

Uploads go hashed assets first and pages last, so no new page ever names a file not yet uploaded. Stale files
are deleted afterwards, except old static/ assets, which pages still open in a browser may yet ask for.
"""

from __future__ import annotations

import argparse
import hashlib
import ipaddress
import logging
import mimetypes
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
SERVICE = "liaoning-portal"  # serverless.yml's `service`; its stacks are named <service>-<stage>
DEFAULT_REGION = "ap-southeast-1"  # serverless.yml's default region

HASHED_PREFIX = "static/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, s-maxage=300, must-revalidate"
HASH_METADATA = "sha256"  # S3 stores it as x-amz-meta-sha256

# CloudFront charges per invalidated path beyond the first 1,000 a month (a wildcard counts as one) and allows
# 3,000 paths in progress at once: past this many, one "/*" is cheaper and never refused.
MAX_INVALIDATION_PATHS = 1000
HEAD_WORKERS = 16  # HeadObject calls in flight while comparing; a site of 100,000 objects takes a minute or two

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

    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    @property
    def kind(self) -> str:
        if self.key.startswith(HASHED_PREFIX):
            return "static"
        return "page" if self.key.endswith(".html") else "other"


@dataclass(frozen=True)
class Stored:
    """What the bucket holds under a key, as far as a deploy compares it."""

    sha256: str | None
    content_type: str | None
    cache_control: str | None


@dataclass(frozen=True)
class SyncPlan:
    """What a deploy does to the bucket: the files to upload (in upload order) and the keys to delete."""

    uploads: list[SiteFile]
    replaced: list[str]
    """Keys among the uploads that the bucket already held: the edge may have cached their old content."""
    unchanged: int
    deletions: list[str]

    @property
    def stale_at_the_edge(self) -> list[str]:
        """The keys whose cached copies are now wrong: replaced and deleted ones."""
        return sorted(self.replaced + self.deletions)

    @property
    def changes_anything(self) -> bool:
        return bool(self.uploads or self.deletions)


def content_type(path: Path) -> str:
    known = CONTENT_TYPES.get(path.suffix.lower())
    return known or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def cache_control(key: str) -> str:
    return IMMUTABLE if key.startswith(HASHED_PREFIX) else REVALIDATE


def site_files(site: Path) -> list[SiteFile]:
    """Every file of the built site, in upload order: hashed assets, then the rest, pages last."""
    files = [
        SiteFile(path, key, content_type(path), cache_control(key))
        for path in site.rglob("*")
        if path.is_file()
        for key in [path.relative_to(site).as_posix()]
    ]
    return sorted(files, key=lambda file: (_UPLOAD_ORDER[file.kind], file.key))


def stack_outputs(cloudformation: Any, stage: str) -> dict[str, str]:
    stack = cloudformation.describe_stacks(StackName=f"{SERVICE}-{stage}")["Stacks"][0]
    return {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}


def stored_keys(s3: Any, bucket: str) -> list[str]:
    """Every key in the bucket (ListObjectsV2 returns at most 1,000 a page)."""
    return [
        stored["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for stored in page.get("Contents", [])
    ]


def stored_object(s3: Any, bucket: str, key: str) -> Stored:
    head = s3.head_object(Bucket=bucket, Key=key)
    return Stored(head.get("Metadata", {}).get(HASH_METADATA), head.get("ContentType"), head.get("CacheControl"))


def plan_sync(s3: Any, bucket: str, site: Path, force: bool = False, only: list[str] | None = None) -> SyncPlan:
    """Compares site/ (only the keys under the `only` prefixes, if given) with the bucket; changes nothing."""

    def wanted(key: str) -> bool:
        return only is None or key.startswith(tuple(only))

    files = [file for file in site_files(site) if wanted(file.key)]
    in_bucket = {key for key in stored_keys(s3, bucket) if wanted(key)}
    # Listings carry no metadata, so each key present on both sides costs one HeadObject.
    shared = [file for file in files if file.key in in_bucket]
    with ThreadPoolExecutor(max_workers=HEAD_WORKERS) as pool:
        stored = dict(
            zip(
                (file.key for file in shared),
                pool.map(lambda file: stored_object(s3, bucket, file.key), shared),
                strict=True,
            )
        )
    uploads = [file for file in files if force or not _same(file, stored.get(file.key))]
    local_keys = {file.key for file in files}
    return SyncPlan(
        uploads=uploads,
        replaced=[file.key for file in uploads if file.key in in_bucket],
        unchanged=len(files) - len(uploads),
        deletions=sorted(key for key in in_bucket if key not in local_keys and not key.startswith(HASHED_PREFIX)),
    )


def _same(file: SiteFile, stored: Stored | None) -> bool:
    # Headers count too: a change of the cache rules above reaches every object without --force.
    return stored is not None and stored == Stored(file.sha256(), file.content_type, file.cache_control)


def apply_sync(s3: Any, bucket: str, plan: SyncPlan) -> None:
    for file in plan.uploads:
        with file.path.open("rb") as body:
            s3.put_object(
                Bucket=bucket,
                Key=file.key,
                Body=body,
                ContentType=file.content_type,
                CacheControl=file.cache_control,
                Metadata={HASH_METADATA: file.sha256()},
            )
    for start in range(0, len(plan.deletions), 1000):  # DeleteObjects takes at most 1,000 keys
        batch = plan.deletions[start : start + 1000]
        s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True})


def sync(s3: Any, bucket: str, site: Path, force: bool = False) -> SyncPlan:
    """Uploads new and changed files, then deletes stale ones (not old static/ assets); returns what it did."""
    plan = plan_sync(s3, bucket, site, force)
    apply_sync(s3, bucket, plan)
    return plan


def invalidation_paths(keys: list[str]) -> list[str]:
    """The URLs under which CloudFront may hold these keys; ["/*"] when there are too many to list."""
    paths: set[str] = set()
    for key in keys:
        path = "/" + quote(key)  # CloudFront wants non-ASCII and unsafe characters URL-encoded
        paths.add(path)
        # Visitors ask for a page by its folder, /x/, which the index rewrite serves from /x/index.html.
        if key == "index.html" or key.endswith("/index.html"):
            paths.add(path.removesuffix("index.html"))
    return sorted(paths) if len(paths) <= MAX_INVALIDATION_PATHS else ["/*"]


def invalidate(cloudfront: Any, distribution_id: str, paths: list[str]) -> str | None:
    """Starts an invalidation of the paths, if any; returns its id."""
    if not paths:
        return None
    response = cloudfront.create_invalidation(
        DistributionId=distribution_id,
        InvalidationBatch={
            "Paths": {"Quantity": len(paths), "Items": paths},
            "CallerReference": f"deploy-{time.time_ns()}",
        },
    )
    invalidation_id: str = response["Invalidation"]["Id"]
    return invalidation_id


def built_site_url(site: Path) -> str | None:
    """The address the site was built for, as its robots.txt names it (the build always writes one)."""
    robots = site / "robots.txt"
    if not robots.exists():
        return None
    found = re.search(r"^Sitemap: (\S+?)/sitemap\.xml$", robots.read_text(encoding="utf-8"), re.MULTILINE)
    return found.group(1) if found else None


def _is_local(url: str) -> bool:
    """This machine's address (as build.py's is_local_site_url; the deploy tool does not import the build)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def check_site_url(site: Path, site_url: str) -> None:
    """Refuse a site built for this machine (portal.yaml's preview address): its sitemap and canonical links would
    send search engines and visitors to 127.0.0.1. Another address than the stack's (a custom domain) is only said."""
    built = built_site_url(site)
    if built is None:
        return
    if _is_local(built):
        raise SystemExit(
            f"{site} was built for {built} (this machine): rebuild it with "
            f"python build.py --site-url {site_url}, or run make deploy, which does"
        )
    if built.rstrip("/") != site_url.rstrip("/"):
        log.warning("site/ was built for %s, the stack serves it at %s", built, site_url)


def deploy_site(session: Any, stage: str, site: Path, force: bool = False) -> dict[str, str]:
    _require_built(site)
    outputs = stack_outputs(session.client("cloudformation"), stage)
    check_site_url(site, outputs["SiteUrl"])
    bucket, distribution_id = outputs["SiteBucketName"], outputs["DistributionId"]
    plan = sync(session.client("s3"), bucket, site, force)
    paths = invalidation_paths(plan.stale_at_the_edge)
    invalidation = invalidate(session.client("cloudfront"), distribution_id, paths)
    invalidated = "all paths (/*)" if paths == ["/*"] else f"{len(paths)} paths"
    started = f", CloudFront {distribution_id} invalidation {invalidation}" if invalidation else ""
    log.info(
        "site: %d uploaded, %d unchanged, %d deleted, %s invalidated (s3://%s%s)",
        len(plan.uploads),
        plan.unchanged,
        len(plan.deletions),
        invalidated,
        bucket,
        started,
    )
    log.info("the portal: %s", outputs["SiteUrl"])
    return outputs


def changed_under(session: Any, stage: str, site: Path, prefixes: list[str]) -> bool:
    """Whether deploying site/ would upload or delete a key under one of the prefixes; changes nothing."""
    from botocore.exceptions import ClientError

    _require_built(site)
    try:
        outputs = stack_outputs(session.client("cloudformation"), stage)
    except ClientError as error:
        if "does not exist" in str(error):  # the first deploy: everything is new
            return True
        raise
    return plan_sync(session.client("s3"), outputs["SiteBucketName"], site, only=prefixes).changes_anything


def _require_built(site: Path) -> None:
    if not (site / "index.html").exists():
        raise SystemExit(f"{site} holds no built site: run make build first")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stage", required=True)
    parser.add_argument("--region", default=DEFAULT_REGION)
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="the built site (default site/)")
    parser.add_argument("--force", action="store_true", help="upload every file, changed or not")
    parser.add_argument(
        "--changed-under",
        nargs="+",
        metavar="PREFIX",
        help="only print true or false: would a key under a PREFIX change? (uploads nothing)",
    )
    parser.add_argument(
        "--site-url",
        action="store_true",
        help="only print the stack's SiteUrl, for build.py --site-url (uploads nothing)",
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    import boto3  # here, so --help works without it

    session = boto3.Session(region_name=arguments.region)
    if arguments.site_url:
        sys.stdout.write(stack_outputs(session.client("cloudformation"), arguments.stage)["SiteUrl"] + "\n")
        return
    if arguments.changed_under:
        changed = changed_under(session, arguments.stage, arguments.site, arguments.changed_under)
        sys.stdout.write("true\n" if changed else "false\n")
        return
    deploy_site(session, arguments.stage, arguments.site, arguments.force)


if __name__ == "__main__":
    main()
