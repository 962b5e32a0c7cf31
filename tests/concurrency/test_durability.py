"""`make dev` killed with SIGKILL in the middle of registrations, uploads and submissions, then restarted on its data:
everything it acknowledged is there, and nothing it was half-way through is there in half.

The server is tools/dev.py itself, in a subprocess (PORTAL_BACKEND=local, PORTAL_TEST_MODE=1, a temp
PORTAL_DATA_DIR), building the fixture content into a temp site. SIGKILL ends the process without any shutdown
code; the operating system keeps what was written to files, so this tests the process's crash consistency
(SQLite's WAL commits, the blob store's temp-file-and-link writes), not a power cut's.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from functions.domain.validators import login_name_key
from functions.storage.factory import BLOBS_DIR, OUTBOX_FILE, TABLE_FILE
from functions.storage.local import check_key
from tests.concurrency.conftest import Person, complete_draft, login, read_rows, request_sms, sms_codes, start_dev

WORKERS = 4


@dataclass
class Acknowledged:
    """What the server answered 2xx to, as the clients saw it."""

    accounts: list[Person] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    submissions: dict[str, str] = field(default_factory=dict)  # application id -> 办件编号
    errors: list[BaseException] = field(default_factory=list)
    """Anything but the server going away: a refused step is a failure, not the crash's doing."""
    lock: threading.Lock = field(default_factory=threading.Lock)


def _applicant_loop(url: str, acked: Acknowledged, stop: threading.Event) -> None:
    """Register, sign in, prepare and submit, again and again, until the server goes away."""
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            while not stop.is_set():
                person = Person.new()
                request_sms(client, person.phone)
                code = sms_codes(client)[person.phone]
                created = client.post("/api/accounts", json=person.registration(code))
                assert created.status_code == 201, created.text
                with acked.lock:
                    acked.accounts.append(person)
                assert login(client, person.login_name).status_code == 200
                for _ in range(2):
                    app_id = complete_draft(client)
                    with acked.lock:
                        acked.drafts.append(app_id)
                    submitted = client.post(f"/api/applications/{app_id}/submit", headers={"Idempotency-Key": app_id})
                    assert submitted.status_code == 200, submitted.text
                    with acked.lock:
                        acked.submissions[app_id] = submitted.json()["number"]
    except httpx.TransportError:
        return  # the server was killed under this request: its answer never came, so nothing was acknowledged
    except BaseException as error:  # noqa: BLE001 - reported by the test, not lost in a thread
        with acked.lock:
            acked.errors.append(error)


def _load_then_kill(data_dir: Path, work: Path, name: str, acked: Acknowledged, seconds: float) -> None:
    dev = start_dev(data_dir, work, name)
    submissions_before = len(acked.submissions) + 2
    stop = threading.Event()
    workers = [
        threading.Thread(target=_applicant_loop, args=(dev.url, acked, stop), daemon=True) for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    # Some work acknowledged first (however busy the machine), then the kill at a random moment of the loop.
    deadline = time.monotonic() + 30
    while len(acked.submissions) < submissions_before and time.monotonic() < deadline and not acked.errors:
        time.sleep(0.05)
    time.sleep(seconds)
    dev.kill()  # mid-request: four clients are always somewhere in a registration, an upload or a submission
    stop.set()
    for worker in workers:
        worker.join(timeout=30)
        assert not worker.is_alive()
    assert not acked.errors, acked.errors


def _check_files(data_dir: Path) -> None:
    for name in (TABLE_FILE, OUTBOX_FILE):
        connection = sqlite3.connect(data_dir / name, timeout=30)
        try:
            assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)], name
        finally:
            connection.close()


