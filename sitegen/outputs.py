"""Phase two's writer: each output of the site is written only when what it is made from changed.

An Output knows its path, the digests of its inputs and how to make its bytes. Its fingerprint (those digests,
plus the build code, the templates and the options) is kept in the BuildCache; an output whose fingerprint is
unchanged is neither rendered nor written, one whose source is gone is removed. Files are written atomically as
they are rendered (never all held in memory), by worker processes when there are many.

A site that is new, or not the one the cache last wrote, is written whole into a folder beside it and swapped
in at the end, so a server sees the old site or the new one, never half of it.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import BuildCache

if TYPE_CHECKING:
    from .catalog import SubItemEntry
    from .pages import Page

# Below this many outputs to make, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 400
BATCH = 64  # outputs per task handed to a worker


@dataclass(frozen=True, eq=False, slots=True)  # slots: a province plans ~100,000 of them
class Output:
    path: str
    """Relative to site/, e.g. anshan/guide/210300-XK-0101-01/index.html."""
    deps: tuple[str, ...]
    """Digests of everything it is made from, besides the build code and templates."""
    make: Callable[[], str | bytes] | None = None
    """Its content; None for a file copied verbatim from `source`."""
    source: Path | None = None
    page: Page | None = None
    """The HTML page it is (its URL, title, whether indexed); None for what is not a page."""
    subs: tuple[SubItemEntry, ...] = ()
    """Guides read from the cache to make it, let go of once it is written."""

    def fingerprint(self, base: str) -> str:
        # One hash over NUL-joined parts: digests are hex, and the other parts (slugs, counts, reprs) hold no NUL.
        return hashlib.blake2b("\0".join((base, *self.deps)).encode("utf-8"), digest_size=16).hexdigest()


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    """Outputs whose inputs had not changed, or whose new bytes equalled the file's."""
    removed: list[str] = field(default_factory=list)


Progress = Callable[[str, int, int], None]


def write_site(
    outputs: list[Output],
    out_dir: Path,
    cache: BuildCache,
    base: str,
    *,
    workers: int,
    progress: Progress | None = None,
    full: bool = False,
    before_swap: Callable[[Path, list[str], list[str]], None] | None = None,
) -> WriteResult:
    """Bring out_dir in line with outputs; `base` is the fingerprint of code, templates and options.

    before_swap(folder, written, removed) runs on the written folder (the staging one for a whole site) before
    it goes live."""
    progress = progress or (lambda phase, done, total: None)
    fresh = full or not is_cached_site(out_dir, cache)
    previous = {} if fresh else cache.output_fingerprints()
    fingerprints = {output.path: output.fingerprint(base) for output in outputs}
    todo = [i for i, output in enumerate(outputs) if previous.get(output.path) != fingerprints[output.path]]
    result = WriteResult(unchanged=len(outputs) - len(todo))
    target = _staging(out_dir) if fresh else out_dir
    try:
        if fresh:
            # Until the swap, the cache describes no site: a build that fails half-way starts whole again.
            cache.set_meta("site", "")
            cache.forget_outputs()
        for done, batch in enumerate(_make_all(outputs, todo, target, workers), 1):
            written, same = batch
            result.written.extend(written)
            result.unchanged += len(same)
            cache.record_outputs((path, fingerprints[path]) for path in written + same)
            progress("write", min(done * BATCH, len(todo)), len(todo))
        if not fresh:
            stale = set(previous) - set(fingerprints)
            result.removed = _remove_stale(out_dir, stale)
            cache.record_outputs((), stale)
        if before_swap:
            before_swap(target, result.written, result.removed)
        if fresh:
            _swap(target, out_dir)
        _remember_site(out_dir, cache)
    finally:
        if fresh:
            shutil.rmtree(target, ignore_errors=True)  # gone already after a successful swap
    return result


# --- making outputs ---------------------------------------------------------------------------------------
_JOB: tuple[list[Output], Path] | None = None  # what forked workers inherit instead of receiving it pickled


def _make_all(
    outputs: list[Output], todo: list[int], target: Path, workers: int
) -> Iterable[tuple[list[str], list[str]]]:
    """Make the outputs at these indices, a batch at a time: (paths written, paths whose bytes were the same)."""
    global _JOB
    batches = [todo[start : start + BATCH] for start in range(0, len(todo), BATCH)]
    if len(todo) < PARALLEL_THRESHOLD or workers < 2:
        for batch in batches:
            yield _make_batch(outputs, batch, target)
        return
    _JOB = (outputs, target)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            yield from pool.map(_make_batch_in_worker, batches)
    finally:
        _JOB = None


def _make_batch_in_worker(batch: list[int]) -> tuple[list[str], list[str]]:
    assert _JOB is not None
    outputs, target = _JOB
    return _make_batch(outputs, batch, target)


def _make_batch(outputs: list[Output], batch: list[int], target: Path) -> tuple[list[str], list[str]]:
    written: list[str] = []
    same: list[str] = []
    for index in batch:
        output = outputs[index]
        data = output.source.read_bytes() if output.source else output.make()  # type: ignore[misc]
        if isinstance(data, str):
            data = data.encode("utf-8")
        (written if write_if_changed(target / output.path, data) else same).append(output.path)
        for sub in output.subs:
            sub.release()
    return written, same


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically (a reader sees the old file or the new one), and not at all when the bytes are equal."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


# --- the site folder --------------------------------------------------------------------------------------
def _site_identity(out_dir: Path) -> str:
    """Which folder the cache's record of outputs describes: a site replaced or deleted by hand is not it.

    The folder's change time moves whenever an entry is added to or removed from it, so it is read after the
    build's own changes; an inode alone is not enough, as a folder made again at once often gets the old one."""
    stat = out_dir.stat()
    return f"{out_dir.resolve()}|{stat.st_dev}|{stat.st_ino}|{stat.st_ctime_ns}"


def is_cached_site(out_dir: Path, cache: BuildCache) -> bool:
    return out_dir.is_dir() and cache.meta("site") == _site_identity(out_dir)


def _remember_site(out_dir: Path, cache: BuildCache) -> None:
    cache.set_meta("site", _site_identity(out_dir))


def _staging(out_dir: Path) -> Path:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by the finished staging folder; a server sees the old or the new site, never half."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}-old-{os.getpid()}")
        out_dir.rename(old)
    staging.rename(out_dir)
    if old:
        shutil.rmtree(old)


def _remove_stale(out_dir: Path, paths: set[str]) -> list[str]:
    """Delete outputs whose source is gone, and the folders they leave empty."""
    removed = []
    for relative in sorted(paths):
        path = out_dir / relative
        if path.is_file():
            path.unlink()
            removed.append(relative)
        folder = path.parent
        while folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return removed
