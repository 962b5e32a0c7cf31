"""One content file in, one validated model (or its errors) out: the pure, per-file part of loading.

Nothing here looks at another file, so files are parsed in any order, in worker processes, and cached by
their bytes (sitegen.cache). Rules that span files stay in sitegen.loading.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass
from typing import Any

import markdown
import yaml
from pydantic import BaseModel, ValidationError

from .errors import ContentError, Loc, field_path, from_validation_error
from .models import PLACEHOLDERS, Guide, Notice, ResultTemplateFile
from .yaml_lines import line_of

# libyaml's parser where PyYAML was built with it (the wheels are): about 8x faster than pure Python.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*\n?(.*)\Z", re.S | re.M)
MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "attr_list", "toc"]
_markdown: dict[int, markdown.Markdown] = {}  # one converter per heading level and process, reset per text


@dataclass(frozen=True)
class Listing:
    """What list pages show of a sub-item: kept in memory for every guide, unlike the guide itself."""

    code: str
    name: str
    item_type: str
    handling_type: str
    online: bool
    summary: str
    audiences: tuple[str, ...]
    appointment: bool = False
    """Its guide offers 预约办理 (Guide.offers_appointment), where the region takes appointments."""


@dataclass(frozen=True)
class ParsedGuide:
    listing: Listing
    downloads: tuple[tuple[int, str, str], ...]
    """(material index, 'blank_form' or 'sample', file under content/files/) for the cross-file check."""
    payload: bytes
    """The pickled (Guide, body_html), loaded again only when a page or catalogue shard needs it."""


@dataclass(frozen=True)
class ResultTemplate:
    """A 结果文书 template as the catalogue carries it: the API fills in the body's {placeholders}."""

    title: str
    body: str
    """Plain text: paragraphs separated by one blank line, each paragraph's lines joined."""


# Any pair of braces is meant as a placeholder: one the API does not know would be printed as it stands.
PLACEHOLDER = re.compile(r"\{([^{}\n]*)\}")


class YamlSyntaxError(Exception):
    def __init__(self, problem: str, line: int | None) -> None:
        self.problem = problem
        self.line = line


def render_markdown(text: str, heading_level: int = 2) -> str:
    """Editors write `#` for the top heading of their text; it becomes <h{heading_level}> on the page."""
    converter = _markdown.get(heading_level)
    if converter is None:
        converter = _markdown[heading_level] = markdown.Markdown(
            extensions=MARKDOWN_EXTENSIONS,
            extension_configs={"toc": {"baselevel": heading_level}},
            output_format="html",
        )
    return converter.reset().convert(text)


def load_yaml(text: str, first_line: int = 1) -> Any:
    try:
        return yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + first_line} 行第 {mark.column + 1} 列：" if mark else ""
        problem = f"YAML 语法错误：{where}{getattr(exc, 'problem', None) or exc}"
        raise YamlSyntaxError(problem, mark.line + first_line if mark else None) from None


class _Unreadable(Exception):
    def __init__(self, error: ContentError) -> None:
        self.error = error


def _read_top(display: str, text: str, kind: type, kind_problem: str) -> Any:
    """A YAML file's data, which must be of `kind`; raises _Unreadable with the file's one error otherwise."""
    try:
        data = load_yaml(text)
    except YamlSyntaxError as exc:
        raise _Unreadable(ContentError(display, "", exc.problem, exc.line)) from None
    if not isinstance(data, kind):
        raise _Unreadable(ContentError(display, "", kind_problem, 1))
    return data


def parse_model(display: str, text: str, cls: type[BaseModel]) -> BaseModel | list[ContentError]:
    """A whole YAML file as one model (portal.yaml, region.yaml, item.yaml)."""
    try:
        data = _read_top(display, text, dict, "内容必须是键值映射（key: value）")
    except _Unreadable as exc:
        return [exc.error]
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        return from_validation_error(display, exc, locate=lambda loc: line_of(text, loc))


@dataclass(frozen=True)
class ModelList:
    """A YAML list of models: the valid entries (None where one failed) and the codes of the failed ones."""

    entries: list[BaseModel | None]
    invalid_codes: frozenset[str]
    errors: list[ContentError]


def parse_model_list(display: str, text: str, cls: type[BaseModel]) -> ModelList | list[ContentError]:
    """departments.yaml: each entry validated on its own, so one bad entry does not hide the others."""
    try:
        data = _read_top(display, text, list, "内容必须是部门列表（每项以 - 开头）")
    except _Unreadable as exc:
        return [exc.error]
    entries: list[BaseModel | None] = []
    invalid: set[str] = set()
    errors: list[ContentError] = []
    for index, raw in enumerate(data):
        entry = None
        if not isinstance(raw, dict):
            errors.append(
                ContentError(display, str(index), "内容必须是键值映射（key: value）", line_of(text, (index,)))
            )
        else:
            try:
                entry = cls.model_validate(raw)
            except ValidationError as exc:
                errors.extend(from_validation_error(display, exc, (index,), lambda loc: line_of(text, loc)))
        if entry is None:
            invalid.add(str(raw.get("code")) if isinstance(raw, dict) else "")
        entries.append(entry)
    return ModelList(entries, frozenset(invalid), errors)


