"""The names index of a region's search: every guide's name, department and 服务对象, sharded by character pair.

Most searches on a government portal are for an item's name (社会保障卡, 出生登记). They are answered from this index
alone, so a first search fetches one small JSON file instead of pagefind's runtime and index (~180 KB gzip);
pagefind's full text stays behind it for what no name holds (js/pages/search.js).

A guide is listed in the bucket of every character pair (bigram) of its normalised name. Any name containing a
query contains the query's first pair, so the one bucket of that pair holds every guide whose name contains the
query: the page filters that bucket and is complete, with no ranking cut-off. The bucket of a pair is FNV-1a over
its code points, modulo the region's bucket count; templates/static/js/search/names.js computes the same.

Written as Outputs (sitegen.site_plan): a bucket is remade only when a guide listed in it changed.

    site/<region>/names/index.json         {"buckets": N, "guides": count, "departments": [...]}
    site/<region>/names/<N>/<bucket>.json  {"guides": [[name, url, department, [服务对象…], online], ...]}
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable

from .catalog import Catalog, SubItemEntry
from .models import Region
from .outputs import Output
from .urls import NAMES_SEGMENT

GUIDES_PER_BUCKET = 200
"""A bucket's average length the bucket count aims below: ~20 KB raw, ~6 KB gzip."""

_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193

Record = list[object]


def normalise(text: str) -> str:
    """What matching compares: NFKC (full-width brackets and letters to their plain forms), lower case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def bigrams(text: str) -> set[str]:
    """The character pairs of the normalised text (code points, so a rare character outside the BMP counts once)."""
    plain = normalise(text)
    return {plain[i : i + 2] for i in range(len(plain) - 1)}


def bucket_of(pair: str, count: int) -> int:
    """FNV-1a (32 bit) over the pair's code points, modulo count; js/search/names.js bucketOf is the same."""
    value = _FNV_OFFSET
    for char in pair:
        value = ((value ^ ord(char)) * _FNV_PRIME) & 0xFFFFFFFF
    return value % count


def bucket_count(postings: int) -> int:
    """The smallest power of two that keeps buckets at GUIDES_PER_BUCKET listings or fewer on average."""
    count = 1
    while count * GUIDES_PER_BUCKET < postings:
        count *= 2
    return count


def index_path(region: Region) -> str:
    return f"{region.slug}/{NAMES_SEGMENT}/index.json"


def bucket_path(region: Region, count: int, bucket: int) -> str:
    return f"{region.slug}/{NAMES_SEGMENT}/{count}/{bucket:x}.json"


def record(sub: SubItemEntry) -> Record:
    """What a result shows of a guide without opening it: name, page, department, 服务对象, 网上办理."""
    listing = sub.listing
    return [listing.name, sub.url, sub.item.department.full_name, list(listing.audiences), int(listing.online)]


def _text(document: dict[str, object]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def _bucket_maker(subs: list[SubItemEntry]) -> Callable[[], str]:
    return lambda: _text({"guides": [record(sub) for sub in subs]})


def _deps(sub: SubItemEntry) -> tuple[str, str]:
    # The listing holds name, 服务对象 and 网上办理; the department entry's digest covers its (parent's) name.
    return sub.listing_digest, sub.item.department.digest


def region_outputs(catalog: Catalog, region: Region) -> list[Output]:
    subs = catalog.subitems(region)
    pairs = [bigrams(sub.listing.name) for sub in subs]
    count = bucket_count(sum(len(found) for found in pairs))
    members: list[list[SubItemEntry]] = [[] for _ in range(count)]
    for sub, found in zip(subs, pairs, strict=True):
        for bucket in sorted({bucket_of(pair, count) for pair in found}):
            members[bucket].append(sub)
    outputs = [
        Output(
            bucket_path(region, count, bucket),
            (region.slug, str(count), *(part for sub in listed for part in _deps(sub))),
            _bucket_maker(listed),
        )
        for bucket, listed in enumerate(members)
    ]
    listed_departments = {id(sub.item.department) for sub in subs}
    departments = [dept.full_name for dept in catalog.departments_of(region) if id(dept) in listed_departments]
    manifest = {"buckets": count, "guides": len(subs), "departments": departments}
    outputs.append(Output(index_path(region), (region.slug, _text(manifest)), lambda: _text(manifest)))
    return outputs


def names_outputs(catalog: Catalog) -> list[Output]:
    """Every region's names index."""
    return [output for region in catalog.regions for output in region_outputs(catalog, region)]
