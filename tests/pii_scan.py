"""A pytest plugin: no response and no log line of the whole suite carries a full ID number or phone.

DESIGN.md, "Security rules": ID numbers and phones are masked in responses and never written to logs.
This plugin checks that rule across every test, not only in the few tests written for it:

* Responses. `Starlette.__call__` (which FastAPI's own `__call__` ends in) is wrapped once for the session,
  so every response any Starlette/FastAPI app gives is seen, whoever calls it: `TestClient`, the uvicorn
  servers the browser and live-reload tests run in a thread of this process, Mangum in the Lambda tests.
  The response headers and every body chunk are scanned (a small overlap between chunks,
  so a number split over two chunks is still found, and endless event streams are scanned as they go).
  Request bodies are never scanned - the tests send full numbers on purpose - but they are read for the
  numbers a test makes up itself (any JSON/form/query value under a key naming a phone or ID number), which
  then join the known values.
* Logs. One handler at DEBUG level sits on the root logger and on every logger that does not propagate
  (uvicorn's), re-attached as each test starts and as its call starts, since uvicorn's dictConfig (run when a
  fixture starts a server) replaces the handlers of its loggers. The
  `functions` logger is set to DEBUG for the session, so every record of the app, at any level, is made
  and checked; other libraries log at the levels they would without the plugin.
  It scans the formatted message (msg % args), the traceback and stack text and any `extra=` attributes
  of every record.
* Known values: the test accounts of tests/factories.py, every phone- or ID-shaped literal in tests/**/*.py
  (an 18-character ID only if its digits 7-14 are a date, so credit codes are not taken for IDs; a
  17-digit literal also with its GB 11643 check character, as tests/browser/steps.py completes them), their
  typed forms (lower-case x, 138 0013 8000, 138-0013-8000) and their base64 forms at each of the three
  alignments (a number inside a base64 token or cookie is not masked either). They are matched by one
  regular expression compiled as a trie; a masked form (2103**********1234, 139****5678) never matches.
* Failing. A `pytest_runtest_makereport` wrapper turns the report of the phase (setup, call or teardown)
  during which a leak happened into a failure naming where it appeared (method and URL, header or JSON field;
  or the logger and level), which known value (masked here too) and a masked excerpt. Captured output
  sections of such a report are masked as well, so the failure report does not print the numbers either.

ENFORCE switches the failing off (leaks are then only listed in the terminal summary); it is on.
"""

from __future__ import annotations

import base64
import datetime
import json
import logging
import re
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

# The one switch: True fails the test during which a full ID number or phone reached a response or a log
# line; False only lists the leaks at the end of the run. Keep it True.
ENFORCE = True

# The loggers set to DEBUG for the session, so that no record of the app, at any level, is dropped before it
# could be checked. The root logger keeps its level: lowering it would make every library log (botocore at
# DEBUG logs each request) into every test's captured log, and changes what tests that read caplog see
# (tests/deploy/test_deploy_site.py reads the first "site: " line of the whole test). A run with the root
# logger at DEBUG found nothing more (functions/app.py redacts every record at creation, botocore's too).
DEBUG_LOGGERS = ("functions",)

TESTS = Path(__file__).resolve().parent

# Responses allowed to carry full numbers, by path prefix - each for a reason that is part of the design:
EXCLUDED_PATHS = (
    # GET /api/dev/outbox (local backend only, never mounted on aws): DESIGN.md says it returns the SMS
    # messages sent, `{"phone", "text", "sent_at"}` - it stands in for the phone itself, so the tests can
    # read the code a person would read off their screen. Masking it would defeat its purpose.
    "/api/dev/",
)
# JSON fields of a response allowed to carry one full number, by method and path: only these fields, so the
# rest of such a response (and its headers) is still scanned.
EXCLUDED_FIELDS = (
    # POST /api/review/applications/{id}/reveal (functions/routes/review.py, README "Personal numbers
    # sealed"): 查看完整号码 - staff of the department open one sealed number of a form on the record, each
    # opening written to the department's audit log. Its `value` is the full number by design.
    ("POST", re.compile(r"/api/review/applications/[^/]+/reveal"), frozenset({"value"})),
)
# Deliberately not excluded: /api/local-files/ (the local stand-in for S3 GET) returns an uploaded file
# byte for byte; the suite's files (generated PNGs and PDFs) hold no number, so there is nothing to exempt.
# The moto server's responses (tests/*/test_moto_server.py) are storage traffic, not API responses; moto's
# werkzeug server is not a Starlette app and is not seen here.

