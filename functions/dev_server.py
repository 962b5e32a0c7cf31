"""`make dev`: the API and the built site on one origin, as CloudFront serves them in production."""

from __future__ import annotations

from pathlib import Path

from fastapi.staticfiles import StaticFiles

from .app import create_app
from .settings import ROOT

app = create_app()
# html=True serves index.html for folders and 404.html for unknown paths, like the S3 site.
app.mount("/", StaticFiles(directory=Path(ROOT / "site"), html=True), name="site")
