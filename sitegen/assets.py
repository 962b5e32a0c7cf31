"""Static assets (templates/static/) copied with a content hash in the name, so they can be cached forever."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .stylesheets import STYLESHEET, build_stylesheet, is_stylesheet_part


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
    assets: dict[str, Asset] = {}
    for source in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        logical = source.relative_to(static_dir).as_posix()
        if is_stylesheet_part(logical):
            continue  # a part of css/portal.css, made below
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:10]
        hashed = f"{Path(logical).with_suffix('').as_posix()}.{digest}{source.suffix}"
        assets[logical] = Asset(source=source, url=f"/static/{hashed}")
    css = build_stylesheet(static_dir)
    assets[STYLESHEET] = Asset(
        static_dir / "css", f"/static/css/portal.{hashlib.sha256(css).hexdigest()[:10]}.css", css
    )
    return assets
