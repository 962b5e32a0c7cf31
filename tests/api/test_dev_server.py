"""`make dev`'s server: site and API on one origin, JSON errors under /api, the site's 404 page elsewhere."""

from __future__ import annotations

from fastapi.testclient import TestClient

from functions.dev_server import create_dev_app
from tests.api.conftest import ORIGIN


def test_site_and_api_share_one_origin(services, tmp_path) -> None:
    site = tmp_path / "site"
    (site / "anshan").mkdir(parents=True)
    (site / "anshan" / "index.html").write_text("<h1>鞍山政务服务网</h1>", encoding="utf-8")
    (site / "404.html").write_text("<h1>页面不存在</h1>", encoding="utf-8")
    with TestClient(create_dev_app(site, services), base_url=ORIGIN) as client:
        assert "鞍山政务服务网" in client.get("/anshan/").text
        missing_page = client.get("/no/such/page/")
        assert missing_page.status_code == 404 and "页面不存在" in missing_page.text
        assert client.get("/api/health").json() == {"status": "ok"}
        missing_api = client.get("/api/no-such-thing")
        assert missing_api.status_code == 404 and missing_api.json()["error"]["code"] == "not_found"
