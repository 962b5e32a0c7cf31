"""Load on the API and the site as `make dev` serves them: N virtual users browsing, signing in, applying (not run by the tests).

usage: .venv/bin/python bench/load.py [--users N] [--duration S] [--url http://127.0.0.1:8000] [--subitem CODE]

Without --url it starts `make dev`'s server itself (tools/dev.py, the sample content/ built into a temp site, a
temp PORTAL_DATA_DIR, PORTAL_TEST_MODE=1) on a free loopback port and stops it at the end. With --url it loads a
running one, which must be the local backend in test mode (`PORTAL_TEST_MODE=1 make dev`): the captcha answer is
0000 and SMS codes are read from /api/dev/outbox. Test mode also raises the per-address limits x100, which every
virtual user here needs, since all of them come from 127.0.0.1. Only loopback URLs are accepted.

Setup (not measured): each virtual user registers (SMS code, then the form). Then for --duration seconds (at most
60) each user repeats one visit: browse the home page and two guide pages, 登录 (captcha + password), start a draft,
save the form, upload each required material (ticket, the file, the check), attach it, submit, 退出. One
httpx.AsyncClient per user, all in one event loop. It prints, per operation, requests, requests/s, p50/p95/p99
latency and errors (any unexpected status or transport error); zero errors are expected.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
MAX_SECONDS = 60
PASSWORD = "Liaoning2026ok"
DEFAULT_SUBITEM = "210300-GG-0204-01"  # the sample's 就业登记: one required material, fields mostly prefilled
FILLERS = {
    "text": "测试",
    "textarea": "负载测试填写的内容",
    "date": "2026-01-05",
    "number": "1",
    "email": "load@example.cn",
}


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[str, str] = field(default_factory=dict)


class Expected(Exception):
    pass


async def timed(
    stats: Stats, op: str, request: Awaitable[httpx.Response], expect: tuple[int, ...] = (200,)
) -> httpx.Response:
    started = time.perf_counter()
    try:
        response = await request
    except httpx.HTTPError as error:
        stats.errors[op] += 1
        stats.examples.setdefault(op, repr(error))
        raise Expected(op) from error
    stats.latencies[op].append(time.perf_counter() - started)
    if response.status_code not in expect:
        stats.errors[op] += 1
        stats.examples.setdefault(op, f"{response.status_code} {response.text[:200]}")
        raise Expected(op)
    return response


# ---- what the site's pages need ----


@dataclass(frozen=True)
class Target:
    region: str
    subitem: dict[str, Any]
    guide_urls: list[str]


async def load_target(client: httpx.AsyncClient, code: str | None) -> Target:
    catalog = (await client.get("/catalog.json")).json()
    subitems, guide_urls = [], []
    for region in catalog["regions"]:
        for shard in region["subitem_shards"]:
            for subitem in (await client.get(f"/{shard}")).json()["subitems"].values():
                subitems.append((region["code"], subitem))
                guide_urls.append(subitem["guide_url"])
    wanted = [pair for pair in subitems if pair[1]["code"] == (code or DEFAULT_SUBITEM)]
    if not wanted and code is None:  # another catalogue: the first sub-item a natural person can apply for online
        wanted = [pair for pair in subitems if pair[1]["online"] and "natural" in pair[1]["audiences"]]
    if not wanted:
        raise SystemExit(f"no online sub-item {code or DEFAULT_SUBITEM} for natural persons in the catalogue")
    region, subitem = wanted[0]
    return Target(region, subitem, guide_urls)


def pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 40), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


FILES = {"pdf": ("材料.pdf", "application/pdf", pdf_bytes()), "png": ("材料.png", "image/png", png_bytes())}


# ---- the virtual users ----


def check_character(first17: str) -> str:
    total = sum(int(digit) * (2 ** (17 - index) % 11) for index, digit in enumerate(first17))
    return "10X98765432"[total % 11]


@dataclass
class User:
    index: int
    run: int

    @property
    def login_name(self) -> str:
        return f"load{self.run}_{self.index}"

    @property
    def phone(self) -> str:
        return f"137{(self.run * 1000 + self.index) % 10**8:08d}"

    @property
    def id_number(self) -> str:
        first17 = f"2103021980{1 + self.index % 12:02d}{1 + self.index % 28:02d}{self.index % 1000:03d}"
        return first17 + check_character(first17)


async def captcha(client: httpx.AsyncClient, stats: Stats) -> dict[str, str]:
    response = await timed(stats, "captcha", client.get("/api/captcha"))
    return {"captcha_id": response.json()["captcha_id"], "captcha_answer": "0000"}


async def register(client: httpx.AsyncClient, user: User, stats: Stats) -> None:
    await timed(
        stats,
        "setup: sms code",
        client.post(
            "/api/sms-codes", json={"phone": user.phone, "purpose": "register", **await captcha(client, stats)}
        ),
        (202,),
    )
    outbox = (await client.get("/api/dev/outbox")).json()
    codes = [re.search(r"验证码为 (\d{6})", m["text"]) for m in outbox if m["phone"] == user.phone]
    code = [found.group(1) for found in codes if found][-1]
    await timed(
        stats,
        "setup: register",
        client.post(
            "/api/accounts",
            json={
                "account_type": "natural",
                "login_name": user.login_name,
                "password": PASSWORD,
                "real_name": "负载测试",
                "id_number": user.id_number,
                "email": "load@example.cn",
                "phone": user.phone,
                "agreement_accepted": True,
                "sms_code": code,
            },
        ),
        (201,),
    )


async def upload(client: httpx.AsyncClient, stats: Stats, app_id: str, material: dict[str, Any]) -> str:
    filename, content_type, data = FILES["pdf" if "pdf" in material["formats"] else "png"]
    ticket = (
        await timed(
            stats,
            "upload: ticket",
            client.post(
                "/api/uploads",
                json={
                    "purpose": "material",
                    "filename": filename,
                    "content_type": content_type,
                    "size": len(data),
                    "application_id": app_id,
                    "material_id": material["id"],
                },
            ),
            (201,),
        )
    ).json()
    await timed(
        stats,
        "upload: file",
        client.post(ticket["url"], data=ticket["fields"], files={"file": (filename, data, content_type)}),
        (200, 201, 204),
    )
    await timed(stats, "upload: check", client.post(f"/api/uploads/{ticket['upload_id']}/complete"))
    return str(ticket["upload_id"])


async def visit(client: httpx.AsyncClient, user: User, target: Target, stats: Stats) -> None:
    """One visit: browse, sign in, apply from draft to submission, sign out."""
    for path in ["/", *target.guide_urls[user.index % len(target.guide_urls) :][:2]]:
        await timed(stats, "browse (static page)", client.get(path))
    await timed(
        stats,
        "login",
        client.post(
            "/api/sessions", json={"login_name": user.login_name, "password": PASSWORD, **await captcha(client, stats)}
        ),
    )
    draft = (
        await timed(
            stats,
            "draft: start",
            client.post("/api/applications", json={"region": target.region, "subitem_code": target.subitem["code"]}),
            (201, 200),
        )
    ).json()
    form = dict(draft.get("form_data") or {})  # the prefilled values, masked as the page shows them
    for item in target.subitem["fields"]:
        if item["required"] and not form.get(item["name"]):
            form[item["name"]] = item["options"][0] if item["options"] else FILLERS.get(item["type"], "测试")
    await timed(
        stats, "draft: save form", client.put(f"/api/applications/{draft['id']}/form", json={"form_data": form})
    )
    for material in target.subitem["materials"]:
        if material["required"]:
            upload_id = await upload(client, stats, draft["id"], material)
            await timed(
                stats,
                "draft: attach file",
                client.put(
                    f"/api/applications/{draft['id']}/materials/{material['id']}", json={"upload_ids": [upload_id]}
                ),
            )
    await timed(
        stats,
        "submit",
        client.post(f"/api/applications/{draft['id']}/submit", headers={"Idempotency-Key": draft["id"]}),
    )
    await timed(stats, "logout", client.delete("/api/sessions/current"), (204,))


async def virtual_user(url: str, user: User, target: Target, stats: Stats, ends_at: float) -> int:
    visits = 0
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        while time.perf_counter() < ends_at:
            try:
                await visit(client, user, target, stats)
                visits += 1
            except Expected:
                client.cookies.clear()
    return visits


async def run(url: str, users: int, duration: float, subitem: str | None) -> tuple[Stats, float, int]:
    stats = Stats()
    run_id = int(time.time()) % 100_000
    async with httpx.AsyncClient(base_url=url, timeout=30) as client:
        target = await load_target(client, subitem)
        people = [User(index, run_id) for index in range(users)]
        await asyncio.gather(*(register(client, person, stats) for person in people))
    started = time.perf_counter()
    visits = await asyncio.gather(*(virtual_user(url, person, target, stats, started + duration) for person in people))
    return stats, time.perf_counter() - started, sum(visits)


# ---- the server ----


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_dev(work: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("PORTAL_")}
    env |= {"PORTAL_BACKEND": "local", "PORTAL_TEST_MODE": "1", "PORTAL_DATA_DIR": str(work / "data")}
    log = (work / "dev.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tools" / "dev.py"),
            "--out",
            str(work / "site"),
            "--cache",
            str(work / "cache"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"tools/dev.py did not start:\n{(work / 'dev.log').read_text(errors='replace')}")


def report(stats: Stats, seconds: float, visits: int, users: int) -> int:
    print(f"{users} virtual users, {seconds:.1f} s, {visits} visits ({visits / seconds:.1f}/s)")
    print(f"{'operation':<24}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'errors':>7}")
    total = errors = 0
    for op in sorted(set(stats.latencies) | set(stats.errors), key=lambda name: (name.startswith("setup"), name)):
        values = sorted(stats.latencies.get(op, []))
        cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99 or [0] * 99
        rate = "" if op.startswith("setup") else f"{len(values) / seconds:.1f}"
        print(
            f"{op:<24}{len(values):>9}{rate:>8}{cuts[49] * 1000:>8.1f}{cuts[94] * 1000:>8.1f}{cuts[98] * 1000:>8.1f}"
            f"{stats.errors.get(op, 0):>7}"
        )
        if not op.startswith("setup"):
            total += len(values)
        errors += stats.errors.get(op, 0)
    print(f"{'all (measured)':<24}{total:>9}{total / seconds:>8.1f}{'':>24}{errors:>7}")
    for op, example in stats.examples.items():
        print(f"  first error of {op}: {example}")
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent virtual users (default 20)")
    parser.add_argument(
        "--duration", type=float, default=30, help=f"measured seconds (default 30, at most {MAX_SECONDS})"
    )
    parser.add_argument("--url", help="a running `PORTAL_TEST_MODE=1 make dev` (loopback only); default: start one")
    parser.add_argument("--subitem", help=f"the sub-item to apply for (default {DEFAULT_SUBITEM})")
    args = parser.parse_args(argv)
    duration = min(args.duration, MAX_SECONDS)
    if args.url and urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("only a loopback URL (127.0.0.1, localhost, ::1): this is a load test")
    with tempfile.TemporaryDirectory(prefix="portal-load-") as work:
        process, url = (None, args.url.rstrip("/")) if args.url else start_dev(Path(work))
        try:
            stats, seconds, visits = asyncio.run(run(url, args.users, duration, args.subitem))
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=15)
    return report(stats, seconds, visits, args.users)


if __name__ == "__main__":
    sys.exit(main())
