"""What only the local backend has: signed upload/download links its own routes check, safe paths on disk,
several processes sharing one SQLite file, the dev outbox, and the factory that builds the bundle."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

import pytest

from functions.storage.factory import Backend, aws_backend, local_backend
from functions.storage.interface import ObjectExists, Transaction
from functions.storage.local import (
    DownloadRefused,
    LocalBlobStore,
    LocalSmsOutbox,
    LocalTable,
    UploadRefused,
)

from .conftest import SECRET, FakeClock

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def blobs(tmp_path: Path, clock: FakeClock) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs", SECRET, clock=clock)


# --- uploads ----------------------------------------------------------------------------------------------


def _refusal(blobs: LocalBlobStore, fields: dict, data: bytes = b"data") -> UploadRefused:
    with pytest.raises(UploadRefused) as refused:
        blobs.accept_post(fields, data)
    return refused.value


def test_accept_post_stores_a_stream(blobs: LocalBlobStore) -> None:
    form = blobs.presigned_post("uploads/u1/a", "image/png", max_size=10, expires_in=60)
    assert form["url"] == "/api/local-uploads"

    stored = blobs.accept_post(form["fields"], io.BytesIO(b"\x89PNG12345"))

    assert stored == {"key": "uploads/u1/a", "size": 9, "content_type": "image/png"}
    assert blobs.file_path("uploads/u1/a").read_bytes() == b"\x89PNG12345"


def test_accept_post_refusals_store_nothing(blobs: LocalBlobStore, clock: FakeClock) -> None:
    form = blobs.presigned_post("uploads/u1/a", "image/png", max_size=10, expires_in=60)
    fields = form["fields"]

    assert _refusal(blobs, {**fields, "Content-Type": "image/jpeg"}).reason == "wrong_content_type"
    assert _refusal(blobs, {**fields, "key": "uploads/u1/b"}).reason == "wrong_key"
    assert _refusal(blobs, {**fields, "signature": "0" * 64}).reason == "bad_signature"
    assert _refusal(blobs, {**fields, "signature": "签名"}).reason == "bad_signature"
    assert _refusal(blobs, {key: value for key, value in fields.items() if key != "policy"}).reason == "bad_signature"
    too_large = _refusal(blobs, fields, b"x" * 11)
    assert (too_large.reason, too_large.http_status) == ("too_large", 400)
    assert _refusal(blobs, fields, b"").reason == "empty"
    clock.advance(61)
    assert _refusal(blobs, fields).reason == "expired"

    assert blobs.head("uploads/u1/a") is None
    leftovers = [path for path in (blobs.file_path("uploads/u1/a").parent).iterdir()]
    assert leftovers == []  # no temporary files either


def test_a_policy_signed_with_another_secret_is_refused(tmp_path: Path, blobs: LocalBlobStore) -> None:
    other = LocalBlobStore(tmp_path / "other", b"another-secret-0123456789")
    form = other.presigned_post("uploads/u1/a", "image/png", max_size=10, expires_in=60)
    assert _refusal(blobs, form["fields"]).reason == "bad_signature"


def test_declared_content_type_counts_only_without_the_form_field(blobs: LocalBlobStore) -> None:
    fields = blobs.presigned_post("uploads/u1/a", "application/pdf", max_size=10, expires_in=60)["fields"]
    without_type = {key: value for key, value in fields.items() if key != "Content-Type"}

    assert blobs.accept_post(without_type, b"%PDF", declared_content_type="application/pdf")["size"] == 4
    with pytest.raises(UploadRefused):
        blobs.accept_post(without_type, b"%PDF")
    with pytest.raises(UploadRefused):
        blobs.accept_post(fields | {"Content-Type": "text/html"}, b"%PDF", declared_content_type="application/pdf")


@pytest.mark.parametrize(
    "key",
    [
        "../escape",
        "uploads/../../etc/passwd",
        "/absolute",
        "a//b",
        ".hidden",
        "uploads/.git/x",
        "a\\b",
        "a/b/",
        "",
        "uploads/nul\x00",
        "中文",
    ],
)
def test_unsafe_keys_are_refused(blobs: LocalBlobStore, key: str) -> None:
    with pytest.raises(ValueError):
        blobs.presigned_post(key, "image/png", max_size=10, expires_in=60)
    with pytest.raises(ValueError):
        blobs.head(key)


def test_objects_stay_under_the_root(tmp_path: Path, blobs: LocalBlobStore) -> None:
    fields = blobs.presigned_post("uploads/u1/a.b-c_d=e", "image/png", max_size=10, expires_in=60)["fields"]
    blobs.accept_post(fields, b"x")
    assert blobs.file_path("uploads/u1/a.b-c_d=e").resolve().is_relative_to((tmp_path / "blobs").resolve())


def test_a_form_stores_one_file_once(blobs: LocalBlobStore) -> None:
    fields = blobs.presigned_post("incoming/u1.pdf", "application/pdf", max_size=10, expires_in=60)["fields"]
    blobs.accept_post(fields, b"%PDF-first")

    refused = _refusal(blobs, fields, b"%PDF-other")

    assert (refused.reason, refused.http_status) == ("used", 409)
    assert blobs.read("incoming/u1.pdf") == b"%PDF-first"
    blobs.delete("incoming/u1.pdf")  # as /complete does: the form still stores nothing again
    assert _refusal(blobs, fields, b"%PDF-other").reason == "used"
    assert blobs.head("incoming/u1.pdf") is None


def test_a_form_whose_body_was_refused_can_be_sent_again(blobs: LocalBlobStore) -> None:
    fields = blobs.presigned_post("incoming/u1.pdf", "application/pdf", max_size=10, expires_in=60)["fields"]
    assert _refusal(blobs, fields, b"x" * 11).reason == "too_large"
    assert blobs.accept_post(fields, b"%PDF")["size"] == 4


def test_a_form_for_a_key_that_holds_an_object_is_refused(blobs: LocalBlobStore) -> None:
    blobs.put("evidence/a/1.pdf", b"%PDF-checked", "application/pdf")
    fields = blobs.presigned_post("evidence/a/1.pdf", "application/pdf", max_size=20, expires_in=60)["fields"]

    refused = _refusal(blobs, fields, b"%PDF-other")

    assert (refused.reason, refused.http_status) == ("exists", 409)
    assert blobs.read("evidence/a/1.pdf") == b"%PDF-checked"


def _race(work, count: int = 8) -> list[object]:
    """Run work(index) in `count` threads started together; what each returned or raised."""
    results: list[object] = [None] * count
    start = threading.Barrier(count)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test compares
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_one_of_concurrent_posts_of_a_form_stores(blobs: LocalBlobStore) -> None:
    fields = blobs.presigned_post("incoming/u1.pdf", "application/pdf", max_size=100, expires_in=60)["fields"]

    results = _race(lambda index: blobs.accept_post(fields, f"%PDF-{index}".encode()))

    stored = [result for result in results if isinstance(result, dict)]
    assert len(stored) == 1
    assert all(result.reason == "used" for result in results if isinstance(result, UploadRefused))
    assert blobs.read("incoming/u1.pdf") == f"%PDF-{results.index(stored[0])}".encode()


def test_one_of_concurrent_puts_of_a_key_stores(blobs: LocalBlobStore) -> None:
    results = _race(lambda index: blobs.put("evidence/a/1.pdf", f"%PDF-{index}".encode(), "application/pdf"))

    winners = [index for index, result in enumerate(results) if result is None]
    assert len(winners) == 1
    assert all(isinstance(result, ObjectExists) for result in results if result is not None)
    assert blobs.read("evidence/a/1.pdf") == f"%PDF-{winners[0]}".encode()


def test_expire_forgets_used_forms_once_they_expire(tmp_path: Path, blobs: LocalBlobStore, clock: FakeClock) -> None:
    fields = blobs.presigned_post("incoming/u1.pdf", "application/pdf", max_size=10, expires_in=60)["fields"]
    blobs.accept_post(fields, b"%PDF")
    markers = tmp_path / "blobs" / "tickets"
    blobs.expire("incoming/", 86400)
    assert len(list(markers.iterdir())) == 1 and _refusal(blobs, fields).reason == "used"

    clock.advance(61)
    blobs.expire("incoming/", 86400)

    assert list(markers.iterdir()) == []
    assert _refusal(blobs, fields).reason == "expired"


# --- downloads --------------------------------------------------------------------------------------------


def test_resolve_get(blobs: LocalBlobStore, clock: FakeClock) -> None:
    url = blobs.presigned_get("materials/a/1", expires_in=60, filename="身份证.jpg")
    token = url.removeprefix("/api/local-files/")

    assert blobs.resolve_get(token) == ("materials/a/1", "身份证.jpg")

    payload, signature = token.split(".")
    for tampered in (f"{payload}x.{signature}", f"{payload}.{signature[:-1]}0", payload, "", "a.b.c"):
        with pytest.raises(DownloadRefused):
            blobs.resolve_get(tampered)
    clock.advance(61)
    with pytest.raises(DownloadRefused) as refused:
        blobs.resolve_get(token)
    assert refused.value.reason == "expired"


# --- the table on disk ------------------------------------------------------------------------------------


def test_the_table_survives_a_restart(tmp_path: Path) -> None:
    first = LocalTable(tmp_path / "t.sqlite3")
    first.put({"pk": "a", "sk": "b", "v": 1})
    first.close()
    assert LocalTable(tmp_path / "t.sqlite3").get("a", "b") == {"pk": "a", "sk": "b", "v": 1}


def test_purge_expired(tmp_path: Path, clock: FakeClock) -> None:
    table = LocalTable(tmp_path / "t.sqlite3", clock)
    table.put({"pk": "a", "sk": "old", "expires_at": int(clock()) - 1})
    table.put({"pk": "a", "sk": "new", "expires_at": int(clock()) + 1})
    assert table.purge_expired() == 1
    assert [found["sk"] for found in table.query("a")] == ["new"]


def test_transactions_have_dynamodbs_size_limit(tmp_path: Path) -> None:
    table = LocalTable(tmp_path / "t.sqlite3")
    with pytest.raises(ValueError):
        table.transact(Transaction(puts=[{"pk": "a", "sk": str(index)} for index in range(101)]))


def test_prefix_queries_with_characters_beyond_ascii(tmp_path: Path) -> None:
    table = LocalTable(tmp_path / "t.sqlite3")
    for sk in ("辽#1", "辽#2", "辽$", "辽", "辽\U0010ffff", "z"):
        table.put({"pk": "a", "sk": sk})
    assert [found["sk"] for found in table.query("a", "辽#")] == ["辽#1", "辽#2"]
    assert [found["sk"] for found in table.query("a", "辽\U0010ffff")] == ["辽\U0010ffff"]


_INCREMENT_SCRIPT = """
import sys, json
from pathlib import Path
from functions.storage.local import LocalTable
table = LocalTable(Path(sys.argv[1]))
print(json.dumps([table.increment("seq", "shared") for _ in range(int(sys.argv[2]))]))
"""


def test_processes_share_one_counter(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    LocalTable(path).close()  # create the file (and WAL mode) once, as the dev server would
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _INCREMENT_SCRIPT, str(path), "30"], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    values = [value for process in processes for value in json.loads(process.communicate(timeout=60)[0])]
    assert all(process.returncode == 0 for process in processes)
    assert sorted(values) == list(range(1, 91))


# --- the outbox -------------------------------------------------------------------------------------------


def test_outbox_lists_messages_oldest_first_with_iso_times(tmp_path: Path, clock: FakeClock) -> None:
    outbox = LocalSmsOutbox(tmp_path / "outbox.sqlite3", clock)
    outbox.send("13800000000", "first")
    clock.advance(1)
    outbox.send("13800000001", "second")

    messages = LocalSmsOutbox(tmp_path / "outbox.sqlite3", clock).messages()  # as after a restart

    assert [(message["phone"], message["text"]) for message in messages] == [
        ("13800000000", "first"),
        ("13800000001", "second"),
    ]
    assert set(messages[0]) == {"phone", "text", "sent_at"}
    assert datetime.fromisoformat(messages[1]["sent_at"]).timestamp() == clock()


def test_outbox_can_share_the_apps_table(tmp_path: Path) -> None:
    table = LocalTable(tmp_path / "t.sqlite3")
    LocalSmsOutbox(table).send("13800000000", "hi")
    assert [message["text"] for message in LocalSmsOutbox(table).messages()] == ["hi"]


# --- the factory ------------------------------------------------------------------------------------------


def test_local_backend_keeps_its_signing_key(tmp_path: Path) -> None:
    first = local_backend(tmp_path / "data")
    url = first.blobs.presigned_get("uploads/a", expires_in=60, filename="a.pdf")

    second = local_backend(tmp_path / "data")  # a restart

    assert isinstance(second, Backend) and second.kind == "local"
    assert second.blobs.resolve_get(url.rsplit("/", 1)[1]) == ("uploads/a", "a.pdf")
    assert (tmp_path / "data" / "local-signing.key").stat().st_mode & 0o077 == 0


def test_aws_backend_builds_without_calling_aws() -> None:
    backend = aws_backend("table", "bucket", dynamodb=object(), s3=object(), sns=object())
    assert backend.kind == "aws"


def test_a_signing_key_is_never_seen_half_written(tmp_path: Path, monkeypatch) -> None:
    """A crash while the key is written leaves a temp file, never an empty key that stops every later start."""
    import os

    from functions.storage import factory

    data = tmp_path / "data"
    data.mkdir()
    real_link = os.link

    def crash(*_args) -> None:
        raise KeyboardInterrupt  # the process dies between writing the key and putting it in place

    monkeypatch.setattr(os, "link", crash)
    with pytest.raises(KeyboardInterrupt):
        factory._local_secret(data)
    monkeypatch.setattr(os, "link", real_link)
    assert not (data / "local-signing.key").exists()
    assert len(factory._local_secret(data)) == 32  # the next start makes one


def test_a_crash_before_an_object_is_in_place_leaves_its_key_free(tmp_path: Path, monkeypatch) -> None:
    """Metadata first, then the object: a crash between them must not leave a key taken by nothing readable."""
    import os

    store = LocalBlobStore(tmp_path / "blobs", b"k" * 32)
    real_link = os.link
    monkeypatch.setattr(os, "link", lambda *_args: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        store.put("evidence/a.pdf", b"%PDF-1", "application/pdf")
    monkeypatch.setattr(os, "link", real_link)
    assert store.head("evidence/a.pdf") is None
    store.put("evidence/a.pdf", b"%PDF-1", "application/pdf")  # the retry stores it
    assert store.read("evidence/a.pdf") == b"%PDF-1"