# Keys whose values, in a request a test sends, are a phone or an ID number the test may have made up.
_PERSONAL_KEY = re.compile(r"phone|mobile|id_number|(?:^|_)id_no(?:$|_)|idcard|id_card|身份证|手机", re.IGNORECASE)
# ID numbers and mobiles as the code base writes them (cf. functions/domain/masking.py), to take values
# from tests' sources and requests; the response scan itself only looks for the values collected.
_ID_SHAPE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_ID17_SHAPE = re.compile(r"""(?<=["'(])[0-9]{17}(?=["')])""")
_PHONE_SHAPE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")
_OVERLAP = 64  # characters of the previous body chunk scanned again with the next one
_MAX_REQUEST_BODY = 1 << 20  # request bodies larger than this (uploads) are not read for values


# ---------------------------------------------------------------------------------------------------------
# The values and the scanner


def mask(value: str) -> str:
    """The value as a failure message may show it: 138****8000, 1101**********002X (as the API masks)."""
    if len(value) == 11 and value.isdigit():
        return value[:3] + "****" + value[-4:]
    keep = 4 if len(value) >= 12 else len(value) // 4
    return value[:keep] + "*" * (len(value) - 2 * keep) + (value[-keep:] if keep else "")


def _plausible_id(value: str) -> bool:
    """An 18-character ID number (居民身份证 or the 2023 永居证) has a birth date at digits 7-14; a credit
    code of 18 digits does not, so it is not taken for a person's number."""
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return 1800 <= born.year <= 2100


def _check_character(first17: str) -> str:
    """GB 11643 / ISO 7064 MOD 11-2, as stdnum.cn.ric computes it."""
    total = sum(int(digit) * (2 ** (17 - index) % 11) for index, digit in enumerate(first17))
    return "10X98765432"[total % 11]


def _canonical(kind: str, raw: str) -> str | None:
    """A phone as its 11 digits, an ID number upper-cased; None if raw is neither."""
    text = raw.strip()
    if kind == "phone":
        digits = re.sub(r"[ \-]", "", text)
        digits = re.sub(r"^(?:\+|00)?86", "", digits) if len(digits) > 11 else digits
        return digits if re.fullmatch(r"1[3-9][0-9]{9}", digits) else None
    text = text.upper()
    if re.fullmatch(r"[0-9]{17}[0-9X]", text):
        return text if _plausible_id(text) else None
    # other documents (a legal representative's passport E12345678 ...) are masked alike (mask_document)
    return text if re.fullmatch(r"[A-Z0-9]{8,20}", text) and re.search(r"[0-9]{6}", text) else None


def values_in_sources(root: Path = TESTS) -> dict[str, str]:
    """value -> kind ("phone" or "id") of every phone- or ID-shaped literal in the tests' Python files."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in _PHONE_SHAPE.finditer(text):
            found[match[0]] = "phone"
        for match in _ID_SHAPE.finditer(text):
            value = match[0].upper()
            if _plausible_id(value):
                found[value] = "id"
        for match in _ID17_SHAPE.finditer(text):  # resident_id("21030419880808002") completes them
            value = match[0] + _check_character(match[0])
            if _plausible_id(value):
                found[value] = "id"
    return found


def values_of_factories() -> dict[str, str]:
    """The test accounts of tests/factories.py: its constants and the registration bodies it builds."""
    from tests import factories

    found: dict[str, str] = {factories.NATURAL_ID: "id"}
    for body in (factories.natural_registration(), factories.legal_registration("upload")):
        for kind, value in personal_values(body):
            found[value] = kind
    return found


def personal_values(data: object, key: str = "") -> list[tuple[str, str]]:
    """(kind, canonical value) of every string under a key that names a phone or an ID number."""
    if isinstance(data, dict):
        return [pair for name, value in data.items() for pair in personal_values(value, str(name))]
    if isinstance(data, list):
        return [pair for value in data for pair in personal_values(value, key)]
    if not isinstance(data, str) or not _PERSONAL_KEY.search(key):
        return []
    kind = "phone" if re.search(r"phone|mobile|手机", key, re.IGNORECASE) else "id"
    value = _canonical(kind, data)
    return [(kind, value)] if value else []


def _base64_cores(value: str) -> list[str]:
    """The base64 text that value gives inside any longer base64 text, at each of the three alignments:
    only the 4-character groups made of the value's bytes alone."""
    raw = value.encode()
    cores = []
    for lead in range(3):
        skip = (3 - lead) % 3  # bytes of the value that share a group with what precedes it
        whole = (len(raw) - skip) // 3 * 3
        if whole >= 9:  # at least 12 characters, or the match would mean nothing
            core = base64.b64encode(raw[skip : skip + whole]).decode()
            cores += [core, core.replace("+", "-").replace("/", "_")]
    return cores


