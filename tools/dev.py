"""`make dev`: build the site, serve it beside the API, rebuild on every save and reload the open pages.

usage: python tools/dev.py [--content DIR] [--templates DIR] [--out DIR] [--cache DIR] [--host H] [--port N]

Like `mkdocs serve` and `hugo server`: watchfiles watches content/ and templates/; each save rebuilds the pages
(without the search index, for speed) and the open pages reload themselves (tools/dev_reload.py). A failed
rebuild leaves the last good site in place and shows its problems in the terminal and over the page. The search
index catches up in a background thread; until it has, search pages say so.

This lives in tools/ because it needs both the build and the API, which never import each other.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # build.py is a script at the top level, not part of an installed package

import jinja2  # noqa: E402
import uvicorn  # noqa: E402
import watchfiles  # noqa: E402

import build  # noqa: E402
from functions.dev_server import create_dev_app  # noqa: E402
from functions.services import Services, build_services  # noqa: E402
from functions.settings import Settings  # noqa: E402
from sitegen.errors import ContentError, ContentErrors  # noqa: E402
from sitegen.search_index import SearchIndexError  # noqa: E402
from tools.dev_reload import ASSETS, App, LiveReload, Problem, ReloadHub  # noqa: E402

log = logging.getLogger(__name__)
# Saves come in bursts (an editor saving twice, a git checkout): index once they have paused this long.
INDEX_AFTER_QUIET_SECONDS = 1.0


@dataclass(frozen=True)
class SitePaths:
    content: Path
    templates: Path
    out: Path
    cache: Path
    """The incremental build's cache (.cache/build by default)."""


@dataclass(frozen=True)
class Failure:
    title: str
    problems: list[Problem]


def describe_failure(exc: Exception, templates: Path) -> Failure:
    """What the terminal and the overlay say about a failed build."""
    if isinstance(exc, ContentErrors):
        return Failure("内容有错误，页面未更新：", [_content_problem(error) for error in exc.errors])
    if isinstance(exc, jinja2.TemplateError):
        return Failure("模板有错误，页面未更新：", [_template_problem(exc, templates)])
    if isinstance(exc, SearchIndexError):
        return Failure("搜索索引建立失败，页面未更新：", [_plain_problem(str(exc))])
    return Failure("构建出错，页面未更新：", [_plain_problem(f"{type(exc).__name__}: {exc}")])


def _content_problem(error: ContentError) -> Problem:
    # line_number is newer than ContentError itself; its .line names the line too once it has one.
    return Problem(error.path, error.field, error.problem, getattr(error, "line_number", None), error.line)


def _template_problem(exc: jinja2.TemplateError, templates: Path) -> Problem:
    path, line_number = _template_location(exc, templates)
    problem = f"{type(exc).__name__}: {exc.message or exc}"
    return Problem(path, "", problem, line_number, _located(path, line_number, "", problem))


def _template_location(exc: jinja2.TemplateError, templates: Path) -> tuple[str, int | None]:
    """The template file and line: a syntax error names them; otherwise Jinja's rewritten traceback does."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return _shown(Path(exc.filename), templates), exc.lineno
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if Path(frame.filename).resolve().is_relative_to(templates.resolve()):
            return _shown(Path(frame.filename), templates), frame.lineno
    return templates.name, None


def _shown(path: Path, folder: Path) -> str:
    """templates/guide.html rather than an absolute path, as the build names content files."""
    try:
        return str(Path(folder.name) / path.resolve().relative_to(folder.resolve()))
    except ValueError:
        return str(path)


def _plain_problem(problem: str) -> Problem:
    return Problem("", "", problem, None, problem)


def _located(path: str, line_number: int | None, field: str, problem: str) -> str:
    """`path:line: field: problem`, the compiler's form, which editors and terminals turn into a link."""
    where = f"{path}:{line_number}" if line_number else path
    return ": ".join(part for part in (where, field, problem) if part)


