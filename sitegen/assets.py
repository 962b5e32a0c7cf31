"""Static assets (templates/static/) copied with a content hash in the name, so they can be cached forever."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Asset:
    source: Path
    url: str
    """/static/css/portal.1a2b3c4d.css"""


def collect_assets(static_dir: Path) -> dict[str, Asset]:
    """Map each logical path ('css/portal.css') to its hashed URL."""
    assets: dict[str, Asset] = {}
    for source in sorted(p for p in static_dir.rglob("*") if p.is_file()):
        logical = source.relative_to(static_dir).as_posix()
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:10]
        hashed = f"{Path(logical).with_suffix('').as_posix()}.{digest}{source.suffix}"
        assets[logical] = Asset(source=source, url=f"/static/{hashed}")
    return assets
