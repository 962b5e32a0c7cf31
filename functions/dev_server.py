"""`make dev`: the API and the built site on one origin, as CloudFront serves them in production.

Run as `uvicorn --factory functions.dev_server:create_dev_app`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .app import create_app
from .errors import ApiError
from .services import Services
from .settings import ROOT


def create_dev_app(site_dir: Path = ROOT / "site", services: Services | None = None) -> FastAPI:
    app = create_app(services=services)

    @app.api_route("/api/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
    def unknown_api_path(path: str) -> None:
        """An unknown /api path answers the JSON error, not the site's 404 page (API Gateway does the same)."""
        raise ApiError(404, "not_found", "请求的资源不存在")

    # html=True serves index.html for folders and 404.html for unknown paths, like the S3 site.
    app.mount("/", StaticFiles(directory=site_dir, html=True), name="site")
    return app