class DevSite:
    """The site `make dev` serves: built at start, rebuilt on every save, its search index caught up behind."""

    def __init__(
        self,
        paths: SitePaths,
        hub: ReloadHub,
        after_build: Callable[[], None] = lambda: None,
        site_url: str | None = None,
    ) -> None:
        self.paths = paths
        self.hub = hub
        self.after_build = after_build
        self.site_url = site_url
        """The origin the pages are served on, for sitemap.xml and canonical links; None: portal.yaml's."""
        # One build writes out/ at a time: a rebuild after a save, or the search index's catching up.
        self.lock = threading.Lock()
        self.index_wanted = threading.Event()

    def _build(self, *, search: bool) -> None:
        # Incremental: without search only the changed pages are written and the regions' indexes stay as they
        # were (behind the pages, as the search page then says); with search the changed regions are re-indexed.
        build.build(
            self.paths.content,
            self.paths.templates,
            self.paths.out,
            site_url=self.site_url,
            search=search,
            cache_dir=self.paths.cache,
        )

    def build_first(self) -> bool:
        """The full build, search index included; on failure the last good site (or a placeholder) is served."""
        started = time.perf_counter()
        try:
            with self.lock:
                self._build(search=True)
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, the server still starts
            self._report_failure(exc, started)
            self._serve_something()
            return False
        self.after_build()
        self.hub.built(search_index="fresh")
        _say(f"已构建（含搜索索引）：{time.perf_counter() - started:.1f} s → {self.paths.out}")
        return True

    def rebuild(self, changed: Iterable[str] = ()) -> bool:
        """Rebuild the pages after a save; never raises, so the watcher outlives any broken file."""
        started = time.perf_counter()
        try:
            with self.lock:
                self._build(search=False)
        except Exception as exc:  # noqa: BLE001 - a bug in the build must not stop the watcher either
            self._report_failure(exc, started)
            return False
        self.after_build()
        self.hub.built(search_index="updating")
        self.index_wanted.set()
        _say(f"已重新构建：{time.perf_counter() - started:.1f} s{self._changed(changed)}")
        return True

    def update_search_index(self) -> bool:
        """Build again with the search index: the build's own way of indexing, whatever its layout.

        An incremental build finds the pages unchanged and re-indexes only what they changed."""
        started = time.perf_counter()
        try:
            with self.lock:
                self._build(search=True)
        except (ContentErrors, jinja2.TemplateError):
            return False  # broken since the last rebuild: the watcher's next rebuild reports it
        except Exception as exc:  # noqa: BLE001 - the pages are fine; only the search lags, and says so
            _say(f"搜索索引更新失败：{exc}")
            self.hub.search_index("failed")
            return False
        self.after_build()
        self.hub.search_index("fresh")
        _say(f"搜索索引已更新：{time.perf_counter() - started:.1f} s")
        return True

    def _report_failure(self, exc: Exception, started: float) -> None:
        failure = describe_failure(exc, self.paths.templates)
        if not isinstance(exc, (ContentErrors, jinja2.TemplateError, SearchIndexError)):
            log.error("构建出错（程序错误，不是内容错误）", exc_info=exc)
        _say(f"构建失败（{time.perf_counter() - started:.1f} s），{failure.title}")
        for problem in failure.problems:
            _say(f"  {problem.text}")
        self.hub.failed(failure.title, failure.problems)

    def _serve_something(self) -> None:
        if self.paths.out.is_dir():
            _say(f"继续提供上一次成功构建的站点：{self.paths.out}")
            return
        # The pages carry the live-reload script, so the overlay shows and the first good build reloads them.
        self.paths.out.mkdir(parents=True)
        for name in ("index.html", "404.html"):
            shutil.copyfile(ASSETS / "placeholder.html", self.paths.out / name)

    def _changed(self, changed: Iterable[str]) -> str:
        # An editor's save often shows as a temporary file and a rename: name the file that is left.
        paths = sorted({path for path in changed if Path(path).exists()}) or sorted(set(changed))
        if len(paths) > 1:
            return f"（{len(paths)} 个文件有改动）"
        if paths:
            return f"（{_shown(Path(paths[0]), self.paths.content.parent)}）"
        return ""

    def watch(self, stop: threading.Event) -> None:
        """Rebuild after each burst of saves (watchfiles waits for the burst to settle) until stop is set."""
        try:
            for changes in watchfiles.watch(
                self.paths.content, self.paths.templates, stop_event=stop, raise_interrupt=False
            ):
                self.rebuild(path for _, path in changes)
        except Exception:  # e.g. a watched folder was deleted: say so, or the site would silently stop updating
            log.exception("已停止监视改动，请重新运行 make dev")

    def index_in_background(self, stop: threading.Event) -> None:
        """Update the search index once the saves pause, so a burst of edits is not slowed by indexing."""
        while not stop.is_set():
            if self.index_wanted.wait(timeout=0.5):
                self.index_wanted.clear()
                if stop.wait(INDEX_AFTER_QUIET_SECONDS) or self.index_wanted.is_set():
                    continue
                try:
                    self.update_search_index()
                except Exception:  # keep the thread: the next save tries again
                    log.exception("搜索索引更新出错")
                    self.hub.search_index("failed")