def parse_guide(
    display: str, text: str, defaults: dict[str, Any], item_display: str, item_text: str
) -> ParsedGuide | list[ContentError]:
    """A sub-item file: front matter merged over its item's guide_defaults, then the Markdown body."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return [ContentError(display, "", "缺少开头的 YAML 信息块（以 --- 开始和结束）", 1)]
    front_text = match.group(1)
    try:
        front = load_yaml(front_text, first_line=2)
    except YamlSyntaxError as exc:
        return [ContentError(display, "", exc.problem, exc.line)]
    if not isinstance(front, dict):
        return [ContentError(display, "", "开头的 YAML 信息块必须是键值映射（key: value）", 1)]
    try:
        guide = Guide.model_validate({**defaults, **front})
    except ValidationError as exc:
        return _guide_errors(exc, display, front_text, front, defaults, item_display, item_text)
    body_html = render_markdown(match.group(2), heading_level=3)
    return ParsedGuide(
        listing=_listing(guide),
        downloads=_downloads(guide),
        payload=pickle.dumps((guide, body_html), protocol=pickle.HIGHEST_PROTOCOL),
    )


def parse_notice(display: str, text: str) -> tuple[Notice, str] | list[ContentError]:
    """A 通知公告: front matter (title, date, publisher) and its Markdown body, rendered."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return [ContentError(display, "", "缺少开头的 YAML 信息块（以 --- 开始和结束）", 1)]
    front_text = match.group(1)
    try:
        front = load_yaml(front_text, first_line=2)
    except YamlSyntaxError as exc:
        return [ContentError(display, "", exc.problem, exc.line)]
    if not isinstance(front, dict):
        return [ContentError(display, "", "开头的 YAML 信息块必须是键值映射（key: value）", 1)]
    try:
        notice = Notice.model_validate(front)
    except ValidationError as exc:
        return from_validation_error(display, exc, locate=lambda loc: _front_line(front_text, loc))
    return notice, render_markdown(match.group(2), heading_level=2)


def _front_line(front_text: str, loc: Loc) -> int | None:
    """A front-matter field's line in the whole file (the block starts after the opening ---)."""
    line = line_of(front_text, loc)
    return line + 1 if line is not None else None


def _guide_errors(
    exc: ValidationError,
    display: str,
    front_text: str,
    front: dict[str, Any],
    defaults: dict[str, Any],
    item_display: str,
    item_text: str,
) -> list[ContentError]:
    """Blame item.yaml, at its guide_defaults line, for a bad value the sub-item inherited."""
    errors = []
    for error in from_validation_error(display, exc, locate=lambda loc: line_of(front_text, loc, first_line=2)):
        top = error.field.split(".")[0].split("[")[0]
        if top in defaults and top not in front:
            loc = ("guide_defaults", *_loc_of(exc, error.field))
            error = ContentError(item_display, f"guide_defaults.{error.field}", error.problem, line_of(item_text, loc))
        errors.append(error)
    return errors


def _loc_of(exc: ValidationError, field: str) -> Loc:
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if not str(part).startswith("function-") and part != "[key]")
        if field_path(loc) == field:
            return loc
    return ()


def _listing(guide: Guide) -> Listing:
    return Listing(
        code=guide.code,
        name=guide.name,
        item_type=guide.item_type,
        handling_type=guide.handling_type,
        online=guide.online,
        summary=guide.summary,
        audiences=tuple(guide.audiences),
        appointment=guide.offers_appointment,
    )


def _downloads(guide: Guide) -> tuple[tuple[int, str, str], ...]:
    return tuple(
        (index, attr, getattr(material, attr))
        for index, material in enumerate(guide.materials)
        for attr in ("blank_form", "sample")
        if getattr(material, attr) is not None
    )


def parse_result_template(display: str, text: str) -> ResultTemplate | list[ContentError]:
    """A 结果文书 template: front matter (title), then the body, whose every {placeholder} must be known."""
    match = FRONT_MATTER.match(text)
    if match is None:
        return [ContentError(display, "", "缺少开头的 YAML 信息块（以 --- 开始和结束，写明 title）", 1)]
    front_text = match.group(1)
    try:
        front = load_yaml(front_text, first_line=2)
    except YamlSyntaxError as exc:
        return [ContentError(display, "", exc.problem, exc.line)]
    if not isinstance(front, dict):
        return [ContentError(display, "", "开头的 YAML 信息块必须是键值映射（key: value）", 1)]
    try:
        spec = ResultTemplateFile.model_validate(front)
    except ValidationError as exc:
        return from_validation_error(display, exc, locate=lambda loc: line_of(front_text, loc, first_line=2))
    errors = []
    if PLACEHOLDER.search(spec.title):
        errors.append(ContentError(display, "title", "标题中不能使用占位符", line_of(front_text, ("title",), 2)))
    body_line = text.count("\n", 0, match.start(2)) + 1
    body = match.group(2)
    for found in PLACEHOLDER.finditer(body):
        if found.group(1) not in PLACEHOLDERS:
            known = "、".join(f"{{{name}}}" for name in PLACEHOLDERS)
            errors.append(
                ContentError(
                    display,
                    "body",
                    f"不认识的占位符 {found.group(0)}，可用：{known}",
                    body_line + body.count("\n", 0, found.start()),
                )
            )
    paragraphs = _paragraphs(body)
    if not paragraphs:
        errors.append(ContentError(display, "body", "正文不能为空", body_line))
    return errors or ResultTemplate(title=spec.title, body="\n\n".join(paragraphs))


def _paragraphs(body: str) -> list[str]:
    """Blank lines separate paragraphs; the lines of one are joined without a space, as Chinese text is."""
    return [
        "".join(line.strip() for line in block.splitlines())
        for block in re.split(r"\n[ \t]*\n", body.strip())
        if block.strip()
    ]
