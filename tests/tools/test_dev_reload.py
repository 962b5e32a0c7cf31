"""make dev's live-reload wrapper: the script goes into the site's HTML pages only, and /__dev/events tells pages
the build's state (tools/dev_reload.py)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, StreamingResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from functions.dev_server import create_dev_app
from functions.services import build_services
from functions.settings import Settings
from tools.dev_reload import SCRIPT_TAG, LiveReload, Problem, ReloadHub, inject_script

PAGE = '<!doctype html>\n<html lang="zh-CN">\n<head>\n<title>甲市</title>\n</head>\n<body><p>养犬登记</p></body>\n</html>\n'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "alpha").mkdir(parents=True)
    (site / "alpha" / "index.html").write_text(PAGE, encoding="utf-8")
    (site / "404.html").write_text(PAGE.replace("甲市", "页面不存在"), encoding="utf-8")
    (site / "portal.css").write_text("body { color: #1d2733; }\n", encoding="utf-8")
    (site / "catalog.json").write_text('{"regions": []}', encoding="utf-8")
    return site


@pytest.fixture
def hub() -> ReloadHub:
    return ReloadHub()


@pytest.fixture
def dev_client(site: Path, tmp_path: Path, hub: ReloadHub) -> TestClient:
    """The very app make dev serves (site beside the API), wrapped."""
    settings = Settings(backend="local", data_dir=tmp_path / "data", catalog_path=site / "catalog.json")
    return TestClient(LiveReload(create_dev_app(site, build_services(settings)), hub))


def test_the_script_goes_before_the_end_of_head() -> None:
    page = inject_script(PAGE.encode())
    assert page.count(SCRIPT_TAG) == 1
    assert page.index(SCRIPT_TAG) < page.index(b"</head>") < page.index(b"<body>")
    assert page.replace(SCRIPT_TAG, b"") == PAGE.encode()
    assert inject_script(b"<p>no head</p>") == b"<p>no head</p>"


def test_site_pages_get_the_script_with_their_length_recomputed(dev_client: TestClient) -> None:
    for path, status in (("/alpha/", 200), ("/no/such/page/", 404)):
        response = dev_client.get(path)
        assert response.status_code == status
        assert response.content.count(SCRIPT_TAG) == 1
        assert int(response.headers["content-length"]) == len(response.content)
        assert response.headers["content-type"].startswith("text/html")


def test_other_files_and_the_api_pass_untouched(dev_client: TestClient, site: Path) -> None:
    css = dev_client.get("/portal.css")
    assert css.content == (site / "portal.css").read_bytes()
    assert int(css.headers["content-length"]) == len(css.content)
    health = dev_client.get("/api/health")
    assert health.json() == {"status": "ok"}
    assert SCRIPT_TAG not in health.content
    assert dev_client.get("/api/no-such-route").headers["content-type"].startswith("application/json")


def test_html_from_the_api_and_streamed_pages() -> None:
    """Only the site's pages are touched, whole: an API answer in HTML stays as it is; a chunked page is joined."""

    def chunks() -> Iterator[bytes]:
        yield PAGE[:30].encode()
        yield PAGE[30:].encode()

    inner = Starlette(
        routes=[
            Route("/api/page", lambda request: HTMLResponse(PAGE)),
            Route("/streamed/", lambda request: StreamingResponse(chunks(), media_type="text/html")),
        ]
    )
    client = TestClient(LiveReload(inner, ReloadHub()))
    assert client.get("/api/page").text == PAGE
    streamed = client.get("/streamed/")
    assert streamed.content == inject_script(PAGE.encode())
    assert int(streamed.headers["content-length"]) == len(streamed.content)


def test_the_script_and_its_styles_are_served(dev_client: TestClient) -> None:
    script = dev_client.get("/__dev/livereload.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")
    assert "EventSource" in script.text and "innerHTML" not in script.text
    assert dev_client.get("/__dev/livereload.css").headers["content-type"].startswith("text/css")


def _events(text: str) -> list[tuple[str, dict]]:
    events = []
    for block in text.split("\n\n"):
        lines = dict(
            line.split(": ", 1) for line in block.splitlines() if line and not line.startswith(":") and ": " in line
        )
        if "event" in lines:
            events.append((lines["event"], json.loads(lines["data"])))
    return events


def test_a_page_connecting_during_an_error_gets_the_error(dev_client: TestClient, hub: ReloadHub) -> None:
    problem = Problem(
        "content/regions/alpha/items/pet-licence/item.yaml",
        "guide_defaults.handling_type",
        "'限时件' 不是允许的取值",
        6,
        "content/regions/alpha/items/pet-licence/item.yaml:6: …",
    )
    hub.failed("内容有错误，页面未更新：", [problem])
    hub.close()  # the stream sends the current state, then ends (the test client waits for the end)
    response = dev_client.get("/__dev/events")
    assert response.headers["content-type"].startswith("text/event-stream")
    events = _events(response.text)
    assert [name for name, _ in events] == ["hello", "error", "search-index"]
    error = events[1][1]
    assert error["title"] == "内容有错误，页面未更新："
    assert error["errors"] == [
        {
            "path": problem.path,
            "field": problem.field,
            "problem": problem.problem,
            "line_number": 6,
            "text": problem.text,
        }
    ]
    assert events[2][1] == {"state": "fresh"}


def test_after_a_successful_build_the_state_is_clean(dev_client: TestClient, hub: ReloadHub) -> None:
    hub.failed("内容有错误，页面未更新：", [Problem("content/portal.yaml", "name", "缺少必填项", None, "…")])
    hub.built(search_index="updating")
    hub.close()
    events = _events(dev_client.get("/__dev/events").text)
    assert [name for name, _ in events] == ["hello", "search-index"]
    assert events[1][1] == {"state": "updating"}


@pytest.fixture
def live_server(dev_client: TestClient, hub: ReloadHub) -> Iterator[str]:
    """The wrapped app under uvicorn: the test client cannot read a stream that has not ended."""
    server = uvicorn.Server(
        uvicorn.Config(dev_client.app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    hub.close()
    server.should_exit = True
    thread.join(timeout=10)
    assert not thread.is_alive(), "open event streams kept the server from stopping"


def test_open_streams_hear_each_rebuild(live_server: str, hub: ReloadHub) -> None:
    with httpx.stream("GET", live_server + "/__dev/events", timeout=10) as response:
        lines = response.iter_lines()
        assert _next_event(lines)[0] == "hello"
        assert _next_event(lines)[0] == "search-index"
        hub.built(search_index="updating")
        name, data = _next_event(lines)
        assert name == "reload" and data["build"].endswith("-1")
        hub.search_index("fresh")
        assert _next_event(lines) == ("search-index", {"state": "fresh"})
        hub.failed("内容有错误，页面未更新：", [Problem("content/portal.yaml", "name", "缺少必填项", None, "…")])
        name, data = _next_event(lines)
        assert name == "error" and data["errors"][0]["field"] == "name"


def _next_event(lines: Iterator[str]) -> tuple[str, dict]:
    name = None
    for line in lines:
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: ") and name:
            return name, json.loads(line.removeprefix("data: "))
    raise AssertionError("the stream ended")