def _trie_pattern(words: set[str]) -> str:
    """One alternation of literal words as a trie, so the regex engine branches once per character."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")

    return pattern(trie)


class Scanner:
    """Finds the known values, in any of their forms, in text; values can be added while running."""

    def __init__(self, values: dict[str, str]):
        self._lock = threading.Lock()
        self.values: dict[str, str] = {}  # canonical value -> kind
        self._forms: dict[str, str] = {}  # each written form -> canonical value
        self._regex: re.Pattern[str] | None = None
        self.add(values)

    def add(self, values: dict[str, str]) -> None:
        new = {value: kind for value, kind in values.items() if value not in self.values}
        if not new:
            return
        with self._lock:
            forms = dict(self._forms)
            for value, kind in new.items():
                written = {value, value.lower()}
                if kind == "phone":
                    written |= {f"{value[:3]}{sep}{value[3:7]}{sep}{value[7:]}" for sep in " -"}
                for form in [*written, *_base64_cores(value)]:
                    forms[form] = value
            self._forms = forms
            self.values = {**self.values, **new}
            self._regex = re.compile(_trie_pattern(set(forms)))

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(canonical value, start, end) of each occurrence of a known value in text."""
        regex, forms = self._regex, self._forms
        if regex is None:
            return []
        return [(forms[match[0]], match.start(), match.end()) for match in regex.finditer(text)]

    def mask_all(self, text: str) -> str:
        """text with every known value it contains masked."""
        found = self.find(text)
        for value, start, end in reversed(found):
            text = text[:start] + mask(value) + text[end:]
        return text

    def excerpt(self, text: str, start: int, end: int, width: int = 40) -> str:
        left = max(0, start - width)
        return self.mask_all(text[left : end + width].replace("\n", "\\n").replace("\r", ""))


# ---------------------------------------------------------------------------------------------------------
# Findings, attributed to the test phase that is running when they happen


@dataclass
class Leak:
    where: str  # "GET /api/me response body" / "log functions.errors ERROR"
    kind: str  # "phone" / "id"
    value: str  # the full value: never printed, only its mask
    detail: str  # JSON field or header name, or a masked excerpt

    def describe(self) -> str:
        noun = "phone" if self.kind == "phone" else "ID number"
        return f"full {noun} {mask(self.value)} in {self.where}: {self.detail}"


@dataclass
class _State:
    scanner: Scanner | None = None
    leaks: list[Leak] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    reported: list[tuple[str, Leak]] = field(default_factory=list)  # (test id, leak) of the whole run


STATE = _State()


def record(leak: Leak) -> None:
    with STATE.lock:
        STATE.leaks.append(leak)


def drain() -> list[Leak]:
    """The leaks found since the last call, oldest first, each (where, value, detail) once."""
    with STATE.lock:
        leaks, STATE.leaks = STATE.leaks, []
    unique: dict[tuple[str, str, str], Leak] = {}
    for leak in leaks:
        unique.setdefault((leak.where, leak.value, leak.detail), leak)
    return list(unique.values())


def _json_fields(data: object, value: str, path: str = "") -> list[str]:
    """The JSON paths (form_data.owner_phone, items[0].phone) whose text holds value."""
    if isinstance(data, dict):
        return [
            hit
            for key, item in data.items()
            for hit in _json_fields(item, value, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(data, list):
        return [hit for index, item in enumerate(data) for hit in _json_fields(item, value, f"{path}[{index}]")]
    if isinstance(data, str) and (value in data or value.lower() in data):
        return [path or "(the whole body)"]
    return []


def scan_text(scanner: Scanner, text: str, where: str) -> list[Leak]:
    """Record (and return) a Leak for each known value in text."""
    leaks = [
        Leak(where, scanner.values[value], value, scanner.excerpt(text, start, end))
        for value, start, end in scanner.find(text)
    ]
    for leak in leaks:
        record(leak)
    return leaks


# ---------------------------------------------------------------------------------------------------------
# Responses: every ASGI response of a Starlette (FastAPI) app


def _request_values(scope: dict, body: bytes, content_type: str) -> dict[str, str]:
    """Phones and ID numbers a request carries under keys that name them (query string and body)."""
    values = dict(
        (value, kind)
        for kind, value in personal_values(dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))))
    )
    if body:
        data: object = None
        try:
            if "json" in content_type:
                data = json.loads(body)
            elif "x-www-form-urlencoded" in content_type:
                data = dict(parse_qsl(body.decode("utf-8", "replace")))
        except ValueError:
            data = None
        values.update((value, kind) for kind, value in personal_values(data))
    return values


