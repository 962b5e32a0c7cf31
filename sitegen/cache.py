"""The build's memory between runs, in one SQLite file (default .cache/build/cache.sqlite).

- files:   path -> (mtime_ns, size, digest): a file whose stat is unchanged is not read again (as git's index).
- parsed:  (digest of the file and of what its parse depends on) -> the validated model, packed. A sub-item's
           guide stays on disk until a page or a catalogue shard needs it, so memory does not grow with the province.
- outputs: path under site/ -> the fingerprint of the inputs it was last written from.
Everything is keyed by the build code's version too: new code starts from an empty cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, digest TEXT);
CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, summary BLOB NOT NULL, payload BLOB);
CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
"""
# A file modified this close to the scan may change again within the same mtime tick: hash it anyway.
RACY_SECONDS = 2


def digest(*parts: bytes | str) -> str:
    """A short, stable content hash; parts are length-prefixed so ('ab', 'c') and ('a', 'bc') differ."""
    chunks = []
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        chunks.append(len(data).to_bytes(8, "little"))
        chunks.append(data)
    return hashlib.blake2b(b"".join(chunks), digest_size=16).hexdigest()


class BuildCache:
    def __init__(self, path: Path, code_version: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = self._connect(path)
        self.db.executescript(SCHEMA)
        if self.meta("code_version") != code_version:
            self.db.executescript("DELETE FROM files; DELETE FROM parsed; DELETE FROM outputs; DELETE FROM meta;")
            self.set_meta("code_version", code_version)
        self._stats: dict[str, tuple[int, int, str]] | None = None
        self._changed: set[str] = set()

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def close(self) -> None:
        self.db.close()

    # --- meta -------------------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # --- file digests -----------------------------------------------------------------------------------
    def file_digest(self, path: str, stat: os.stat_result, scan_started: float) -> tuple[str, bytes | None]:
        """The digest of a file's bytes, and the bytes when they had to be read."""
        if self._stats is None:
            self._stats = {row[0]: row[1:] for row in self.db.execute("SELECT * FROM files")}
        key = path
        known = self._stats.get(key)
        if known and known[:2] == (stat.st_mtime_ns, stat.st_size) and stat.st_mtime < scan_started - RACY_SECONDS:
            return known[2], None
        with open(path, "rb") as file:
            data = file.read()
        found = digest(data)
        self._stats[key] = (stat.st_mtime_ns, stat.st_size, found)
        self._changed.add(key)
        return found, data

    def save_file_digests(self, seen: Iterable[str]) -> None:
        """Keep the digests of the files this build saw, forget the others (deleted files)."""
        if self._stats is None:
            return
        keep = set(seen)
        gone = [(path,) for path in self._stats if path not in keep]
        with self.transaction():
            self.db.executemany("DELETE FROM files WHERE path = ?", gone)
            self.db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                ((path, *self._stats[path]) for path in self._changed if path in keep),
            )
        self._changed.clear()

    # --- parsed models ----------------------------------------------------------------------------------
    def parsed_summaries(self, keys: Iterable[str]) -> dict[str, bytes]:
        """The summaries stored for these keys, as stored (missing keys are absent)."""
        wanted = list(dict.fromkeys(keys))
        found = {}
        for start in range(0, len(wanted), 500):  # SQLite's limit on parameters is far above 500
            chunk = wanted[start : start + 500]
            query = f"SELECT key, summary FROM parsed WHERE key IN ({','.join('?' * len(chunk))})"
            for key, summary in self.db.execute(query, chunk):
                found[key] = summary
        return found

    def store_parsed(self, rows: Iterable[tuple[str, bytes, bytes | None]]) -> None:
        with self.transaction():
            self.db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?)", rows)

    def forget_parsed_except(self, keys: Iterable[str]) -> None:
        """Drop what no current file maps to, so the cache stays the size of the content."""
        with self.transaction():
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS live (key TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM live")
            self.db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((key,) for key in keys))
            self.db.execute("DELETE FROM parsed WHERE key NOT IN (SELECT key FROM live)")

    # --- outputs ----------------------------------------------------------------------------------------
    def output_fingerprints(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT path, fingerprint FROM outputs"))

    def record_outputs(self, written: Iterable[tuple[str, str]], removed: Iterable[str] = ()) -> None:
        with self.transaction():
            self.db.executemany("INSERT OR REPLACE INTO outputs VALUES (?, ?)", written)
            self.db.executemany("DELETE FROM outputs WHERE path = ?", ((path,) for path in removed))

    def forget_outputs(self) -> None:
        self.db.execute("DELETE FROM outputs")

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN")

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")


class PayloadReader:
    """Reads pickled guides back, one connection per process (worker processes open their own)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pid = -1
        self._db: sqlite3.Connection | None = None

    def load(self, key: str) -> Any:
        if self._pid != os.getpid():
            self._db = sqlite3.connect(self.path, check_same_thread=False)
            self._pid = os.getpid()
        assert self._db is not None
        row = self._db.execute("SELECT payload FROM parsed WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(f"cache entry {key} is gone: was the cache removed during the build?")
        return pickle.loads(row[0])
