"""The API's reader of the build's catalogue: site/catalog.json and the shards it names (format version 2).

A cold Lambda reads the small entry point, then only the one shard a request needs (region + sub-item code
-> crc32 -> shard), kept in a small bounded cache; the province's 100,000 sub-items are never loaded at once.
The file format is written by sitegen/catalog_export.py; the two sides share no code, only this format.
"""

from __future__ import annotations

import gzip
import json
import logging
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, TypeVar

from pydantic import ValidationError  # loaded with FastAPI anyway; the models themselves are not

if TYPE_CHECKING:
    from .catalogue_models import (
        CatalogueFile,
        CatalogueIndex,
        DecisionKind,
        Department,
        RegionFile,
        RegionRef,
        ResultTemplate,
        SubItem,
        TemplateText,
    )

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
SHARD_CACHE_SIZE = 64
"""Catalogue files (sub-item shards, departments lists) a process keeps parsed: memory stays bounded however
large the province's catalogue grows."""


class CatalogueError(Exception):
    """The catalogue files are missing, unreadable or not what this API reads: a deployment fault, not the user's."""


class CatalogueVersionMismatch(CatalogueError):
    def __init__(self, path: Path, found: object) -> None:
        super().__init__(
            f"{path}: catalogue format version {found!r}, but this API reads version {FORMAT_VERSION}; "
            "build the site and the API from the same release"
        )
        self.path, self.found = path, found


# --- the reader ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CacheInfo:
    hits: int
    misses: int
    maxsize: int
    currsize: int


_Parsed = TypeVar("_Parsed", bound="CatalogueFile")
_RegionPart = TypeVar("_RegionPart", bound="RegionFile")


class CatalogueReader:
    """The catalogue as the API asks about it. One per process; safe to share between request threads."""

    def __init__(self, index_path: Path, cache_size: int = SHARD_CACHE_SIZE) -> None:
        self.index_path = Path(index_path)
        self.site_root = self.index_path.parent  # the index names its files relative to site/
        self._cache_size = cache_size
        self._files: OrderedDict[str, RegionFile] = OrderedDict()
        self._lock = threading.Lock()
        self._hits = self._misses = 0

    # -- questions

    @cached_property
    def index(self) -> CatalogueIndex:
        """catalog.json, read and checked on first use; a failure is not cached, the next use tries again."""
        from .catalogue_models import CatalogueIndex

        return self._parse(self.index_path, CatalogueIndex)

    @cached_property
    def _regions(self) -> dict[str, RegionRef]:
        return {region.code: region for region in self.index.regions}

    def regions(self) -> list[RegionRef]:
        return list(self.index.regions)

    def region(self, code: str) -> RegionRef | None:
        return self._regions.get(code)

    def departments(self, region_code: str) -> list[Department]:
        """The region's departments; none for a region the catalogue does not have."""
        from .catalogue_models import DepartmentsFile

        region = self.region(region_code)
        return list(self._file(region.departments, region, DepartmentsFile).departments) if region else []

    def department(self, region_code: str, code: str) -> Department | None:
        return next((dept for dept in self.departments(region_code) if dept.code == code), None)

    def department_name(self, region_code: str, code: str) -> str:
        """The department's full name, or its code if the catalogue no longer has it."""
        department = self.department(region_code, code)
        return department.full_name if department else code

    def subitem(self, region_code: str, code: str) -> tuple[RegionRef, SubItem] | None:
        """(region, sub-item), or None if either is not in the catalogue; reads at most one shard."""
        from .catalogue_models import SubitemShard

        region = self.region(region_code)
        if region is None:
            return None
        shards = region.subitem_shards
        shard = self._file(shards[zlib.crc32(code.encode("utf-8")) % len(shards)], region, SubitemShard)
        subitem = shard.subitems.get(code)
        return (region, subitem) if subitem else None

    def result_template(self, region_code: str, subitem_code: str, kind: DecisionKind) -> ResultTemplate | None:
        """The 结果文书 template for this sub-item's decision of this kind: its item's own, else the portal's default;
        None if the sub-item is not in the catalogue (or the catalogue has no templates)."""
        from .catalogue_models import ResultTemplate

        found = self.subitem(region_code, subitem_code)
        if found is None:
            return None
        own = found[1].result_documents.get(kind)
        text = own or self._default_templates.get(kind)
        if text is None:
            return None
        return ResultTemplate(kind=kind, title=text.title, body=text.body, overridden=own is not None)

    @cached_property
    def _default_templates(self) -> dict[str, TemplateText]:
        """catalog/documents.json, read once: a few kilobytes for the whole portal."""
        from .catalogue_models import DocumentsFile

        relative = self.index.documents
        if relative is None:
            return {}
        return dict(self._parse(self._resolve(relative), DocumentsFile).documents)

    def cache_info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, self._cache_size, len(self._files))

    # -- files

    def _file(self, relative: str, region: RegionRef, model: type[_RegionPart]) -> _RegionPart:
        with self._lock:
            cached = self._files.get(relative)
            if cached is not None:
                self._files.move_to_end(relative)
                self._hits += 1
                return cached  # type: ignore[return-value]
            self._misses += 1
        # Parsed outside the lock: two threads may both read a cold shard, but neither waits on the other's disk.
        path = self._resolve(relative)
        parsed = self._parse(path, model)
        if parsed.region != region.code:
            raise CatalogueError(f"{path}: holds region {parsed.region}, but catalog.json lists it for {region.code}")
        with self._lock:
            self._files[relative] = parsed
            self._files.move_to_end(relative)
            while len(self._files) > self._cache_size:
                self._files.popitem(last=False)
        return parsed

    def _resolve(self, relative: str) -> Path:
        parts = PurePosixPath(relative)
        if parts.is_absolute() or ".." in parts.parts:
            raise CatalogueError(f"{self.index_path}: names {relative}, outside the site folder")
        return self.site_root / parts

    def _parse(self, path: Path, model: type[_Parsed]) -> _Parsed:
        """One catalogue file, its version checked before its shape, so an old file gets the clear message."""
        try:
            document = json.loads(self._read(path))
        except (OSError, ValueError) as exc:
            raise CatalogueError(f"{path}: cannot be read as JSON ({exc})") from exc
        found = document.get("version") if isinstance(document, dict) else None
        if found != FORMAT_VERSION:
            raise CatalogueVersionMismatch(path, found)
        try:
            return model.model_validate(document)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"])
            raise CatalogueError(f"{path}: not a valid catalogue file: {where}: {first['msg']}") from exc

    @staticmethod
    def _read(path: Path) -> bytes:
        """Every read of a catalogue file goes through here (the tests count them). The Lambda bundle ships the
        shards gzip-compressed (tools/build_lambda_bundle.py): `x.json` is then read from `x.json.gz`."""
        try:
            return path.read_bytes()
        except FileNotFoundError:
            compressed = path.with_name(path.name + ".gz")
            if not compressed.is_file():
                raise
            return gzip.decompress(compressed.read_bytes())
