"""sitegen/error_formats.py: content errors as GitHub workflow commands, escaped so the runner reads them whole."""

from __future__ import annotations

from sitegen.error_formats import ERROR_FORMATS, github_annotation
from sitegen.errors import ContentError

SUB_ITEM = "content/regions/anshan/items/shehui-tuanti-dengji/chengli-dengji.md"


def error(field: str, problem: str, line_number: int | None = None) -> ContentError:
    made = ContentError(SUB_ITEM, field, problem)
    made.line_number = line_number  # set by the loader where it knows the line
    return made


def test_annotation_names_file_line_and_field() -> None:
    annotation = github_annotation(error("materials[1].formats[0]", "'docx' 不是允许的取值", 23))
    assert annotation == f"::error file={SUB_ITEM},line=23,title=materials[1].formats[0]::'docx' 不是允许的取值"


def test_without_line_or_field_those_properties_are_left_out() -> None:
    assert github_annotation(error("", "缺少开头的 YAML 信息块")) == f"::error file={SUB_ITEM}::缺少开头的 YAML 信息块"
    assert "line=" not in github_annotation(error("code", "缺少必填项", None))


def test_an_error_from_before_line_numbers_still_formats() -> None:
    bare = ContentError(SUB_ITEM, "code", "缺少必填项")
    bare.__dict__.pop("line_number", None)  # as ContentError was before the loader knew lines
    assert github_annotation(bare) == f"::error file={SUB_ITEM},title=code::缺少必填项"


def test_message_escapes_percent_and_line_breaks() -> None:
    annotation = github_annotation(error("fee", "100% 收费\r\n第二行"))
    assert annotation.endswith("::100%25 收费%0D%0A第二行")
    assert "\n" not in annotation and "\r" not in annotation


def test_properties_escape_separators_too() -> None:
    odd = ContentError("content/a,b:c.md", "x:y,z", "问题: 一, 二")
    annotation = github_annotation(odd)
    assert annotation == "::error file=content/a%2Cb%3Ac.md,title=x%3Ay%2Cz::问题: 一, 二"


def test_formats_by_name() -> None:
    made = error("code", "缺少必填项")
    assert ERROR_FORMATS["text"](made) == made.line
    assert ERROR_FORMATS["github"](made) == github_annotation(made)
