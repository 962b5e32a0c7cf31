"""Write JSON Schemas of the content files, from sitegen/models.py, to content/schemas/.

usage: python tools/content_schema.py [--check]     (or `make schema`)

A text editor that reads `# yaml-language-server: $schema=…` (VS Code with the YAML extension, JetBrains IDEs,
Neovim, Helix; in a sub-item's .md, one that checks front matter) gives content editors completion, the field
docstrings on hover and a mark on a misspelt key or a wrong value while typing, before any build. The models
stay the one source of truth: the build validates with them, these files only mirror them, and
tests/build/test_schema.py fails when they no longer do (run `make schema` after changing a model). --check
changes nothing and exits 1 when a file is out of date.

What a schema cannot say, the build still checks: rules across files (unique codes, departments and files
that must exist), and the rules written as validators (phone numbers, time limits, select options).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import TypeAdapter

from sitegen.models import (
    DECISION_KINDS,
    PLACEHOLDERS,
    Department,
    Guide,
    ItemFile,
    Notice,
    Portal,
    Region,
    ResultTemplateFile,
)

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SCHEMA_FOLDER = "schemas"  # under content/; the loader reads only portal.yaml, documents/, regions/ and files/
DIALECT = "https://json-schema.org/draft/2020-12/schema"  # the dialect pydantic writes

# Which schema each kind of content file follows: a pattern relative to content/ -> the schema's name.
CONTENT_FILES = {
    "portal.yaml": "portal",
    "regions/*/region.yaml": "region",
    "regions/*/departments.yaml": "departments",
    "regions/*/items/*/item.yaml": "item",
    "regions/*/items/*/*.md": "guide",
    "documents/*.md": "document",
    "regions/*/items/*/*/*.md": "document",
    "regions/*/notices/*.md": "notice",
}
CONTENT_FILES_BY_NAME = {
    name: pattern for pattern, name in reversed(CONTENT_FILES.items())
}  # the first pattern of each
MODELINE = "# yaml-language-server: $schema="

# What an editor sees at the top of each schema (hover on the file, the schema picker).
FILE_DESCRIPTIONS = {
    "portal": "content/portal.yaml：全省门户的名称、默认地区、注册协议、服务热线和技术支持电话。",
    "region": "content/regions/<地区>/region.yaml：地区代码、名称、政务服务中心和技术支持电话。",
    "departments": "content/regions/<地区>/departments.yaml：本地区的部门列表；科室用 parent 指明所属的局。",
    "item": "content/regions/<地区>/items/<事项>/item.yaml：主项，以及各子事项共用的指南要素（guide_defaults）。",
    "guide": (
        "子事项 .md 文件开头的 YAML 信息块：服务指南的各要素。未写的要素从 item.yaml 的 guide_defaults 继承，"
        "因此这里不标必填；合并后缺少的必填要素由构建（make build）指出。"
    ),
    "notice": "通知公告（content/regions/<地区>/notices/<文件名>.md）开头的 YAML 信息块：标题、发布日期和发布单位；正文为 Markdown。",
    "document": (
        "结果文书模板（content/documents/<类型>.md，或事项 item.yaml 的 result_documents 指向的文件）开头的 YAML 信息块。"
        f"类型：{'、'.join(f'{kind}（{label}）' for kind, label in DECISION_KINDS.items())}。"
        "正文为纯文本，空行分段；可用的占位符："
        + "；".join(f"{{{name}}} {meaning}" for name, meaning in PLACEHOLDERS.items())
        + "。"
    ),
}


def schemas() -> dict[str, dict[str, Any]]:
    """Every schema by name: portal, region, departments, item, guide."""
    guide = _guide_schema()
    return {
        "portal": _document("portal", _portal_schema()),
        "region": _document("region", Region.model_json_schema()),
        "departments": _document("departments", TypeAdapter(list[Department]).json_schema()),
        "item": _document("item", _item_schema(guide)),
        "guide": _document("guide", guide),
        "document": _document("document", ResultTemplateFile.model_json_schema()),
        "notice": _document("notice", Notice.model_json_schema()),
    }


def schema_texts() -> dict[str, str]:
    """File name under content/schemas/ -> its exact text (stable across runs: pydantic's order, no timestamps)."""
    return {
        f"{name}.schema.json": json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
        for name, schema in schemas().items()
    }


def schema_name(relative: PurePosixPath) -> str | None:
    """The schema a content file (path relative to content/) follows, or None for files without one."""
    for pattern, name in CONTENT_FILES.items():
        # PurePath.match anchors at the right; the same number of parts anchors it at content/ too.
        if len(relative.parts) == len(PurePosixPath(pattern).parts) and relative.match(pattern):
            return name
    return None


def modeline(relative: PurePosixPath) -> str:
    """The comment that points an editor at the file's schema, by a path relative to the file."""
    name = schema_name(relative)
    if name is None:
        raise ValueError(f"{relative} follows no content schema")
    up = "../" * (len(relative.parts) - 1)
    return f"{MODELINE}{up}{SCHEMA_FOLDER}/{name}.schema.json"


def _document(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        **schema,
        "title": f"{name} ({CONTENT_FILES_BY_NAME[name]})",
        "description": FILE_DESCRIPTIONS[name],
    }


def _portal_schema() -> dict[str, Any]:
    schema = Portal.model_json_schema()
    # Filled by the loader from agreement_file; an editor writing it would see it silently replaced.
    del schema["properties"]["agreement_html"]
    return schema


def _guide_schema() -> dict[str, Any]:
    schema = Guide.model_json_schema()
    # Any element may come from the item's guide_defaults instead (a shallow merge: an inherited `fee` or
    # list is whole, so only the top level loses its required list).
    schema["required"] = []
    return schema


def _item_schema(guide: dict[str, Any]) -> dict[str, Any]:
    """ItemFile, with guide_defaults checked as the guide elements it holds rather than as any mapping."""
    schema = ItemFile.model_json_schema()
    definitions = dict(guide["$defs"])
    definitions["Guide"] = {key: value for key, value in guide.items() if key != "$defs"}
    schema["$defs"] = dict(sorted(definitions.items()))
    loose = schema["properties"]["guide_defaults"]
    schema["properties"]["guide_defaults"] = {
        "$ref": "#/$defs/Guide",
        "title": loose["title"],
        "description": loose["description"],
    }
    return schema


def write(folder: Path) -> list[Path]:
    """Writes every schema file into folder; returns those whose text changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in schema_texts().items():
        target = folder / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(target)
    return changed


def stale(folder: Path) -> list[str]:
    """Names of the schema files in folder that differ from what the models give now."""
    return [
        name
        for name, text in schema_texts().items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=CONTENT / SCHEMA_FOLDER, help="default content/schemas/")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a schema is out of date")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if arguments.check:
        outdated = stale(arguments.out)
        for name in outdated:
            log.error("%s: out of date with sitegen/models.py; run make schema", arguments.out / name)
        return 1 if outdated else 0
    changed = write(arguments.out)
    log.info("%s: %d schema files, %d changed", arguments.out, len(schema_texts()), len(changed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