def _check_records(data_dir: Path) -> None:
    """Every record whole: indexes and what they index agree both ways, every referenced file stored with its metadata."""
    accounts = {row["id"]: row for row in read_rows(data_dir, "ACCOUNT#", "PROFILE")}
    for account in accounts.values():
        assert read_rows(data_dir, f"LOGIN#{login_name_key(account['login_name'])}")[0]["account_id"] == account["id"]
        assert [row["account_id"] for row in read_rows(data_dir, f"PHONE#{account['phone']}")] == [account["id"]]
        assert [row["account_id"] for row in read_rows(data_dir, f"IDNUM#{account['id_hash']}")] == [account["id"]]
        assert account["password_hash"].startswith("$argon2id$")
    for prefix in ("LOGIN#", "PHONE#", "IDNUM#"):
        assert all(row["account_id"] in accounts for row in read_rows(data_dir, prefix)), prefix

    apps = {row["id"]: row for row in read_rows(data_dir, "APP#", "APP")}
    owner_index = {row["id"]: row for row in read_rows(data_dir, "OWNER#")}
    assert set(owner_index) == set(apps)
    drafts = {row["application_id"]: row for row in read_rows(data_dir, "DRAFT#")}
    queued = {row["id"]: row for row in read_rows(data_dir, "QUEUE#")}
    uploads = {row["id"]: row for row in read_rows(data_dir, "UPLOAD#")}
    objects = data_dir / BLOBS_DIR / "objects"
    meta = data_dir / BLOBS_DIR / "meta"
    for app_id, app in apps.items():
        assert app["owner"] in accounts
        listed = owner_index[app_id]
        assert (listed["status"], listed["number"]) == (app["status"], app["number"])
        if app["status"] == "draft":
            assert app["number"] is None and app_id in drafts and app_id not in queued
        else:
            assert app["status"] == "submitted" and app["number"] and app["submitted_at"]
            assert app_id not in drafts and queued[app_id]["number"] == app["number"]
            assert [row["answer"]["number"] for row in read_rows(data_dir, f"IDEMPOTENCY#{app_id}")] == [app["number"]]
        for files in app["materials"].values():
            for file in files:
                upload = uploads[file["upload_id"]]
                assert upload["status"] == "complete" and upload["key"] == file["key"]
                assert (objects / file["key"]).stat().st_size == file["size"] == upload["size"]
                assert (meta / f"{file['key']}.json").is_file()
    assert set(drafts) <= set(apps)
    numbers = [app["number"] for app in apps.values() if app["number"]]
    assert len(numbers) == len(set(numbers))
    # A write cut short leaves at most a dot-named temp file, which is never a key (nothing can read it as one).
    for path in objects.rglob(".*"):
        with pytest.raises(ValueError):
            check_key(path.relative_to(objects).as_posix())


def _check_acknowledged(data_dir: Path, acked: Acknowledged, url: str) -> None:
    accounts = {row["login_name"]: row for row in read_rows(data_dir, "ACCOUNT#", "PROFILE")}
    assert {person.login_name for person in acked.accounts} <= set(accounts)
    apps = {row["id"]: row for row in read_rows(data_dir, "APP#", "APP")}
    assert set(acked.drafts) <= set(apps)
    for app_id, number in acked.submissions.items():
        assert (apps[app_id]["status"], apps[app_id]["number"]) == ("submitted", number)
    # And the restarted server serves them: a sample of the accounts signs in and lists its applications.
    for person in acked.accounts[:: max(1, len(acked.accounts) // 4)]:
        with httpx.Client(base_url=url, timeout=30) as client:
            assert login(client, person.login_name).status_code == 200
            listed = {item["id"]: item.get("number") for item in client.get("/api/applications").json()["items"]}
            owned = {app_id for app_id, app in apps.items() if app["owner"] == accounts[person.login_name]["id"]}
            assert set(listed) == owned
            assert all(listed[app_id] == number for app_id, number in acked.submissions.items() if app_id in owned)


def test_sigkill_mid_load_loses_nothing_acknowledged_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    acked = Acknowledged()
    randomness = random.Random()
    for cycle in range(2):
        _load_then_kill(data_dir, tmp_path, f"dev{cycle}", acked, seconds=randomness.uniform(0.2, 1.5))
        _check_files(data_dir)
        _check_records(data_dir)
    assert len(acked.accounts) >= 2 and len(acked.submissions) >= 4, "the load loop did too little to test anything"
    restarted = start_dev(data_dir, tmp_path, "dev-final")
    try:
        _check_acknowledged(data_dir, acked, restarted.url)
        _check_records(data_dir)
    finally:
        restarted.stop()
