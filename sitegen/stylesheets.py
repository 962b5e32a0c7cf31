"""The portal's one stylesheet, made from a file per cascade layer (templates/static/css/tokens.css, ...).

Each file holds one `@layer NAME { ... }`; the build declares the layer order once at the top and joins the files
in that order, so a page still loads a single hashed stylesheet (css/portal.css) and no layer file is published.
Last, in no layer, comes css/third-party.css: the rules that restyle a third-party stylesheet (Pagefind's UI).
That stylesheet is unlayered, and an unlayered rule beats any layered one, so ours must be unlayered too.
"""

from __future__ import annotations

import re
from pathlib import Path

LAYERS = ("tokens", "base", "components", "pages")
"""Cascade layers, weakest first: a later layer's rule wins over an earlier one's, whatever their specificity."""
COMMENT = re.compile(r"/\*.*?\*/", re.S)
BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
STYLESHEET = "css/portal.css"
"""The logical asset path templates ask for: {{ asset('css/portal.css') }}."""
LAYER_FILES = tuple(f"css/{layer}.css" for layer in LAYERS)
UNLAYERED_FILE = "css/third-party.css"
PARTS = (*LAYER_FILES, UNLAYERED_FILE)


class StylesheetError(ValueError):
    """A layer file that is missing or does not hold exactly its own layer."""


def is_stylesheet_part(logical: str) -> bool:
    """True for 'css/tokens.css' and the like: parts of the stylesheet, not assets of their own."""
    return logical in PARTS


def build_stylesheet(static_dir: Path) -> bytes:
    """The layer order statement, each layer file in that order, then the unlayered part."""
    parts = [f"@layer {', '.join(LAYERS)};\n"]
    for layer, logical in zip(LAYERS, LAYER_FILES, strict=True):
        parts.append(_layer_text(static_dir / logical, layer))
    parts.append(_unlayered_text(static_dir / UNLAYERED_FILE))
    # Comments are for whoever edits the parts (a tenth of their bytes); the published file goes without.
    published = BLANK_LINES.sub("\n\n", COMMENT.sub("", "\n".join(parts)))
    return published.encode("utf-8")


def _read(path: Path) -> str:
    if not path.is_file():
        raise StylesheetError(f"{path}: missing (the stylesheet is made of {', '.join(PARTS)})")
    return path.read_text(encoding="utf-8")


def _layer_text(path: Path, layer: str) -> str:
    text = _read(path)
    opening = f"@layer {layer} {{"
    code = COMMENT.sub("", text).strip()
    if not code.startswith(opening) or _outer_block_end(code) != len(code) - 1:
        raise StylesheetError(f"{path}: must hold one '{opening} ... }}' and nothing outside it")
    return text


def _unlayered_text(path: Path) -> str:
    text = _read(path)
    if "@layer" in COMMENT.sub("", text):
        raise StylesheetError(f"{path}: holds the unlayered rules only; a layered rule belongs in its layer's file")
    return text


def _outer_block_end(code: str) -> int:
    """Index of the brace that closes the first block (-1 if it is never closed)."""
    depth = 0
    for index, char in enumerate(code):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0 and char == "}":
            return index
    return -1
