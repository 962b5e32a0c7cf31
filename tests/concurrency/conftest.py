"""The local backend under real concurrency, over real HTTP (loopback only).

Two deployments of one data folder, each test running on both:

* `threads`: one uvicorn server in a thread of this process (the app `make dev` serves), with many client threads.
* `processes`: two `tools/dev.py` processes (what `make dev` runs) on one PORTAL_DATA_DIR, each client thread
  talking to both, so SQLite's file locking, not only the in-process lock, has to keep them in step.

Test mode is on (PORTAL_TEST_MODE=1): every captcha answer is 0000, and the per-address limits are raised x100,
since every client here is 127.0.0.1. SMS codes are read from the outbox (GET /api/dev/outbox), as a person
reads their phone.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from functions.services import Services, build_services
from functions.settings import Settings
from functions.storage.factory import TABLE_FILE
from tests.api.conftest import write_catalogue
from tests.conftest import FIXTURE_CONTENT, ROOT, TEMPLATES
from tests.factories import PDF, SUBITEM
from tests.live_server import serve_in_thread

PASSWORD = "Liaoning2026ok"
CAPTCHA = "0000"  # test mode
_serial = itertools.count(int(time.time()) % 100_000 * 1000)
_serial_lock = threading.Lock()


def serial() -> int:
    """A number no other call in this run returns: names, phones and ID numbers never collide across tests."""
    with _serial_lock:
        return next(_serial)


def check_character(first17: str) -> str:
    """GB 11643 (ISO 7064 MOD 11-2)."""
    total = sum(int(digit) * (2 ** (17 - index) % 11) for index, digit in enumerate(first17))
    return "10X98765432"[total % 11]


@dataclass(frozen=True)
class Person:
    """A made-up applicant: a unique phone and 身份证 number (valid check character)."""

    login_name: str
    phone: str
    id_number: str

    @classmethod
    def new(cls, login_name: str | None = None) -> Person:
        number = serial()
        first17 = f"2103021970{1 + number % 12:02d}{1 + number % 28:02d}{number % 1000:03d}"
        return cls(login_name or f"load_{number}", f"139{number % 10**8:08d}", first17 + check_character(first17))

    def registration(self, sms_code: str) -> dict:
        return {
            "account_type": "natural",
            "login_name": self.login_name,
            "password": PASSWORD,
            "real_name": "并发测试",
            "id_number": self.id_number,
            "email": "load@example.cn",
            "phone": self.phone,
            "agreement_accepted": True,
            "sms_code": sms_code,
        }


@dataclass
class Deployment:
    """Servers sharing one data folder; `client(i)` talks to server i mod n."""

    name: str
    urls: list[str]
    data_dir: Path
    catalog_path: Path
    services: Services | None = None
    """The in-process server's own Services (threads only); processes get `helper_services()` instead."""
    _helper: Services | None = field(default=None, repr=False)

    def client(self, index: int = 0, cookies: httpx.Cookies | None = None) -> httpx.Client:
        return httpx.Client(base_url=self.urls[index % len(self.urls)], timeout=60, cookies=cookies)

    def helper_services(self) -> Services:
        """Services on the same data folder, for what an operator does (portal-admin create-staff)."""
        if self.services is not None:
            return self.services
        if self._helper is None:
            self._helper = build_services(
                Settings(backend="local", test_mode=True, data_dir=self.data_dir, catalog_path=self.catalog_path)
            )
        return self._helper

    def rows(self, pk_prefix: str, sk: str | None = None) -> list[dict]:
        return read_rows(self.data_dir, pk_prefix, sk)


def read_rows(data_dir: Path, pk_prefix: str, sk: str | None = None) -> list[dict]:
    """Records whose pk starts with pk_prefix (and whose sk is sk, if given), straight from the SQLite file."""
    connection = sqlite3.connect(f"file:{data_dir / TABLE_FILE}?mode=ro", uri=True, timeout=30)
    sql, params = "SELECT data FROM items WHERE pk >= ? AND pk < ?", [pk_prefix, pk_prefix + "\U0010ffff"]
    if sk is not None:
        sql, params = sql + " AND sk = ?", [*params, sk]
    try:
        rows = connection.execute(sql, params).fetchall()
    finally:
        connection.close()
    return [json.loads(data) for (data,) in rows]


# ---- what a browser does, over HTTP ----


def captcha(client: httpx.Client) -> dict[str, str]:
    response = client.get("/api/captcha")
    assert response.status_code == 200, response.text
    return {"captcha_id": response.json()["captcha_id"], "captcha_answer": CAPTCHA}


def request_sms(client: httpx.Client, phone: str) -> None:
    response = client.post("/api/sms-codes", json={"phone": phone, "purpose": "register", **captcha(client)})
    assert response.status_code == 202, response.text


def sms_codes(client: httpx.Client) -> dict[str, str]:
    """phone -> the newest 6-digit code texted to it, from the outbox."""
    codes = {}
    for message in client.get("/api/dev/outbox").json():
        if found := re.search(r"验证码为 (\d{6})", message["text"]):
            codes[message["phone"]] = found.group(1)
    return codes


def login(client: httpx.Client, login_name: str, password: str = PASSWORD) -> httpx.Response:
    return client.post("/api/sessions", json={"login_name": login_name, "password": password, **captcha(client)})


