"""Phase one of the build: read every file under content/, validate it, and assemble the Catalog.

Layout read here:
    content/portal.yaml, content/<agreement_file>
    content/regions/<slug>/region.yaml
    content/regions/<slug>/departments.yaml          (a list of departments)
    content/regions/<slug>/items/<item>/item.yaml     (the 主项)
    content/regions/<slug>/items/<item>/*.md          (one sub-item guide each: YAML front matter + Markdown)
    content/files/...                                 (blank forms and samples)
All problems are collected and raised together as ContentErrors; nothing is returned half-valid.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import yaml
from pydantic import BaseModel, ValidationError

from .catalog import Catalog, DepartmentEntry, ItemEntry, SubItemEntry
from .errors import ContentError, ContentErrors, from_validation_error
from .models import Department, Guide, ItemFile, Portal, Region

# What read_yaml returns for a file it has already reported as unreadable.
UNREADABLE = object()

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*\n?(.*)\Z", re.S | re.M)


class _Reader:
    """Collects errors while reading, so one build reports every broken file at once."""

    def __init__(self, content_dir: Path) -> None:
        self.root = content_dir
        self.errors: list[ContentError] = []

    def display(self, path: Path) -> str:
        """Paths in messages start at the content folder's name, e.g. content/regions/anshan/region.yaml."""
        try:
            return str(Path(self.root.name) / path.relative_to(self.root))
        except ValueError:
            return str(path)

    def fail(self, path: Path, field: str, problem: str) -> None:
        self.errors.append(ContentError(self.display(path), field, problem))

    def read_yaml(self, path: Path, text: str | None = None) -> Any:
        if text is None:
            if not path.is_file():
                self.fail(path, "", "文件不存在")
                return UNREADABLE
            text = path.read_text(encoding="utf-8")
        try:
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列：" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            self.fail(path, "", f"YAML 语法错误：{where}{problem}")
            return UNREADABLE

    def model(self, path: Path, cls: type[BaseModel], data: Any, prefix: tuple = ()) -> Any:
        if data is UNREADABLE:
            return None
        if not isinstance(data, dict):
            self.fail(path, ".".join(map(str, prefix)), "内容必须是键值映射（key: value）")
            return None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            self.errors.extend(from_validation_error(self.display(path), exc, prefix))
            return None


def load_catalog(content_dir: Path) -> Catalog:
    """Read and validate everything; raise ContentErrors listing every problem found."""
    reader = _Reader(content_dir)
    portal = _load_portal(reader)
    regions, all_regions_valid = _load_regions(reader)
    departments = [dept for region in regions for dept in _load_departments(reader, region)]
    items = [item for region in regions for item in _load_items(reader, region, departments)]
    files = _check_files(reader, items)
    _check_unique_codes(reader, items)
    if portal and all_regions_valid and portal.default_region not in {region.slug for region in regions}:
        reader.fail(content_dir / "portal.yaml", "default_region", f"地区 {portal.default_region!r} 不存在")
    if reader.errors:
        raise ContentErrors(reader.errors)
    return Catalog(portal=portal, regions=regions, departments=departments, items=items, files=files)


def render_markdown(text: str, heading_level: int = 2) -> str:
    """Editors write `#` for the top heading of their text; it becomes <h{heading_level}> on the page."""
    return markdown.markdown(
        text,
        extensions=["tables", "sane_lists", "attr_list", "toc"],
        extension_configs={"toc": {"baselevel": heading_level}},
        output_format="html",
    )


def _load_portal(reader: _Reader) -> Portal | None:
    path = reader.root / "portal.yaml"
    portal = reader.model(path, Portal, reader.read_yaml(path))
    if portal is None:
        return None
    agreement = reader.root / portal.agreement_file
    if not agreement.is_file():
        reader.fail(path, "agreement_file", f"文件 {portal.agreement_file} 不存在")
        return portal
    return portal.model_copy(update={"agreement_html": render_markdown(agreement.read_text(encoding="utf-8"))})


def _load_regions(reader: _Reader) -> tuple[list[Region], bool]:
    """The valid regions, and whether every region folder held one."""
    regions: list[Region] = []
    folders = sorted(p for p in (reader.root / "regions").glob("*") if p.is_dir())
    for folder in folders:
        path = folder / "region.yaml"
        region = reader.model(path, Region, reader.read_yaml(path))
        if region is None:
            continue
        if region.slug != folder.name:
            reader.fail(path, "slug", f"必须与所在文件夹名一致（{folder.name}）")
        for other in regions:
            if other.code == region.code:
                reader.fail(path, "code", f"地区代码 {region.code} 与 {other.name} 重复")
        regions.append(region)
    if not regions:
        reader.fail(reader.root / "regions", "", "至少需要一个地区")
    return sorted(regions, key=lambda region: (region.order, region.code)), len(regions) == len(folders)


