"""A content error names the line an editor must go to (shown in the terminal, in make dev's overlay and as a
pull-request annotation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.errors import ContentErrors
from sitegen.loading import load_catalog

ALPHA = Path("regions/alpha")
FIRST = ALPHA / "items/pet-licence/first.md"
ITEM = ALPHA / "items/pet-licence/item.yaml"


def errors_of(content: Path) -> list:
    with pytest.raises(ContentErrors) as caught:
        load_catalog(content)
    return caught.value.errors


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_number_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_nested_value_in_front_matter(content_copy: Path) -> None:
    replace(content_copy / FIRST, "formats: [pdf]", "formats: [pdf, docx]")
    [error] = errors_of(content_copy)
    assert (error.field, error.line_number) == ("materials[0].formats[1]", line_number_of(content_copy / FIRST, "docx"))
    assert error.line.startswith(f"content/{FIRST}:{error.line_number}: materials[0].formats[1]: 'docx'")


def test_missing_field_points_at_the_front_matter(content_copy: Path) -> None:
    replace(content_copy / FIRST, "summary: 首次为犬只办理登记。\n", "")
    [error] = errors_of(content_copy)
    assert (error.field, error.line_number) == ("summary", 2)  # the first line after the opening ---


def test_inherited_value_points_into_item_file(content_copy: Path) -> None:
    replace(content_copy / ITEM, "handling_type: 承诺件", "handling_type: 马上办")
    [error] = errors_of(content_copy)
    assert error.path == f"content/{ITEM}"
    assert error.line_number == line_number_of(content_copy / ITEM, "马上办")


def test_department_entry(content_copy: Path) -> None:
    departments = content_copy / ALPHA / "departments.yaml"
    replace(departments, "parent: bureau", "parent: nothing")
    [error] = errors_of(content_copy)
    assert (error.field, error.line_number) == ("bureau-social.parent", line_number_of(departments, "nothing"))


def test_yaml_syntax_error_in_front_matter_counts_file_lines(content_copy: Path) -> None:
    replace(content_copy / FIRST, "name: 养犬首次登记", "name: 养犬首次登记: 错")
    [error] = errors_of(content_copy)
    assert error.line_number == line_number_of(content_copy / FIRST, "养犬首次登记: 错") == 3
    assert error.problem.startswith("YAML 语法错误：第 3 行第 13 列")
