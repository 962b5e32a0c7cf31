"""content/schemas/: current with sitegen/models.py, pointed at by every content file, and passed by the content.

jsonschema comes with the test extras: moto[server] needs it, through openapi-spec-validator.
"""

from __future__ import annotations

import json
import re
from pathlib import Path, PurePosixPath
from typing import Any

import jsonschema
import pytest
import yaml

from tools import content_schema

CONTENT = content_schema.CONTENT
SCHEMAS = CONTENT / content_schema.SCHEMA_FOLDER
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$", re.S | re.M)


def content_files() -> list[Path]:
    """Every file under content/ that a schema describes."""
    return sorted(
        path for path in CONTENT.rglob("*") if path.is_file() and content_schema.schema_name(relative(path)) is not None
    )


def relative(path: Path) -> PurePosixPath:
    return PurePosixPath(path.relative_to(CONTENT).as_posix())


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def yaml_of(path: Path) -> tuple[str, Any]:
    """(the YAML text, its data): the whole file, or a sub-item's front matter."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        match = FRONT_MATTER.match(text)
        assert match, f"{path}: no front matter"
        text = match.group(1)
    return text, yaml.safe_load(text)


def test_schema_files_are_current() -> None:
    stale = content_schema.stale(SCHEMAS)
    assert not stale, f"{', '.join(stale)} differ from sitegen/models.py: run make schema"
    assert sorted(path.name for path in SCHEMAS.iterdir()) == sorted(content_schema.schema_texts())


def test_output_is_deterministic() -> None:
    assert content_schema.schema_texts() == content_schema.schema_texts()


def test_the_sample_content_has_every_kind_of_file() -> None:
    kinds = {content_schema.schema_name(relative(path)) for path in content_files()}
    assert kinds == set(content_schema.CONTENT_FILES.values())


@pytest.mark.parametrize("path", content_files(), ids=lambda path: str(relative(path)))
def test_content_file_names_its_schema_and_passes_it(path: Path) -> None:
    text, data = yaml_of(path)
    assert text.split("\n", 1)[0] == content_schema.modeline(relative(path)), (
        "the first line (of the front matter, in a .md) must point the editor at the schema"
    )
    problems = [
        f"{'.'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}"
        for error in validator(content_schema.schema_name(relative(path))).iter_errors(data)
    ]
    assert not problems, "\n".join(problems)


def test_modelines_resolve_to_the_schema_files() -> None:
    for path in content_files():
        target = content_schema.modeline(relative(path)).removeprefix(content_schema.MODELINE)
        schema = SCHEMAS / f"{content_schema.schema_name(relative(path))}.schema.json"
        assert (path.parent / target).resolve() == schema


def test_schemas_catch_what_editors_get_wrong() -> None:
    item = yaml.safe_load((CONTENT / "regions/anshan/items/shehui-tuanti-dengji/item.yaml").read_text("utf-8"))
    assert validator("item").is_valid(item)
    assert not validator("item").is_valid({**item, "departmnet": "xzspj"})  # a misspelt key
    # guide_defaults is checked as guide elements, not as any mapping.
    assert not validator("item").is_valid({**item, "guide_defaults": {"handling_type": "快办件"}})
    assert not validator("item").is_valid({**item, "guide_defaults": {"fee": {"standard": "免费"}}})
    assert not validator("guide").is_valid(
        {"materials": [{"id": "a", "name": "申请书", "kind": "原件", "formats": ["docx"]}]}
    )
    assert not validator("departments").is_valid([{"code": "XZSPJ"}])


def test_guide_schema_requires_nothing_that_guide_defaults_may_supply() -> None:
    guide = json.loads((SCHEMAS / "guide.schema.json").read_text(encoding="utf-8"))
    assert guide["required"] == []
    assert validator("guide").is_valid({"code": "210300-XK-0101-01"})  # the rest may be inherited
    assert "guide_defaults" in guide["description"]


def test_the_loader_fills_agreement_html_so_editors_cannot_write_it() -> None:
    portal = yaml.safe_load((CONTENT / "portal.yaml").read_text(encoding="utf-8"))
    assert not validator("portal").is_valid({**portal, "agreement_html": "<p>"})


def test_field_docstrings_reach_the_editor() -> None:
    region = json.loads((SCHEMAS / "region.schema.json").read_text(encoding="utf-8"))
    assert region["properties"]["code"]["description"] == "GB/T 2260 administrative division code, e.g. 210300."


def test_check_mode_reports_a_stale_schema(tmp_path: Path) -> None:
    assert content_schema.main(["--out", str(tmp_path)]) == 0
    assert content_schema.main(["--out", str(tmp_path), "--check"]) == 0
    (tmp_path / "region.schema.json").write_text("{}\n", encoding="utf-8")
    assert content_schema.main(["--out", str(tmp_path), "--check"]) == 1
