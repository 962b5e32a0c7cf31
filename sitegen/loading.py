"""Phase one of the build: read every file under content/, validate it, and assemble the Catalog.

Layout read here:
    content/portal.yaml, content/<agreement_file>, content/<privacy_file>, content/<accessibility_file>
    content/regions/<slug>/region.yaml
    content/regions/<slug>/departments.yaml          (a list of departments)
    content/regions/<slug>/notices/<notice>.md       (通知公告: YAML front matter + Markdown)
    content/regions/<slug>/items/<item>/item.yaml     (the 主项)
    content/regions/<slug>/items/<item>/*.md          (one sub-item guide each: YAML front matter + Markdown)
    content/regions/<slug>/items/<item>/<sub>/*.md    (结果文书 templates its item.yaml names in result_documents)
    content/documents/<kind>.md                       (the portal's default 结果文书 template of each decision kind)
    content/files/...                                 (blank forms and samples)

Each file is parsed on its own (sitegen.parsing), at most once per version of its bytes: the BuildCache keeps
the validated model, so a rebuild parses only what changed, in worker processes when there is much of it.
The rules that span files run on every build over the small facts kept of each file. All problems are
collected and raised together as ContentErrors; nothing is returned half-valid.
"""

from __future__ import annotations

import dataclasses
import gc
import marshal
import multiprocessing
import os
import pickle
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import parsing
from .cache import BuildCache, PayloadReader, digest
from .catalog import Catalog, DepartmentEntry, ItemEntry, NoticeEntry, PolicyPage, SubItemEntry
from .errors import ContentError, ContentErrors, Loc
from .models import DECISION_KINDS, NOTICE_SLUG_PATTERN, Department, ItemFile, Portal, Region
from .parsing import (  # noqa: F401  (FRONT_MATTER: tests edit with it)
    FRONT_MATTER,
    Listing,
    ParsedGuide,
    ResultTemplate,
    render_markdown,
)
from .yaml_lines import line_of

# Below this many files to parse, worker processes cost more than they save.
PARALLEL_THRESHOLD = 200
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Job:
    """One file to parse; `key` names its result in the cache."""

    key: str
    kind: str
    path: Path
    display: str
    defaults: dict[str, Any] | None = None
    """A guide's: its item's guide_defaults; a model file's: {"cls": the model it is validated as}."""
    item_display: str = ""
    item_path: Path | None = None
    item_key: str = ""
    """A guide's item: its guide_defaults are read from the cache only if the guide must be parsed."""


@dataclass
class _Scan:
    """Every content file with the digest of its bytes."""

    root: Path
    digests: dict[str, str] = field(default_factory=dict)
    """File path (as text) -> digest of its bytes."""
    errors: list[ContentError] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    _folders: dict[str, dict[str, bool]] = field(default_factory=dict)
    """Each folder's entries, read once: name -> is it a folder (other kinds left out). Kept this small on purpose:
    a province has 150,000 content files, and os.DirEntry objects with their stat would be 100 MB."""

    def entries(self, folder: Path | str, on_file: Callable[[os.DirEntry[str]], None] | None = None) -> dict[str, bool]:
        """The folder's entries by name, in name order; on_file sees each file's DirEntry the first time."""
        key = str(folder)
        found = self._folders.get(key)
        if found is None:
            found = {}
            try:
                with os.scandir(key) as listing:
                    for entry in listing:
                        if entry.is_dir():
                            found[entry.name] = True
                        elif entry.is_file():
                            found[entry.name] = False
                            if on_file:
                                on_file(entry)
            except (FileNotFoundError, NotADirectoryError):
                pass
            found = self._folders[key] = {name: found[name] for name in sorted(found)}
        return found

    def subfolders(self, folder: Path) -> list[Path]:
        return [folder / name for name, is_dir in self.entries(folder).items() if is_dir]

    def files(self, folder: Path, suffix: str) -> list[Path]:
        return [folder / name for name, is_dir in self.entries(folder).items() if not is_dir and name.endswith(suffix)]

    def is_file(self, path: Path) -> bool:
        return self.entries(path.parent).get(path.name) is False

    def display(self, path: Path) -> str:
        """Paths in messages start at the content folder's name, e.g. content/regions/anshan/region.yaml."""
        text, root = str(path), str(self.root)
        return self.root.name + text[len(root) :] if text.startswith(root + os.sep) else text

    def fail(self, path: Path, field_name: str, problem: str, line: int | None = None) -> None:
        self.errors.append(ContentError(self.display(path), field_name, problem, line))