def _wrap_asgi(call):
    async def scanned_call(self, scope, receive, send):
        scanner = STATE.scanner
        if scanner is None or scope.get("type") != "http" or "pii_scan" in scope:
            return await call(self, scope, receive, send)
        scope["pii_scan"] = True  # an app mounted in this one shares the scope: its response is seen once
        path = scope.get("path", "")
        if path.startswith(EXCLUDED_PATHS):
            return await call(self, scope, receive, send)
        method = scope.get("method", "GET")
        allowed_fields = next(
            (
                fields
                for allowed_method, pattern, fields in EXCLUDED_FIELDS
                if method == allowed_method and pattern.fullmatch(path)
            ),
            frozenset(),
        )
        query = scope.get("query_string", b"").decode("latin-1")
        where = scanner.mask_all(f"{method} {path}" + (f"?{query}" if query else ""))  # the URL, masked too
        content_type = next(
            (value.decode("latin-1") for key, value in scope.get("headers", []) if key.lower() == b"content-type"), ""
        )
        reads_body = "json" in content_type or "x-www-form-urlencoded" in content_type
        request_chunks: list[bytes] = []
        if query:
            scanner.add(_request_values(scope, b"", ""))

        async def reading_receive():
            message = await receive()
            if reads_body and message.get("type") == "http.request":
                request_chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body = b"".join(request_chunks)
                    request_chunks.clear()
                    if len(body) <= _MAX_REQUEST_BODY:
                        scanner.add(_request_values(scope, body, content_type))
            return message

        response = {"tail": "", "decoder": None, "json": False, "body": [], "hits": [], "allowed": allowed_fields}

        async def scanning_send(message):
            kind = message.get("type")
            if kind == "http.response.start":
                for key, value in message.get("headers", []):
                    name, text = key.decode("latin-1").lower(), value.decode("latin-1")
                    for found, start, end in scanner.find(text):
                        record(
                            Leak(
                                f"{where} response",
                                scanner.values[found],
                                found,
                                f"header {name}: {scanner.excerpt(text, start, end)}",
                            )
                        )
                    if name == "content-encoding" and text in ("gzip", "deflate"):
                        response["decoder"] = zlib.decompressobj(zlib.MAX_WBITS | 32)
                    elif name == "content-type":
                        response["json"] = "json" in text
            elif kind == "http.response.body":
                chunk = message.get("body", b"")
                if response["decoder"] is not None and chunk:
                    chunk = response["decoder"].decompress(chunk)
                more = message.get("more_body", False)
                if response["json"]:
                    response["body"].append(chunk)  # to name the JSON field of a hit at the end
                window = response["tail"] + chunk.decode("latin-1")  # digits and X: the same in any encoding
                offset = len(response["tail"])
                for found, start, end in scanner.find(window):
                    if end > offset:  # one wholly in the previous chunk's tail was recorded with it
                        response["hits"].append((found, scanner.excerpt(window, start, end)))
                response["tail"] = window[-_OVERLAP:]
                if response["hits"] and (not more or not response["json"]):
                    _record_body_hits(scanner, f"{where} response body", response)
            await send(message)

        return await call(self, scope, reading_receive, scanning_send)

    scanned_call.pii_scan_original = call  # type: ignore[attr-defined]
    return scanned_call


def _record_body_hits(scanner: Scanner, where: str, response: dict) -> None:
    data = None
    if response["json"]:
        try:
            data = json.loads(b"".join(response["body"]))
        except ValueError:
            data = None
    for found, excerpt in response["hits"]:
        fields = _json_fields(data, found) if data is not None else []
        shown = [name for name in fields if name not in response["allowed"]]
        if fields and not shown:
            continue  # only in a field that shows the full number by design (EXCLUDED_FIELDS)
        fields = shown
        detail = f"field {', '.join(fields)}" if fields else excerpt
        record(Leak(where, scanner.values[found], found, detail))
    response["hits"] = []


