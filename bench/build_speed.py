"""Time full and incremental builds of synthetic content at several sizes, and Hugo on the same guides.

usage: .venv/bin/python bench/build_speed.py [--subitems 1000,10000] [--search | --no-search]
                                             [--hugo | --no-hugo] [--work DIR] [--seed S] [--repo DIR]

For each size N the content comes from bench/make_content.py (kept under --work and reused while the
generator is unchanged), then build.py runs as a subprocess, as `make build` would, in four scenarios:
  full       empty out dir and fresh cache
  no-change  the same build again
  one-guide  the Markdown body of one sub-item edited
  template   a Jinja comment appended to guide.html (in a private copy of templates/, passed with --templates)
Each prints wall time, pages/s (full: every page written; template: guide pages), the peak RSS of the whole
process tree (VmRSS of the build and all its descendants, pagefind included, summed every 20 ms; pages shared
between processes count once per process) and the largest single process (wait4's ru_maxrss). `--cache DIR`
and `--stats FILE` are passed only when `build.py --help` offers them; the phases of --stats are printed.
With --hugo and `hugo` on PATH, the same guides as a Hugo site (a minimal layout: title, materials, steps,
body, a list page per region) are built with `hugo --quiet -d OUT` and a fresh cache, for the ratio ours/Hugo.
--repo times another checkout's build.py and templates/ (e.g. `git worktree` of main, to compare), with this
checkout's .venv and generator. Nothing here is run by the test suite; the content edits are undone on the way out.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MAKE_CONTENT = Path(__file__).resolve().parent / "make_content.py"
MARKER = ".synthetic-content.json"  # written by make_content.py into every folder it makes
SAMPLE_SECONDS = 0.02
GUIDE_EDIT = "\n本段由 bench/build_speed.py 追加，用于测试只改动一份指南时的重建。\n"
TEMPLATE_EDIT = "\n{# bench/build_speed.py: one template changed #}\n"


@dataclass
class Run:
    """One timed subprocess."""

    wall_s: float
    peak_tree_kb: int
    """Largest sum of VmRSS over the process and its descendants seen by the sampler."""
    max_single_kb: int
    """ru_maxrss from wait4: the largest single process of the tree (the build or a child it waited for)."""
    returncode: int
    stdout: str
    stderr: str
    peak_pss_kb: int = 0
    """Largest sum of PSS over the tree: the memory the machine really gave it (shared pages counted once)."""


@dataclass
class Row:
    subitems: int
    scenario: str
    run: Run
    pages_per_s: float | None = None
    stats: dict[str, Any] = field(default_factory=dict)


# --- measuring a process tree ----------------------------------------------------------------------------------


def _parents() -> dict[int, list[int]]:
    """Children by parent pid, from every /proc/<pid>/stat (/proc/<pid>/task/*/children needs
    CONFIG_PROC_CHILDREN, which many kernels lack)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as handle:
                # The command name may hold spaces and parentheses; the fields after the last ')' do not.
                ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree(pid: int) -> list[int]:
    children = _parents()
    pids, index = [pid], 0
    while index < len(pids):
        pids += children.get(pids[index], [])
        index += 1
    return pids


def _field_kb(path: str, name: str) -> int:
    try:
        with open(path) as handle:
            for line in handle:
                if line.startswith(name):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0  # gone, or a zombie (no such line)


def _rss_kb(pid: int) -> int:
    return _field_kb(f"/proc/{pid}/status", "VmRSS:")


def _pss_kb(pid: int) -> int:
    """Proportional set size: a page shared by n processes (a forked worker's copy of the catalogue) counts 1/n."""
    return _field_kb(f"/proc/{pid}/smaps_rollup", "Pss:")


class TreeSampler(threading.Thread):
    """Polls the RSS of a process tree until stopped; keeps the largest total seen."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.peak_pss_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while True:
            pids = _tree(self.pid)
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in pids))
            self.peak_pss_kb = max(self.peak_pss_kb, sum(_pss_kb(pid) for pid in pids))
            if self.done.wait(SAMPLE_SECONDS):
                return


def timed(command: list[str], cwd: Path = ROOT) -> Run:
    """Run command with its output in files (no pipe to drain), sampling its tree's memory meanwhile."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        sampler = TreeSampler(process.pid)
        sampler.start()
        # wait4 rather than Popen.wait: it also gives the child's resource usage, ru_maxrss included.
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            wall, sampler.peak_kb, usage.ru_maxrss, process.returncode, out.read(), err.read(), sampler.peak_pss_kb
        )


# --- inputs ----------------------------------------------------------------------------------------------------


def _python() -> str:
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def build_options(repo: Path) -> set[str]:
    """The optional flags this build.py offers (--cache, --stats are being added; older ones lack them)."""
    command = [_python(), str(repo / "build.py"), "--help"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=repo)
    if result.returncode != 0:
        sys.exit(f"build.py --help failed:\n{result.stderr.strip()}")
    return {flag for flag in ("--cache", "--stats", "--templates", "--no-search") if flag in result.stdout}


def _generator_stamp(subitems: int, seed: int) -> str:
    digest = hashlib.sha256(MAKE_CONTENT.read_bytes()).hexdigest()[:16]
    return json.dumps({"subitems": subitems, "seed": seed, "generator": digest})


def ensure_content(work: Path, subitems: int, seed: int, hugo: bool) -> tuple[Path, Path | None]:
    """The generated content (and Hugo site) for N, regenerated only when N, seed or the generator changed."""
    content = work / f"content-{subitems}-s{seed}"
    hugo_site = work / f"hugo-{subitems}-s{seed}" if hugo else None
    stamp_file = work / f"content-{subitems}-s{seed}.stamp"
    stamp = _generator_stamp(subitems, seed)
    fresh = stamp_file.is_file() and stamp_file.read_text() == stamp
    if fresh and (content / MARKER).is_file() and (hugo_site is None or (hugo_site / MARKER).is_file()):
        print(f"  content: reusing {content}")
        return content, hugo_site
    stamp_file.unlink(missing_ok=True)
    # A Hugo site from an older generation would no longer match the content.
    shutil.rmtree(work / f"hugo-{subitems}-s{seed}", ignore_errors=True)
    command = [
        _python(),
        str(MAKE_CONTENT),
        "--subitems",
        str(subitems),
        "--out",
        str(content),
        "--seed",
        str(seed),
        "--force",
    ]
    if hugo_site is not None:
        command += ["--hugo-out", str(hugo_site)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(f"make_content.py failed:\n{result.stderr.strip()}")
    print(f"  content: {result.stdout.strip()}")
    stamp_file.write_text(stamp)
    return content, hugo_site


def _edited_guide(content: Path) -> Path:
    """The first sub-item file of the first region, in a stable order."""
    region = sorted((content / "regions").iterdir())[0]
    item = sorted((region / "items").iterdir())[0]
    return sorted(item.glob("*.md"))[0]


def _count_html(root: Path) -> int:
    return sum(name.endswith(".html") for _, _, names in os.walk(root) for name in names)


# --- the scenarios ---------------------------------------------------------------------------------------------


@dataclass
class Setup:
    repo: Path
    content: Path
    templates: Path
    out: Path
    cache: Path
    stats: Path
    options: set[str]
    search: bool

    def command(self) -> list[str]:
        command = [
            _python(),
            str(self.repo / "build.py"),
            "--content",
            str(self.content),
            "--out",
            str(self.out),
            "--templates",
            str(self.templates),
        ]
        if "--cache" in self.options:
            command += ["--cache", str(self.cache)]
        if "--stats" in self.options:
            command += ["--stats", str(self.stats)]
        if not self.search:
            command.append("--no-search")
        return command


def _build(setup: Setup, subitems: int, scenario: str, pages: int | None = None) -> Row:
    """One build; pages, when given, is what the scenario renders (None: count the HTML under out/)."""
    setup.stats.unlink(missing_ok=True)
    run = timed(setup.command(), cwd=setup.repo)
    if run.returncode != 0:
        tail = "\n".join((run.stderr or run.stdout).strip().splitlines()[-25:])
        sys.exit(f"build.py failed in {scenario} (N={subitems}), exit {run.returncode}:\n{tail}")
    stats = json.loads(setup.stats.read_text()) if setup.stats.is_file() else {}
    row = Row(subitems, scenario, run, stats=stats)
    if scenario in ("full", "template"):
        row.pages_per_s = (pages or _count_html(setup.out)) / run.wall_s
    _print_row(row)
    return row


def bench_size(work: Path, subitems: int, args: argparse.Namespace, options: set[str]) -> list[Row]:
    print(f"\nN = {subitems:,}")
    content, hugo_site = ensure_content(work, subitems, args.seed, args.hugo and shutil.which("hugo") is not None)
    templates = work / "templates"
    shutil.rmtree(templates, ignore_errors=True)
    shutil.copytree(args.repo / "templates", templates)
    setup = Setup(
        args.repo,
        content,
        templates,
        work / f"out-{subitems}",
        work / f"cache-{subitems}",
        work / f"stats-{subitems}.json",
        options,
        args.search,
    )
    shutil.rmtree(setup.out, ignore_errors=True)
    shutil.rmtree(setup.cache, ignore_errors=True)

    rows = [_build(setup, subitems, "full")]
    rows.append(_build(setup, subitems, "no-change"))
    guide = _edited_guide(content)
    original = guide.read_text(encoding="utf-8")
    try:
        guide.write_text(original + GUIDE_EDIT, encoding="utf-8")
        rows.append(_build(setup, subitems, "one-guide"))
        with open(templates / "guide.html", "a", encoding="utf-8") as handle:
            handle.write(TEMPLATE_EDIT)
        rows.append(_build(setup, subitems, "template", pages=subitems))
    finally:
        guide.write_text(original, encoding="utf-8")
    if hugo_site is not None:
        rows.append(bench_hugo(work, subitems, hugo_site))
    return rows


def bench_hugo(work: Path, subitems: int, site: Path) -> Row:
    out = work / f"hugo-out-{subitems}"
    cache = work / f"hugo-cache-{subitems}"
    for stale in (out, cache, site / "resources"):
        shutil.rmtree(stale, ignore_errors=True)
    run = timed(["hugo", "--quiet", "--source", str(site), "-d", str(out), "--cacheDir", str(cache)])
    if run.returncode != 0:
        sys.exit(f"hugo failed (N={subitems}):\n{run.stderr.strip()[-2000:]}")
    row = Row(subitems, "hugo full", run, pages_per_s=_count_html(out) / run.wall_s)
    _print_row(row)
    return row


# --- output ----------------------------------------------------------------------------------------------------


def _mb(kb: int) -> str:
    return f"{kb / 1024:,.0f}"


def _print_row(row: Row) -> None:
    rate = f", {row.pages_per_s:,.0f} pages/s" if row.pages_per_s else ""
    own = re.search(r"Build time: ([\d.]+) s", row.run.stdout)
    # The build's own clock starts after Python and its imports are up; the difference is start-up.
    own_time = f" (build.py's own clock {float(own.group(1)):.2f} s)" if own else ""
    print(
        f"  {row.scenario:<10} {row.run.wall_s:8.2f} s{own_time}{rate}, peak RSS tree "
        f"{_mb(row.run.peak_tree_kb)} MB, PSS {_mb(row.run.peak_pss_kb)} MB (largest process "
        f"{_mb(row.run.max_single_kb)} MB)"
    )
    stats = row.stats
    if stats:
        counts = ", ".join(
            f"{key} {stats[key]:,}" for key in ("guides", "written", "unchanged", "removed") if key in stats
        )
        if isinstance(stats.get("reindexed"), list):
            counts += f", search re-indexed {len(stats['reindexed'])} regions"
        print(
            f"             stats: {counts}"
            + (f", pages done at {stats['pages_done_s']:.2f} s" if "pages_done_s" in stats else "")
        )
        phases = stats.get("phases") or {}
        if phases:
            print("             phases: " + ", ".join(f"{name} {seconds:.2f}" for name, seconds in phases.items()))


def print_table(rows: list[Row], search: bool) -> None:
    print(f"\nSummary (build.py {'with' if search else 'without'} search index; other processes may share the CPU)")
    header = (
        f"{'N':>8}  {'scenario':<10} {'wall s':>8} {'pages/s':>9} {'tree MB':>8} {'PSS MB':>7} {'max MB':>7} "
        f"{'written':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        rate = f"{row.pages_per_s:,.0f}" if row.pages_per_s else "-"
        written = f"{row.stats['written']:,}" if "written" in row.stats else "-"
        print(
            f"{row.subitems:>8,}  {row.scenario:<10} {row.run.wall_s:8.2f} {rate:>9} "
            f"{_mb(row.run.peak_tree_kb):>8} {_mb(row.run.peak_pss_kb):>7} {_mb(row.run.max_single_kb):>7} "
            f"{written:>8}"
        )
    for subitems in dict.fromkeys(row.subitems for row in rows):
        ours = next(r for r in rows if r.subitems == subitems and r.scenario == "full")
        hugo = next((r for r in rows if r.subitems == subitems and r.scenario == "hugo full"), None)
        if hugo:
            print(
                f"N = {subitems:,}: full build ours / Hugo = {ours.run.wall_s / hugo.run.wall_s:.1f}x "
                f"({ours.run.wall_s:.2f} s / {hugo.run.wall_s:.2f} s)"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time full and incremental builds of synthetic content.")
    parser.add_argument(
        "--subitems", default="1000", help="comma-separated sizes, e.g. 1000,10000,30000,100000 (default 1000)"
    )
    parser.add_argument(
        "--search",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="build the pagefind search index (default: yes)",
    )
    parser.add_argument(
        "--hugo",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also build the same guides with Hugo, if installed (default: yes)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "portal-build-speed",
        help="where generated content, outputs and caches are kept between runs",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repo", type=Path, default=ROOT, help="checkout whose build.py and templates/ to time")
    args = parser.parse_args(argv)
    args.repo = args.repo.resolve()
    sizes = [int(size.replace("_", "")) for size in args.subitems.split(",") if size.strip()]

    options = build_options(args.repo)
    missing = {"--cache", "--stats"} - options
    if missing:
        print(f"build.py has no {' or '.join(sorted(missing))} yet: running without")
    if args.hugo and shutil.which("hugo") is None:
        print(
            "hugo is not installed, skipping the comparison (Debian: apt-get install -y --no-install-recommends hugo)"
        )
    args.work.mkdir(parents=True, exist_ok=True)
    rows = [row for size in sizes for row in bench_size(args.work, size, args, options)]
    print_table(rows, args.search)
    return 0


if __name__ == "__main__":
    sys.exit(main())