def code_version() -> str:
    """What parsed models and rendered pages depend on besides content: this package's code and its libraries."""
    import jinja2
    import markdown
    import pydantic
    import yaml

    here = Path(__file__).resolve().parent
    sources = [p.read_bytes() for p in sorted(here.glob("*.py"))]
    versions = f"{jinja2.__version__} {markdown.__version__} {yaml.__version__} {pydantic.VERSION}"
    return digest(versions, parsing.Loader.__name__, *sources)


def load_catalog(
    content_dir: Path, cache: BuildCache | None = None, *, workers: int | None = None, progress: Progress | None = None
) -> Catalog:
    """Read and validate everything; raise ContentErrors listing every problem found.

    Without a cache (tests, one-off checks) the guides are parsed into memory and the catalogue holds them."""
    if cache is None:
        with tempfile.TemporaryDirectory(prefix="portal-cache-") as folder:
            scratch = BuildCache(Path(folder) / "cache.sqlite", code_version())
            try:
                catalog = load_catalog(content_dir, scratch, workers=workers, progress=progress)
                for sub in catalog.subitems():
                    sub.guide  # noqa: B018  (read now: the scratch cache is deleted below)
                    sub.load = None
                return catalog
            finally:
                scratch.close()
    return ContentReader(content_dir, cache, workers, progress).load()


