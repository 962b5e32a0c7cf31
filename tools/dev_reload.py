"""Live reload for `make dev`: an ASGI wrapper that tells the open pages when the site has been rebuilt.

- The static site's HTML pages get `<script src="/__dev/livereload.js" defer></script>` before `</head>`.
- `/__dev/livereload.js` and `/__dev/livereload.css` are served from tools/dev_assets/.
- `/__dev/events` is a Server-Sent Events stream: `reload` after a successful rebuild, `error` (the problems as
  JSON) after a failed one, `search-index` when the search index falls behind the pages or catches up. On connect
  it sends the current state first (`hello` with the build's id, then `error` while the last build failed and
  `search-index`), so a page opened during an error shows the overlay at once.

The overlay is drawn by that external script because the site's Content-Security-Policy allows scripts from
'self' only. Nothing here is part of the deployed site or API; /api passes through untouched.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

ASSETS = Path(__file__).resolve().parent / "dev_assets"
SCRIPT_TAG = b'<script src="/__dev/livereload.js" defer></script>'
EVENTS_PATH = "/__dev/events"
ASSET_FILES = {
    "/__dev/livereload.js": ("livereload.js", b"text/javascript; charset=utf-8"),
    "/__dev/livereload.css": ("livereload.css", b"text/css; charset=utf-8"),
}
# An idle stream gets a comment line now and then, so a dropped connection is noticed and re-opened.
KEEPALIVE_SECONDS = 15.0
# Partial and empty answers have no page to put the script into.
_NO_PAGE_STATUSES = {204, 206, 304}
_HEAD_END = re.compile(rb"</head\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the last build, as the overlay and the terminal show it."""

    path: str
    field: str
    problem: str
    line_number: int | None
    text: str
    """The one-line form printed in the terminal."""


@dataclass(frozen=True)
class Event:
    name: str
    data: dict[str, Any]

    def encode(self) -> bytes:
        return f"event: {self.name}\ndata: {json.dumps(self.data, ensure_ascii=False)}\n\n".encode()


class ReloadHub:
    """The last build's outcome and the pages waiting for the next one. Safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._listeners: dict[asyncio.Queue[Event | None], asyncio.AbstractEventLoop] = {}
        # A restarted server has a new id, so its pages reload when they reconnect.
        self._server_id = uuid.uuid4().hex[:8]
        self._builds = 0
        self._failure: Event | None = None
        self._search_index = "fresh"
        self._closed = False

    def _build_id(self) -> str:
        return f"{self._server_id}-{self._builds}"

    def built(self, *, search_index: str) -> None:
        """A rebuild succeeded: every page reloads. search_index is "fresh", "updating" or "failed"."""
        with self._lock:
            self._builds += 1
            self._failure = None
            self._search_index = search_index
            self._publish(Event("reload", {"build": self._build_id()}))

    def failed(self, title: str, problems: list[Problem]) -> None:
        """A rebuild failed; the pages stay as they are and show the problems."""
        with self._lock:
            self._failure = Event("error", {"title": title, "errors": [asdict(problem) for problem in problems]})
            self._publish(self._failure)

    def search_index(self, state: str) -> None:
        with self._lock:
            if state != self._search_index:
                self._search_index = state
                self._publish(Event("search-index", {"state": state}))

    @property
    def search_index_state(self) -> str:
        return self._search_index

    def problems(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._failure.data["errors"]) if self._failure else []

    def close(self) -> None:
        """End every stream, so the server can stop (uvicorn waits for open responses)."""
        with self._lock:
            self._closed = True
            self._publish(None)

    def subscribe(self, loop: asyncio.AbstractEventLoop) -> tuple[asyncio.Queue[Event | None], list[Event]]:
        """A queue for what happens next and the current state, taken together so nothing falls between."""
        queue: asyncio.Queue[Event | None] = asyncio.Queue()
        with self._lock:
            current = [Event("hello", {"build": self._build_id()})]
            if self._failure:
                current.append(self._failure)
            current.append(Event("search-index", {"state": self._search_index}))
            if self._closed:
                queue.put_nowait(None)
            else:
                self._listeners[queue] = loop
        return queue, current

    def unsubscribe(self, queue: asyncio.Queue[Event | None]) -> None:
        with self._lock:
            self._listeners.pop(queue, None)

    def _publish(self, event: Event | None) -> None:
        """Called with the lock held; the queues belong to the server's event loop, hence call_soon_threadsafe."""
        for queue, loop in list(self._listeners.items()):
            try:
                loop.call_soon_threadsafe(queue.put_nowait, event)
            except RuntimeError:  # that loop has closed
                self._listeners.pop(queue, None)