def _load_departments(reader: _Reader, region: Region) -> list[DepartmentEntry]:
    path = reader.root / "regions" / region.slug / "departments.yaml"
    data = reader.read_yaml(path)
    if data is UNREADABLE:
        return []
    if not isinstance(data, list):
        reader.fail(path, "", "内容必须是部门列表（每项以 - 开头）")
        return []
    entries: dict[str, DepartmentEntry] = {}
    invalid: set[str] = set()  # codes of entries already reported, so their children add no noise
    for index, raw in enumerate(data):
        spec = reader.model(path, Department, raw, (index,))
        if spec is None:
            invalid.add(str(raw.get("code")) if isinstance(raw, dict) else "")
            continue
        if spec.code in entries:
            reader.fail(path, f"[{index}].code", f"部门编码 {spec.code} 重复")
            continue
        entries[spec.code] = DepartmentEntry(region=region, spec=spec, source=path)
    for entry in entries.values():
        if entry.spec.parent is None:
            continue
        parent = entries.get(entry.spec.parent)
        if entry.spec.parent in invalid:
            continue
        if parent is None or parent is entry:
            reader.fail(path, f"{entry.code}.parent", f"上级部门 {entry.spec.parent!r} 不存在于 {region.name}")
        elif parent.spec.parent is not None:
            # Two levels (局 → 科) is what citizens see; deeper trees would need a different navigation.
            reader.fail(path, f"{entry.code}.parent", f"上级部门 {parent.code} 本身也有上级，最多两级")
        else:
            entry.parent = parent
    return list(entries.values())


def _load_items(reader: _Reader, region: Region, departments: list[DepartmentEntry]) -> list[ItemEntry]:
    by_code = {dept.code: dept for dept in departments if dept.region is region}
    items: list[ItemEntry] = []
    for folder in sorted(p for p in (reader.root / "regions" / region.slug / "items").glob("*") if p.is_dir()):
        path = folder / "item.yaml"
        spec = reader.model(path, ItemFile, reader.read_yaml(path))
        if spec is None:
            continue
        department = by_code.get(spec.department)
        if department is None:
            reader.fail(path, "department", f"部门 {spec.department!r} 不存在于 {region.name} 的 departments.yaml")
            continue
        item = ItemEntry(spec=spec, region=region, department=department, source=path)
        loaded = (_load_subitem(reader, item, md) for md in sorted(folder.glob("*.md")))
        # Sub-items are listed in 事项编码 order (-01, -02, ...), whatever their file names.
        item.subitems = sorted((sub for sub in loaded if sub), key=lambda sub: sub.code)
        if not item.subitems and not list(folder.glob("*.md")):
            reader.fail(path, "", "事项至少需要一个子事项（同一文件夹中的 .md 文件）")
        items.append(item)
    return sorted(items, key=lambda item: (item.spec.order, item.code))


def _load_subitem(reader: _Reader, item: ItemEntry, path: Path) -> SubItemEntry | None:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if match is None:
        reader.fail(path, "", "缺少开头的 YAML 信息块（以 --- 开始和结束）")
        return None
    front = reader.read_yaml(path, match.group(1))
    if front is UNREADABLE:
        return None
    if not isinstance(front, dict):
        reader.fail(path, "", "开头的 YAML 信息块必须是键值映射（key: value）")
        return None
    guide = _validate_guide(reader, item, path, front)
    if guide is None:
        return None
    return SubItemEntry(guide=guide, item=item, body_html=render_markdown(match.group(2), heading_level=3), source=path)


def _validate_guide(reader: _Reader, item: ItemEntry, path: Path, front: dict) -> Guide | None:
    """Validate the front matter over the item's defaults; blame item.yaml for an inherited bad value."""
    merged = {**item.spec.guide_defaults, **front}
    try:
        return Guide.model_validate(merged)
    except ValidationError as exc:
        for error in from_validation_error(reader.display(path), exc):
            top = error.field.split(".")[0].split("[")[0]
            if top in item.spec.guide_defaults and top not in front:
                error = ContentError(reader.display(item.source), f"guide_defaults.{error.field}", error.problem)
            reader.errors.append(error)
        return None


def _check_files(reader: _Reader, items: list[ItemEntry]) -> list[str]:
    files_dir = reader.root / "files"
    used: set[str] = set()
    for item in items:
        for sub in item.subitems:
            for index, material in enumerate(sub.guide.materials):
                for attr in ("blank_form", "sample"):
                    name = getattr(material, attr)
                    if name is None:
                        continue
                    target = (files_dir / name).resolve()
                    if not target.is_file() or files_dir.resolve() not in target.parents:
                        reader.fail(sub.source, f"materials[{index}].{attr}", f"文件 files/{name} 不存在")
                    else:
                        used.add(name)
    return sorted(used)


def _check_unique_codes(reader: _Reader, items: list[ItemEntry]) -> None:
    """事项编码 identify items and sub-items across the whole province; applications refer to them."""
    seen: dict[str, Path] = {}
    for item in items:
        for code, source in [(item.code, item.source)] + [(sub.code, sub.source) for sub in item.subitems]:
            if code in seen:
                reader.fail(source, "code", f"事项编码 {code} 与 {reader.display(seen[code])} 重复")
            else:
                seen[code] = source