# ---------------------------------------------------------------------------------------------------------
# Logs


_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}


class ScanningHandler(logging.Handler):
    """Scans each record as a formatter would write it: message with its arguments, traceback, stack."""

    def emit(self, record: logging.LogRecord) -> None:
        scanner = STATE.scanner
        if scanner is None:
            return
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its message is written as msg + args
            message = f"{record.msg} {record.args}"
        parts = [message]
        if record.exc_text:
            parts.append(record.exc_text)
        elif record.exc_info:
            parts.append(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            parts.append(record.stack_info)
        # `extra=` attributes: a structured (JSON) formatter, as on Lambda, writes them too
        parts += [f"{key}={value}" for key, value in record.__dict__.items() if key not in _RECORD_ATTRIBUTES]
        scan_text(scanner, "\n".join(parts), f"log {record.name} {record.levelname}")

    def handleError(self, record: logging.LogRecord) -> None:  # a scanner bug must not hide as a log error
        raise


HANDLER = ScanningHandler(logging.DEBUG)


def attach_handler() -> None:
    """On the root logger, and on every logger whose records do not reach it (uvicorn's)."""
    root = logging.getLogger()
    if HANDLER not in root.handlers:
        root.addHandler(HANDLER)
    for logger in list(logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger) and not logger.propagate and HANDLER not in logger.handlers:
            logger.addHandler(HANDLER)


# ---------------------------------------------------------------------------------------------------------
# pytest hooks

_original_levels: dict[str, int] = {}


def start(values: dict[str, str] | None = None) -> None:
    """Patch Starlette, attach the log handler, load the known values (once per process)."""
    from starlette.applications import Starlette

    if STATE.scanner is None:
        STATE.scanner = Scanner(values if values is not None else {**values_in_sources(), **values_of_factories()})
    if not hasattr(Starlette.__call__, "pii_scan_original"):
        Starlette.__call__ = _wrap_asgi(Starlette.__call__)
    for name in DEBUG_LOGGERS:
        logger = logging.getLogger(name)
        _original_levels.setdefault(name, logger.level)
        logger.setLevel(logging.DEBUG)
    attach_handler()


def pytest_configure(config: pytest.Config) -> None:
    start()


def pytest_unconfigure(config: pytest.Config) -> None:
    from starlette.applications import Starlette

    original = getattr(Starlette.__call__, "pii_scan_original", None)
    if original is not None:
        Starlette.__call__ = original
    for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
        if isinstance(logger, logging.Logger) and HANDLER in logger.handlers:
            logger.removeHandler(HANDLER)
    for name, level in _original_levels.items():
        logging.getLogger(name).setLevel(level)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logstart(nodeid: str, location) -> None:
    attach_handler()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    attach_handler()  # again: a fixture may have started a uvicorn server, which reconfigured its loggers


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    leaks = drain()
    if not leaks:
        return report
    STATE.reported += [(report.nodeid, leak) for leak in leaks]
    if not ENFORCE:
        return report
    scanner = STATE.scanner
    text = "\n".join(
        [
            f"{len(leaks)} full ID number(s)/phone(s) left the API or reached a log "
            f"(DESIGN.md, Security rules; tests/pii_scan.py):",
            *(f"  - {leak.describe()}" for leak in leaks),
        ]
    )
    if report.passed or report.skipped:
        report.outcome = "failed"
        report.longrepr = text
    else:
        report.sections.append(("PII leaks", text))
    # the report's captured output must not print the numbers either
    report.sections = [(title, scanner.mask_all(content)) for title, content in report.sections]
    return report


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    leftover = drain()  # after the last test's teardown: a server thread still answering
    STATE.reported += [("(after the last test)", leak) for leak in leftover]
    if not STATE.reported:
        return
    terminalreporter.section("full ID numbers and phones in responses and logs (tests/pii_scan.py)")
    for nodeid, leak in STATE.reported:
        terminalreporter.line(f"{nodeid}: {leak.describe()}")
    if leftover and ENFORCE:
        terminalreporter.session.exitstatus = pytest.ExitCode.TESTS_FAILED
