"""Static assets (templates/static/) copied with a content hash in the name, so they can be cached forever.

JavaScript modules import each other by relative path ("./api.js"); in the built site each such path is
rewritten to the imported module's hashed URL. A module's hash is taken over its rewritten text, so a change in
a dependency changes the URL of every module that imports it, however indirectly: modules are hashed in
dependency order, and an import cycle is refused (it would have no order).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from .errors import ContentError, ContentErrors
from .stylesheets import STYLESHEET, StylesheetError, build_stylesheet, is_stylesheet_part

# `import x from "./a.js"`, `export { y } from "../b.js"`, `import "./c.js"`, `import("./d.js")`: relative only.
IMPORT = re.compile(r"""(?P<head>\b(?:from|import)\s*\(?\s*)(?P<quote>["'])(?P<path>\.\.?/[^"'\s]+)(?P=quote)""")


@dataclass(frozen=True)
class Asset:
    source: Path
    url: str
    """/static/css/portal.1a2b3c4d.css"""
    content: bytes | None = None
    """The text to write instead of the source's (a module with its imports rewritten); None: a verbatim copy."""

    def read(self) -> bytes:
        return self.content if self.content is not None else self.source.read_bytes()


def collect_assets(static_dir: Path) -> dict[str, Asset]:
    """Map each logical path ('css/portal.css') to its hashed URL."""
    sources = {p.relative_to(static_dir).as_posix(): p for p in sorted(static_dir.rglob("*")) if p.is_file()}
    assets: dict[str, Asset] = {}
    for logical, source in sources.items():
        if is_stylesheet_part(logical):
            continue  # a part of css/portal.css, joined below
        if logical.endswith(".js"):
            _add_module(logical, sources, assets, ())
        else:
            assets[logical] = Asset(source=source, url=_hashed_url(logical, source.read_bytes()))
    css = _stylesheet(static_dir)
    assets[STYLESHEET] = Asset(source=static_dir / "css", url=_hashed_url(STYLESHEET, css), content=css)
    return dict(sorted(assets.items()))


def module_imports(text: str, logical: str) -> list[str]:
    """The logical paths a module imports ('js/apply/main.js' importing '../api.js' → 'js/api.js')."""
    folder = posixpath.dirname(logical)
    return [posixpath.normpath(posixpath.join(folder, match["path"])) for match in IMPORT.finditer(text)]


def _add_module(logical: str, sources: dict[str, Path], assets: dict[str, Asset], chain: tuple[str, ...]) -> None:
    """Hash `logical` after everything it imports (depth first), rewriting each import to its hashed URL."""
    if logical in assets:
        return
    if logical in chain:
        _refuse(logical, f"import 成环：{' → '.join((*chain, logical))}")
    source = sources[logical]
    text = source.read_text(encoding="utf-8")
    for dependency in module_imports(text, logical):
        if dependency not in sources:
            _refuse(logical, f"引用的模块 {dependency} 不存在")
        _add_module(dependency, sources, assets, (*chain, logical))
    folder = posixpath.dirname(logical)

    def hashed(match: re.Match[str]) -> str:
        dependency = posixpath.normpath(posixpath.join(folder, match["path"]))
        return f"{match['head']}{match['quote']}{assets[dependency].url}{match['quote']}"

    content = IMPORT.sub(hashed, text).encode("utf-8")
    assets[logical] = Asset(source=source, url=_hashed_url(logical, content), content=content)


def _stylesheet(static_dir: Path) -> bytes:
    try:
        return build_stylesheet(static_dir)
    except StylesheetError as error:  # reported like a content error: one line, and nothing written
        _refuse(STYLESHEET, str(error), "@layer")


def _refuse(logical: str, problem: str, field: str = "import") -> NoReturn:
    """An asset the build cannot make (a module graph it cannot hash, a stylesheet part out of place): one clean
    line, like a content error, and nothing is written."""
    raise ContentErrors([ContentError(f"templates/static/{logical}", field, problem)])


def _hashed_url(logical: str, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()[:10]
    stem, suffix = posixpath.splitext(logical)
    return f"/static/{stem}.{digest}{suffix}"