def register_and_login(deployment: Deployment, people: list[Person], workers: int = 8) -> list[httpx.Cookies]:
    """Register each person (SMS code first) and sign them in; their session cookies, in order."""
    from concurrent.futures import ThreadPoolExecutor

    def send(index: int) -> None:
        with deployment.client(index) as client:
            request_sms(client, people[index].phone)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(send, range(len(people))))
    with deployment.client() as client:
        codes = sms_codes(client)

    def sign_up(index: int) -> httpx.Cookies:
        with deployment.client(index) as client:
            created = client.post("/api/accounts", json=people[index].registration(codes[people[index].phone]))
            assert created.status_code == 201, created.text
            signed_in = login(client, people[index].login_name)
            assert signed_in.status_code == 200, signed_in.text
            return httpx.Cookies(client.cookies)

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(sign_up, range(len(people))))


def complete_draft(client: httpx.Client) -> str:
    """A draft of the fixture's 养犬首次登记 with its required fields and material: ready to submit."""
    started = client.post("/api/applications", json={"region": "210300", "subitem_code": SUBITEM})
    assert started.status_code in (200, 201), started.text
    app_id = started.json()["id"]
    saved = client.put(
        f"/api/applications/{app_id}/form", json={"form_data": {"dog_name": "旺财", "breed": "中华田园犬"}}
    )
    assert saved.status_code == 200, saved.text
    upload_id = upload_material(client, app_id, "form")
    attached = client.put(f"/api/applications/{app_id}/materials/form", json={"upload_ids": [upload_id]})
    assert attached.status_code == 200, attached.text
    return app_id


def upload_material(client: httpx.Client, app_id: str, material_id: str) -> str:
    ticket = client.post(
        "/api/uploads",
        json={
            "purpose": "material",
            "filename": "登记表.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
            "application_id": app_id,
            "material_id": material_id,
        },
    )
    assert ticket.status_code == 201, ticket.text
    ticket = ticket.json()
    sent = client.post(ticket["url"], data=ticket["fields"], files={"file": ("登记表.pdf", PDF, "application/pdf")})
    assert sent.status_code in (200, 201, 204), sent.text
    completed = client.post(f"/api/uploads/{ticket['upload_id']}/complete")
    assert completed.status_code == 200, completed.text
    return ticket["upload_id"]


# ---- the servers ----


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dev_environment(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    return env | {
        "PORTAL_BACKEND": "local",
        "PORTAL_TEST_MODE": "1",
        "PORTAL_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
    }


@dataclass
class DevProcess:
    """`make dev` (tools/dev.py) in a subprocess: the fixture content, its own site and build cache."""

    process: subprocess.Popen
    url: str
    log: Path

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no flush, no cleanup runs - as a power cut does to the process."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def start_dev(data_dir: Path, work: Path, name: str) -> DevProcess:
    port = free_port()
    log = work / f"{name}.log"
    command = [
        sys.executable,
        str(ROOT / "tools" / "dev.py"),
        "--content",
        str(FIXTURE_CONTENT),
        "--templates",
        str(TEMPLATES),
        "--out",
        str(work / f"{name}-site"),
        "--cache",
        str(work / f"{name}-cache"),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    with log.open("ab") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dev_environment(data_dir),
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    dev = DevProcess(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tools/dev.py exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{dev.url}/api/health", timeout=2).status_code == 200:
                return dev
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    dev.kill()
    raise RuntimeError(f"tools/dev.py did not answer in 60 s:\n{log.read_text(errors='replace')}")


@pytest.fixture(scope="session")
def concurrency_catalog(tmp_path_factory) -> Path:
    """The fixture catalogue, as the build writes it: what the in-process server reads."""
    from sitegen.catalog_export import catalog_files
    from sitegen.loading import load_catalog

    return write_catalogue(tmp_path_factory.mktemp("concurrency-site"), catalog_files(load_catalog(FIXTURE_CONTENT)))


def _threaded(tmp_path_factory, catalog_path: Path) -> Iterator[Deployment]:
    from functions.dev_server import create_dev_app

    data_dir = tmp_path_factory.mktemp("threads-data")
    settings = Settings(backend="local", test_mode=True, data_dir=data_dir, catalog_path=catalog_path)
    app = create_dev_app(catalog_path.parent, build_services(settings))  # the very app `make dev` serves
    with serve_in_thread(app) as url:
        yield Deployment("threads", [url], data_dir, catalog_path, app.state.services)


def _processes(tmp_path_factory, catalog_path: Path) -> Iterator[Deployment]:
    work = tmp_path_factory.mktemp("processes")
    data_dir = work / "data"
    servers = [start_dev(data_dir, work, f"dev{index}") for index in range(2)]
    try:
        # The dev servers build the fixture content into their own sites; the helper reads the same catalogue.
        yield Deployment("processes", [server.url for server in servers], data_dir, work / "dev0-site" / "catalog.json")
    finally:
        for server in servers:
            server.stop()


@pytest.fixture(scope="session", params=["threads", "processes"])
def deployment(request, tmp_path_factory, concurrency_catalog) -> Iterator[Deployment]:
    starter = _threaded if request.param == "threads" else _processes
    yield from starter(tmp_path_factory, concurrency_catalog)
