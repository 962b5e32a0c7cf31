"""The stylesheet: four layer files joined into one asset; colours only as tokens; one set of breakpoints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.assets import collect_assets
from sitegen.stylesheets import (
    LAYER_FILES,
    LAYERS,
    PARTS,
    STYLESHEET,
    UNLAYERED_FILE,
    StylesheetError,
    build_stylesheet,
)
from tests.conftest import TEMPLATES

STATIC = TEMPLATES / "static"
COMMENT = re.compile(r"/\*.*?\*/", re.S)
RAW_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(")
NAMED_COLOUR = re.compile(r"(?<![-\w])(?:white|black|red|green|blue|gray|grey|silver|yellow|orange)(?![-\w])")
MEDIA = re.compile(r"@media\s+([^{]+)\{")


def _layers(root: Path, texts: dict[str, str]) -> Path:
    for layer in LAYERS:
        (root / "css").mkdir(parents=True, exist_ok=True)
        (root / "css" / f"{layer}.css").write_text(texts.get(layer, f"@layer {layer} {{\n}}\n"), encoding="utf-8")
    (root / UNLAYERED_FILE).write_text(texts.get("unlayered", ".vendor .widget { order: 1; }\n"), encoding="utf-8")
    return root


def _code(logical: str) -> str:
    return COMMENT.sub("", (STATIC / logical).read_text(encoding="utf-8"))


def test_layers_are_joined_in_order_after_one_order_statement(tmp_path: Path) -> None:
    static = _layers(tmp_path, {layer: f"@layer {layer} {{\n  .{layer} {{ order: 1; }}\n}}\n" for layer in LAYERS})
    css = build_stylesheet(static).decode("utf-8")
    assert css.startswith("@layer tokens, base, components, pages;\n")
    assert css.count("@layer tokens, base") == 1
    positions = [css.index(f"@layer {layer} {{") for layer in LAYERS] + [css.index(".vendor .widget")]
    assert positions == sorted(positions)


def test_comments_stay_in_the_sources(tmp_path: Path) -> None:
    static = _layers(tmp_path, {"base": "@layer base {\n  /* why */\n  a { order: 1; }\n}\n"})
    css = build_stylesheet(static).decode("utf-8")
    assert "why" not in css and "a { order: 1; }" in css


def test_the_unlayered_part_holds_no_layer(tmp_path: Path) -> None:
    static = _layers(tmp_path, {"unlayered": "@layer pages {\n  .x { order: 1; }\n}\n"})
    with pytest.raises(StylesheetError, match=r"third-party\.css: holds the unlayered rules only"):
        build_stylesheet(static)


@pytest.mark.parametrize(
    "text",
    ["  .loose { color: red; }\n", "@layer pages {\n}\n", "@layer base {\n}\n.after { order: 1; }\n"],
    ids=["no layer", "another layer", "a rule after the layer"],
)
def test_a_layer_file_holds_its_own_layer_only(tmp_path: Path, text: str) -> None:
    static = _layers(tmp_path, {"base": text})
    with pytest.raises(StylesheetError, match=r"base\.css: must hold one '@layer base \{"):
        build_stylesheet(static)


def test_a_missing_layer_file_is_named(tmp_path: Path) -> None:
    static = _layers(tmp_path, {})
    (static / "css" / "components.css").unlink()
    with pytest.raises(StylesheetError, match=r"components\.css: missing"):
        build_stylesheet(static)


def test_the_site_publishes_one_stylesheet_and_no_layer_file() -> None:
    assets = collect_assets(STATIC)
    assert not set(PARTS) & set(assets)
    stylesheet = assets[STYLESHEET]
    assert stylesheet.read() == build_stylesheet(STATIC)
    assert re.fullmatch(r"/static/css/portal\.[0-9a-f]{10}\.css", stylesheet.url)


def test_raw_colours_appear_in_the_tokens_only() -> None:
    for logical in PARTS[1:]:
        code = _code(logical)
        found = sorted({match.group(0) for match in RAW_COLOUR.finditer(code)} | set(NAMED_COLOUR.findall(code)))
        assert not found, f"templates/static/{logical}: raw colours {found}; add a --c-* token to tokens.css"


def _declared_widths() -> set[str]:
    header = (STATIC / LAYER_FILES[0]).read_text(encoding="utf-8").split("*/", 1)[0]
    breakpoints = header.split("Breakpoints.", 1)[1]
    return set(re.findall(r"\(max-width: (\d+px)\)", breakpoints))


def test_every_media_query_uses_a_declared_breakpoint_once_per_layer() -> None:
    widths = _declared_widths()
    assert 2 <= len(widths) <= 3, widths
    for logical in PARTS:
        queries = [query.strip() for query in MEDIA.findall(_code(logical))]
        used = [width for query in queries for width in re.findall(r"width:\s*([\d.]+\w+)", query)]
        assert set(used) <= widths, f"templates/static/{logical}: {sorted(set(used) - widths)} is not a breakpoint"
        assert len(used) == len(set(used)), f"templates/static/{logical}: one @media block per width: {queries}"