def _say(line: str) -> None:
    print(line, flush=True)


class _Server(uvicorn.Server):
    """uvicorn waits for open responses before it stops, and the event streams only end when told to."""

    def __init__(self, config: uvicorn.Config, on_exit: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self._on_exit()
        super().handle_exit(sig, frame)


def served_origin(host: str, port: int) -> str | None:
    """The address the pages are opened at, as the site's own (sitemap.xml, canonical links); a wildcard host is
    reached as 127.0.0.1. Port 0 (a free one, the tests') is known only once bound: portal.yaml's stands in."""
    if not port:
        return None
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


class DevServer:
    """The site and the API on one origin, with live reload; prepare() builds, run() serves until stopped."""

    def __init__(
        self, paths: SitePaths, *, host: str = "127.0.0.1", port: int = 8000, services: Services | None = None
    ) -> None:
        self.paths = paths
        self.host = host
        self.port = port
        self.hub = ReloadHub()
        self.services = services or build_services(Settings(catalog_path=paths.out / "catalog.json"))
        self.site = DevSite(paths, self.hub, after_build=self._forget_catalogue, site_url=served_origin(host, port))
        self.stop = threading.Event()
        self.app: App | None = None
        """The wrapped ASGI app, made by prepare(); a test may wrap it once more before run()."""
        self.server: _Server | None = None

    def _forget_catalogue(self) -> None:
        # The API reads the catalogue once per process (Services.catalogue, a cached_property): dropping the
        # cached reader makes the next request read the catalogue just built.
        vars(self.services).pop("catalogue", None)

    def prepare(self) -> None:
        self.site.build_first()
        self.app = LiveReload(create_dev_app(self.paths.out, self.services), self.hub)

    def run(self) -> None:
        if self.app is None:
            self.prepare()
        assert self.app is not None  # prepare() made it
        threads = [
            threading.Thread(target=self.site.watch, args=(self.stop,), name="dev-watch", daemon=True),
            threading.Thread(target=self.site.index_in_background, args=(self.stop,), name="dev-index", daemon=True),
        ]
        for thread in threads:
            thread.start()
        _say(f"正在监视 {self.paths.content} 和 {self.paths.templates}：保存后自动重新构建并刷新浏览器。")
        config = uvicorn.Config(self.app, host=self.host, port=self.port, lifespan="off", timeout_graceful_shutdown=3)
        self.server = _Server(config, on_exit=self._stop_watching)
        try:
            self.server.run()
        except KeyboardInterrupt:  # uvicorn raises Ctrl+C again once it has shut down; that is the way out
            pass
        finally:
            self._stop_watching()
            for thread in threads:
                thread.join(timeout=10)

    def _stop_watching(self) -> None:
        self.stop.set()
        self.hub.close()

    def shutdown(self) -> None:
        """Stop from another thread (the tests); Ctrl+C does the same through handle_exit."""
        self._stop_watching()
        if self.server is not None:
            self.server.should_exit = True

    @property
    def url(self) -> str:
        assert self.server is not None and self.server.started
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://{self.host}:{port}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="本地预览辽宁政务服务网：保存内容或模板后自动重新构建并刷新浏览器")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="内容目录（默认 content/）")
    parser.add_argument("--templates", type=Path, default=ROOT / "templates", help="模板目录（默认 templates/）")
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="站点输出目录（默认 site/）")
    parser.add_argument(
        "--cache", type=Path, default=ROOT / ".cache" / "build", help="增量构建的缓存目录（默认 .cache/build）"
    )
    parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1）")
    parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("watchfiles").setLevel(logging.WARNING)  # "3 changes detected": the rebuild line says more
    for folder in (args.content, args.templates):
        if not folder.is_dir():
            parser.error(f"找不到目录：{folder}")
    paths = SitePaths(args.content.resolve(), args.templates.resolve(), args.out.resolve(), args.cache.resolve())
    DevServer(paths, host=args.host, port=args.port).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