class LiveReload:
    """Wraps the dev app: answers /__dev/ itself and puts the live-reload script into the site's pages."""

    def __init__(self, app: App, hub: ReloadHub) -> None:
        self.app = app
        self.hub = hub

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        if path == EVENTS_PATH:
            await self._events(receive, send)
        elif path in ASSET_FILES:
            await _send_asset(*ASSET_FILES[path], send)
        elif scope["method"] != "GET" or path == "/api" or path.startswith("/api/"):
            # HEAD too: its Content-Length stays the file's; nothing in development relies on it.
            await self.app(scope, receive, send)
        else:
            await self.app(scope, receive, _ScriptInjector(send).send)

    async def _events(self, receive: Receive, send: Send) -> None:
        queue, current = self.hub.subscribe(asyncio.get_running_loop())
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"text/event-stream; charset=utf-8"),
                        (b"cache-control", b"no-store"),
                    ],
                }
            )
            # retry: reconnect within a second when the server restarts.
            await _send_chunk(send, b"retry: 1000\n\n" + b"".join(event.encode() for event in current))
            await _stream(queue, receive, send)
        except OSError:  # the browser went away mid-send
            pass
        finally:
            self.hub.unsubscribe(queue)


async def _stream(queue: asyncio.Queue[Event | None], receive: Receive, send: Send) -> None:
    """Forward the hub's events until the browser disconnects or the hub closes."""
    disconnected = asyncio.ensure_future(_wait_for_disconnect(receive))
    try:
        while True:
            next_event = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait(
                {next_event, disconnected}, timeout=KEEPALIVE_SECONDS, return_when=asyncio.FIRST_COMPLETED
            )
            if disconnected in done:
                next_event.cancel()
                return
            if next_event not in done:
                next_event.cancel()
                await _send_chunk(send, b": keep-alive\n\n")
                continue
            event = next_event.result()
            if event is None:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await _send_chunk(send, event.encode())
    finally:
        disconnected.cancel()


async def _wait_for_disconnect(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


async def _send_chunk(send: Send, body: bytes) -> None:
    await send({"type": "http.response.body", "body": body, "more_body": True})


async def _send_asset(name: str, content_type: bytes, send: Send) -> None:
    body = (ASSETS / name).read_bytes()  # read per request: an edit shows on the next page load
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                (b"x-content-type-options", b"nosniff"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def inject_script(html: bytes) -> bytes:
    """The page with the script tag before its </head>; a page without one is left as it is."""
    match = _HEAD_END.search(html)
    if match is None:
        return html
    return html[: match.start()] + SCRIPT_TAG + html[match.start() :]


def _is_page(start: Message) -> bool:
    headers = {name.lower(): value for name, value in start.get("headers", [])}
    return (
        start["status"] not in _NO_PAGE_STATUSES
        and headers.get(b"content-type", b"").startswith(b"text/html")
        and b"content-encoding" not in headers
    )


class _ScriptInjector:
    """Holds back an HTML response until its body is complete, then sends it with the script and a new length."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._start: Message | None = None
        self._body: list[bytes] = []

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start" and _is_page(message):
            self._start = message
        elif message["type"] == "http.response.body" and self._start is not None:
            self._body.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._send_page()
        else:
            await self._send(message)

    async def _send_page(self) -> None:
        assert self._start is not None
        body = inject_script(b"".join(self._body))
        headers = [(name, value) for name, value in self._start.get("headers", []) if name.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await self._send({**self._start, "headers": headers})
        await self._send({"type": "http.response.body", "body": body})
        self._start, self._body = None, []