class ContentReader:
    """Reads one content folder through the cache: fingerprint() cheaply tells whether anything changed, load()
    builds the catalogue (each file read at most once by both)."""

    def __init__(self, content_dir: Path, cache: BuildCache, workers: int | None, progress: Progress | None) -> None:
        self.scan = _Scan(content_dir)
        self.cache = cache
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.progress = progress or (lambda phase, done, total: None)
        self.reader = PayloadReader(cache.path)
        self.live_keys: list[str] = []
        self._defaults: dict[str, dict[str, Any]] = {}  # items' guide_defaults read from the cache for this load

    def fingerprint(self) -> str:
        """A digest of every file under content/, by path and bytes; files whose stat is unchanged are not read."""
        parts: list[str] = []
        folders = [str(self.scan.root)]
        root_length = len(folders[0])

        def add(entry: os.DirEntry[str]) -> None:
            self._digest_of(entry.path, entry)

        while folders:
            folder = folders.pop()
            for name, is_dir in self.scan.entries(folder, on_file=add).items():
                path = f"{folder}{os.sep}{name}"
                if is_dir:
                    folders.append(path)
                else:
                    parts += [path[root_length:], self._digest_of(path, None)]
        return digest(*parts)

    def remember_digests(self) -> None:
        """Keep the file digests read so far (load() does this itself)."""
        self.cache.save_file_digests(self.scan.digests)

    def load(self) -> Catalog:
        root = self.scan.root
        portal_path, agreement = root / "portal.yaml", None
        portal = self._one(portal_path, "portal", Portal)
        if portal is not None:
            agreement = self._agreement(portal_path, portal)
            portal = portal.model_copy(update={"agreement_html": agreement[1]}) if agreement else portal
        regions, all_regions_valid = self._regions()
        departments = [dept for region in regions for dept in self._departments(region)]
        items = self._items(regions, departments)
        self._guides(items)
        documents, documents_digest = self._default_documents()
        self._item_documents(items)
        files = sorted(set(self._check_files(items)) | set(self._party_mark_images(regions)))
        _check_unique_codes(self.scan, items)
        self._check_hot_services(regions, items)
        notices = {region.slug: self._notices(region) for region in regions}
        policies = self._policies(portal_path, portal) if portal else {}
        if portal and all_regions_valid and portal.default_region not in {region.slug for region in regions}:
            self.scan.fail(
                portal_path,
                "default_region",
                f"地区 {portal.default_region!r} 不存在",
                line_of(portal_path.read_text(encoding="utf-8"), ("default_region",)),
            )
        self.remember_digests()
        if self.scan.errors:
            raise ContentErrors(self.scan.errors)
        self.cache.forget_parsed_except(self.live_keys)
        return Catalog(
            portal=portal,
            regions=regions,
            departments=departments,
            items=items,
            files=files,
            documents=documents,
            documents_digest=documents_digest,
            portal_digest=digest(self._digest(portal_path), agreement[0] if agreement else ""),
            region_digests={r.slug: self._digest(root / "regions" / r.slug / "region.yaml") for r in regions},
            file_digests={name: self._digest(root / "files" / name) for name in files},
            notices=notices,
            policies=policies,
        )

    # --- reading files --------------------------------------------------------------------------------
    def _digest(self, path: Path) -> str:
        return self._digest_of(str(path), None)

    def _digest_of(self, path: str, entry: os.DirEntry[str] | None) -> str:
        """By the path's text: at 100,000 guides, Path objects are most of what a no-change rebuild costs."""
        found = self.scan.digests.get(path)
        if found is None:
            stat = entry.stat() if entry is not None else os.stat(path)
            found, _ = self.cache.file_digest(path, stat, self.scan.started)
            self.scan.digests[path] = found
        return found

    def _one(self, path: Path, kind: str, cls: type) -> Any:
        """A small YAML file as one model, through the cache."""
        if not path.is_file():
            self.scan.fail(path, "", "文件不存在")
            return None
        key = f"{kind}:{self._digest(path)}"
        return self._parse_all([Job(key, kind, path, self.scan.display(path), {"cls": cls})]).get(key)

    def _agreement(self, portal_path: Path, portal: Portal) -> tuple[str, str] | None:
        path = self.scan.root / portal.agreement_file
        if not path.is_file():
            self.scan.fail(portal_path, "agreement_file", f"文件 {portal.agreement_file} 不存在")
            return None
        return self._digest(path), render_markdown(path.read_text(encoding="utf-8"))

    # Titles of the portal-wide Markdown pages, by the Portal field naming each one's file.
    _POLICY_PAGES = {"privacy": ("privacy_file", "隐私政策"), "accessibility": ("accessibility_file", "无障碍说明")}

    def _policies(self, portal_path: Path, portal: Portal) -> dict[str, PolicyPage]:
        pages = {}
        for name, (field_name, title) in self._POLICY_PAGES.items():
            file_name = getattr(portal, field_name)
            path = self.scan.root / file_name
            if not path.is_file():
                self.scan.fail(portal_path, field_name, f"文件 {file_name} 不存在")
                continue
            pages[name] = PolicyPage(title, render_markdown(path.read_text(encoding="utf-8")), self._digest(path))
        return pages

    def _parse_all(self, jobs: list[Job]) -> dict[str, Any]:
        """Every job's result: from the cache where its key is known, else parsed (in parallel when many)."""
        self.live_keys.extend(job.key for job in jobs)
        stored = self.cache.parsed_summaries(job.key for job in jobs)
        results = {job.key: _unpack(job.kind, stored[job.key]) for job in jobs if job.key in stored}
        missing = [self._with_defaults(job) for job in jobs if job.key not in stored]
        rows = []
        for job, result in self._run_jobs(missing):
            if isinstance(result, list):  # the file's errors
                self.scan.errors.extend(result)
                continue
            if isinstance(result, parsing.ModelList) and result.errors:
                self.scan.errors.extend(result.errors)  # its valid entries are still used, but not cached
                results[job.key] = result
                continue
            summary, payload = _split(result)
            rows.append((job.key, _pack(job.kind, summary), payload))
            results[job.key] = summary
            if len(rows) >= 1000:  # streamed into the cache, never all held in memory
                self.cache.store_parsed(rows)
                rows = []
        self.cache.store_parsed(rows)
        return results

    def _with_defaults(self, job: Job) -> Job:
        if not job.item_key:
            return job
        defaults = self._defaults.get(job.item_key)
        if defaults is None:
            defaults = self._defaults[job.item_key] = self.reader.load(job.item_key)
        return dataclasses.replace(job, defaults=defaults)

    def _run_jobs(self, jobs: list[Job]) -> Iterator[tuple[Job, Any]]:
        total = len(jobs)
        if total < PARALLEL_THRESHOLD or self.workers < 2:
            for done, job in enumerate(jobs, 1):
                yield job, parse_job(job)
                if done % 200 == 0 or done == total:
                    self.progress("parse", done, total)
            return
        context = multiprocessing.get_context("fork")
        # gc.enable: the build turns the cyclic collector off while it assembles the catalogue, and the forked
        # workers inherit that; parsing Markdown makes cycles, which would pile up without it.
        with ProcessPoolExecutor(self.workers, mp_context=context, initializer=gc.enable) as pool:
            chunk = max(16, min(256, total // (self.workers * 8)))
            for done, (job, result) in enumerate(zip(jobs, pool.map(parse_job, jobs, chunksize=chunk), strict=True), 1):
                yield job, result
                if done % 200 == 0 or done == total:
                    self.progress("parse", done, total)

    # --- regions and departments ----------------------------------------------------------------------
    def _regions(self) -> tuple[list[Region], bool]:
        """The valid regions, and whether every region folder held one."""
        regions: list[Region] = []
        folders = self.scan.subfolders(self.scan.root / "regions")
        for folder in folders:
            path = folder / "region.yaml"
            region = self._one(path, "region", Region)
            if region is None:
                continue
            if region.slug != folder.name:
                self.scan.fail(path, "slug", f"必须与所在文件夹名一致（{folder.name}）", self._line(path, ("slug",)))
            for other in regions:
                if other.code == region.code:
                    self.scan.fail(
                        path, "code", f"地区代码 {region.code} 与 {other.name} 重复", self._line(path, ("code",))
                    )
            regions.append(region)
        if not regions:
            self.scan.fail(self.scan.root / "regions", "", "至少需要一个地区")
        return sorted(regions, key=lambda region: (region.order, region.code)), len(regions) == len(folders)

    def _notices(self, region: Region) -> list[NoticeEntry]:
        """The region's 通知公告, newest first (a few dozen at most: read on every build, not cached)."""
        notices = []
        for path in self.scan.files(self.scan.root / "regions" / region.slug / "notices", ".md"):
            slug = path.name[: -len(".md")]
            if not re.match(NOTICE_SLUG_PATTERN, slug):
                self.scan.fail(path, "", "文件名只能使用小写字母、数字和连字符（-），它是公告网址的一部分")
                continue
            parsed = parsing.parse_notice(self.scan.display(path), path.read_text(encoding="utf-8"))
            if isinstance(parsed, list):
                self.scan.errors.extend(parsed)
                continue
            notices.append(NoticeEntry(region.slug, slug, parsed[0], parsed[1], self._digest(path)))
        return sorted(notices, key=lambda entry: (entry.notice.date, entry.slug), reverse=True)

    def _check_hot_services(self, regions: list[Region], items: list[ItemEntry]) -> None:
        """热门服务 name sub-items of their own region: a typo or a removed item must not become a dead link.

        Checked once everything else is valid: a guide with an error is missing here, and its code is not the typo."""
        if self.scan.errors:
            return
        codes: dict[str, set[str]] = {}
        for item in items:
            codes.setdefault(item.region.slug, set()).update(sub.code for sub in item.subitems)
        for region in regions:
            path = self.scan.root / "regions" / region.slug / "region.yaml"
            for index, code in enumerate(region.hot_services):
                if code not in codes.get(region.slug, set()):
                    self.scan.fail(
                        path,
                        f"hot_services[{index}]",
                        f"热门服务中的事项编码 {code} 不是{region.name}的办理项",
                        self._line(path, ("hot_services", index)),
                    )

    def _party_mark_images(self, regions: list[Region]) -> list[str]:
        """The issued 党政机关网站标识 images the regions name: files inside content/files/, copied like forms."""
        files_dir = (self.scan.root / "files").resolve()
        found = []
        for region in regions:
            mark = region.marks.party_mark
            if mark is None:
                continue
            target = (files_dir / mark.image).resolve()
            if target.is_file() and files_dir in target.parents:
                found.append(mark.image)
            else:
                path = self.scan.root / "regions" / region.slug / "region.yaml"
                self.scan.fail(path, "marks.party_mark.image", f"文件 files/{mark.image} 不存在")
        return found

    def _line(self, path: Path, loc: Loc) -> int | None:
        return line_of(path.read_text(encoding="utf-8"), loc)

    def _departments(self, region: Region) -> list[DepartmentEntry]:
        path = self.scan.root / "regions" / region.slug / "departments.yaml"
        parsed = self._one(path, "departments", Department)
        if parsed is None:
            return []
        entries: dict[str, DepartmentEntry] = {}
        positions: dict[str, int] = {}  # where each entry stands in the file, for the error's line
        for index, spec in enumerate(parsed.entries):
            if spec is None:
                continue
            if spec.code in entries:
                self.scan.fail(path, f"[{index}].code", f"部门编码 {spec.code} 重复", self._line(path, (index, "code")))
                continue
            entries[spec.code] = DepartmentEntry(region=region, spec=spec, source=path)
            positions[spec.code] = index
        for entry in entries.values():
            # Entries already reported as invalid are skipped as parents, so their children add no noise.
            if entry.spec.parent is not None and entry.spec.parent not in parsed.invalid_codes:
                self._link_parent(path, region, entries, entry, positions[entry.code])
        for entry in entries.values():
            parent_spec = entry.parent.spec.model_dump_json() if entry.parent else ""
            entry.digest = digest(entry.spec.model_dump_json(), parent_spec)
        return list(entries.values())

    def _link_parent(
        self, path: Path, region: Region, entries: dict[str, DepartmentEntry], entry: DepartmentEntry, index: int
    ) -> None:
        parent = entries.get(entry.spec.parent or "")
        if parent is None or parent is entry:
            self.scan.fail(
                path,
                f"{entry.code}.parent",
                f"上级部门 {entry.spec.parent!r} 不存在于 {region.name}",
                self._line(path, (index, "parent")),
            )
        elif parent.spec.parent is not None:
            # Two levels (局 → 科) is what citizens see; deeper trees would need a different navigation.
            self.scan.fail(
                path,
                f"{entry.code}.parent",
                f"上级部门 {parent.code} 本身也有上级，最多两级",
                self._line(path, (index, "parent")),
            )
        else:
            entry.parent = parent

    # --- items and their guides -----------------------------------------------------------------------
    def _items(self, regions: list[Region], departments: list[DepartmentEntry]) -> list[ItemEntry]:
        folders = {
            region.slug: self.scan.subfolders(self.scan.root / "regions" / region.slug / "items") for region in regions
        }
        jobs = []
        for region in regions:
            for folder in folders[region.slug]:
                path = folder / "item.yaml"
                if not self.scan.is_file(path):
                    self.scan.fail(path, "", "文件不存在")
                    continue
                jobs.append(Job(f"item:{self._digest(path)}", "item", path, self.scan.display(path), {"cls": ItemFile}))
        specs = self._parse_all(jobs)
        items: list[ItemEntry] = []
        for region in regions:
            by_code = {dept.code: dept for dept in departments if dept.region is region}
            region_items = []
            for folder in folders[region.slug]:
                path = folder / "item.yaml"
                spec = specs.get(f"item:{self.scan.digests.get(str(path), '')}")
                if spec is None:
                    continue
                department = by_code.get(spec.department)
                if department is None:
                    self.scan.fail(
                        path,
                        "department",
                        f"部门 {spec.department!r} 不存在于 {region.name} 的 departments.yaml",
                        self._line(path, ("department",)),
                    )
                    continue
                region_items.append(
                    ItemEntry(
                        spec=spec,
                        region=region,
                        department=department,
                        source=path,
                        digest=self.scan.digests[str(path)],
                    )
                )
            items.extend(sorted(region_items, key=lambda item: (item.spec.order, item.code)))
        return items

    def _guides(self, items: list[ItemEntry]) -> None:
        jobs: list[Job] = []
        owners: list[tuple[ItemEntry, Job]] = []
        for item in items:
            files = self.scan.files(item.source.parent, ".md")
            if not files:
                self.scan.fail(item.source, "", "事项至少需要一个子事项（同一文件夹中的 .md 文件）")
            for path in files:
                # Validated over the item's defaults: the key names both files' bytes.
                job = Job(
                    f"guide:{self._digest(path)}:{item.digest}",
                    "guide",
                    path,
                    self.scan.display(path),
                    None,
                    self.scan.display(item.source),
                    item.source,
                    f"item:{item.digest}",
                )
                jobs.append(job)
                owners.append((item, job))
        parsed = self._parse_all(jobs)
        for item, job in owners:
            summary = parsed.get(job.key)
            if summary is None:
                continue
            listing, _downloads = summary
            item.subitems.append(
                SubItemEntry(
                    listing=listing, item=item, source=job.path, digest=job.key, load=_Payload(self.reader, job.key)
                )
            )
        for item in items:
            # Sub-items are listed in 事项编码 order (-01, -02, ...), whatever their file names.
            item.subitems.sort(key=lambda sub: sub.code)
        self._downloads = {job.path: parsed[job.key][1] for _, job in owners if job.key in parsed}

    # --- result documents (结果文书) -------------------------------------------------------------------
    def _default_documents(self) -> tuple[dict[str, ResultTemplate], str]:
        """content/documents/<kind>.md: one template for each decision kind, no other files."""
        folder = self.scan.root / "documents"
        paths = {kind: folder / f"{kind}.md" for kind in DECISION_KINDS}
        for path in self.scan.files(folder, ".md"):
            if path.stem not in DECISION_KINDS:
                known = "、".join(f"{kind}.md（{label}）" for kind, label in DECISION_KINDS.items())
                self.scan.fail(path, "", f"不认识的文书类型 {path.stem!r}，文件名可选：{known}")
        for kind, path in paths.items():
            if not self.scan.is_file(path):
                self.scan.fail(path, "", f"文件不存在：缺少默认的结果文书模板（{DECISION_KINDS[kind]}）")
        found = self._templates({kind: path for kind, path in paths.items() if self.scan.is_file(path)})
        return found, digest(*(part for kind in sorted(found) for part in (kind, self._digest(paths[kind]))))

    def _item_documents(self, items: list[ItemEntry]) -> None:
        """The templates an item.yaml names in result_documents, which must be files inside the item's folder."""
        for item in items:
            folder = item.source.parent
            paths: dict[str, Path] = {}
            for kind, name in item.spec.result_documents.items():
                path = folder / name
                if path.is_file() and folder.resolve() in path.resolve().parents:
                    paths[kind] = path
                else:
                    self.scan.fail(
                        item.source,
                        f"result_documents.{kind}",
                        f"文件 {name} 不存在于事项文件夹中",
                        self._line(item.source, ("result_documents", kind)),
                    )
            if paths:
                item.documents = self._templates(paths)
                item.documents_digest = digest(
                    *(part for kind in sorted(paths) for part in (kind, self._digest(paths[kind])))
                )

    def _templates(self, paths: dict[str, Path]) -> dict[str, ResultTemplate]:
        jobs = {
            kind: Job(f"document:{self._digest(path)}", "document", path, self.scan.display(path))
            for kind, path in paths.items()
        }
        parsed = self._parse_all(list(jobs.values()))
        return {kind: parsed[job.key] for kind, job in jobs.items() if job.key in parsed}

    def _check_files(self, items: list[ItemEntry]) -> list[str]:
        """Every blank form and sample a guide names must be a file inside content/files/."""
        files_dir = (self.scan.root / "files").resolve()
        checked: dict[str, bool] = {}  # a province's guides share a few hundred forms: resolve each once
        used: set[str] = set()
        for item in items:
            for sub in item.subitems:
                for index, attr, name in self._downloads.get(sub.source, ()):
                    if name not in checked:
                        target = (files_dir / name).resolve()
                        checked[name] = target.is_file() and files_dir in target.parents
                    if checked[name]:
                        used.add(name)
                    else:
                        self.scan.fail(sub.source, f"materials[{index}].{attr}", f"文件 files/{name} 不存在")
        return sorted(used)


@dataclass(frozen=True)
class _Payload:
    """Loads one guide back from the cache (picklable, so worker processes can call it too)."""

    reader: PayloadReader
    key: str

    def __call__(self) -> Any:
        return self.reader.load(self.key)


def _split(result: Any) -> tuple[Any, bytes | None]:
    """What the catalogue keeps of a parse (its summary), and what the cache keeps apart until asked for: a
    guide's full model, an item's guide_defaults (needed only to parse its guides again)."""
    if isinstance(result, ParsedGuide):
        return (result.listing, result.downloads), result.payload
    if isinstance(result, ItemFile):
        defaults = pickle.dumps(result.guide_defaults, protocol=pickle.HIGHEST_PROTOCOL)
        return result.model_copy(update={"guide_defaults": {}}), defaults
    return result, None


def _pack(kind: str, summary: Any) -> bytes:
    """The cache's bytes for a summary. Every build reads every summary back: at 100,000 guides and 40,000
    items, marshal of plain values is several times faster to read than pickled pydantic models."""
    if kind == "guide":
        listing, downloads = summary
        return marshal.dumps((dataclasses.astuple(listing), downloads))
    if kind == "item":
        return pickle.dumps(summary.model_dump(exclude={"guide_defaults"}), protocol=pickle.HIGHEST_PROTOCOL)
    return pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(kind: str, data: bytes) -> Any:
    if kind == "guide":
        listing, downloads = marshal.loads(data)
        return Listing(*listing), downloads
    if kind == "item":
        return ItemFile.model_construct(**pickle.loads(data))  # validated before it was stored
    return pickle.loads(data)


def parse_job(job: Job) -> Any:
    """Run in a worker: parse one file; the result is a model (or summary) or a list of ContentErrors."""
    text = job.path.read_text(encoding="utf-8")
    if job.kind == "guide":
        item_text = job.item_path.read_text(encoding="utf-8") if job.item_path else ""
        return parsing.parse_guide(job.display, text, job.defaults or {}, job.item_display, item_text)
    if job.kind == "document":
        return parsing.parse_result_template(job.display, text)
    if job.kind == "departments":
        return parsing.parse_model_list(job.display, text, Department)
    assert job.defaults is not None  # a model file's job carries its model class
    return parsing.parse_model(job.display, text, job.defaults["cls"])


def _check_unique_codes(scan: _Scan, items: list[ItemEntry]) -> None:
    """事项编码 identify items and sub-items across the whole province; applications refer to them."""
    seen: dict[str, Path] = {}
    for item in items:
        for code, source in [(item.code, item.source)] + [(sub.code, sub.source) for sub in item.subitems]:
            if code in seen:
                scan.fail(source, "code", f"事项编码 {code} 与 {scan.display(seen[code])} 重复")
            else:
                seen[code] = source
