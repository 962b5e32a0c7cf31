"""Cold start of the Lambda bundle against the floor: a bare FastAPI + Mangum + boto3 function (not run by the tests).

usage: .venv/bin/python bench/cold_start.py [runs] [--catalogue SITE]

Both run from the same unzipped bundle (the host variant of tools/build_lambda_bundle.py: the same files, with
wheels and byte-code for this interpreter), each in fresh `python -I -S -B` processes that see only the bundle
and the standard library and, like Lambda's read-only /var/task, write no byte-code; alternating, `runs` times
each (default 7). A third line shows the portal without the byte-code the bundle ships.

Measured: importing the handler module, then answering a stored API Gateway v2 event for /api/health - what a
cold Lambda does before its first response. Interpreter start-up is the same for both and left out. The goal
is within 1.3x of the floor, in CPU time. Then `-X importtime` names the modules the portal imports at
start-up that the floor does not, the file of ours that pays for each, and our own modules' import cost.

With --catalogue SITE (a site built from bench/make_content.py's content, e.g. 100,000 guides), it compares the
cold start of a bundle holding that site's catalogue with one holding the sample's (site/): import, /api/health,
then the first catalogue lookup an application makes (catalog.json and one shard, as the bundle ships them:
compressed). The goal is within 1.3x of the sample's.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.build_lambda_bundle import TARGETS, build_bundle  # noqa: E402

GOAL = 1.3
EVENT = ROOT / "tests" / "events" / "health.json"
FLOOR_HANDLER = '''\
"""The floor: the least a FastAPI function on Lambda imports (boto3 included, as every AWS function has it)."""
import boto3
from fastapi import FastAPI
from mangum import Mangum

app = FastAPI()


@app.get("/api/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


handler = Mangum(app, lifespan="off")
'''
# Runs in the fresh interpreter: sys.argv = [-c, module, event, path...]
MEASURE = """\
import importlib, json, sys, time
started, started_cpu = time.perf_counter(), time.process_time()
module_name, event_path, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
sys.path[:0] = paths
before = set(sys.modules)
handler = importlib.import_module(module_name).handler
imported = time.perf_counter()

class Context:
    function_name, aws_request_id, memory_limit_in_mb = "bench", "bench", 1024
    @staticmethod
    def get_remaining_time_in_millis():
        return 10_000

with open(event_path, encoding="utf-8") as stream:
    response = handler(json.load(stream), Context())
answered, answered_cpu = time.perf_counter(), time.process_time()
print(json.dumps({"import": imported - started, "first_request": answered - imported,
                  "cpu": answered_cpu - started_cpu,
                  "status": response["statusCode"], "modules": sorted(set(sys.modules) - before)}))
"""


def _environment(task_root: Path) -> dict[str, str]:
    """The aws backend as Lambda configures it; nothing here reaches AWS (clients are made on first use)."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "LAMBDA_TASK_ROOT": str(task_root),
        "PORTAL_BACKEND": "aws",
        "PORTAL_TABLE_NAME": "bench-table",
        "PORTAL_UPLOADS_BUCKET": "bench-uploads",
        "PORTAL_SECRET_KEY": "bench-secret-of-at-least-thirty-two-characters",
        "PORTAL_CATALOG_PATH": str(task_root / "site" / "catalog.json"),
        "PORTAL_PUBLIC_ORIGIN": "https://d111111abcdef8.cloudfront.net",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "ap-southeast-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }


def _run(
    module: str, paths: list[Path], environment: dict[str, str], *options: str
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-I", "-S", "-B", *options, "-c", MEASURE, module, str(EVENT), *map(str, paths)]
    result = subprocess.run(command, env=environment, capture_output=True, text=True, cwd=paths[-1])
    if result.returncode != 0:
        raise SystemExit(f"{module} failed:\n{result.stderr[-3000:]}")
    return result


def _measure(module: str, paths: list[Path], environment: dict[str, str]) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(_run(module, paths, environment).stdout)
    if report["status"] != 200:
        raise SystemExit(f"{module} answered /api/health with {report['status']}")
    return report


@dataclass
class Imported:
    """One node of `-X importtime`'s tree: a module, what its own body took, and what it imported first."""

    name: str
    own: float
    children: list[Imported]

    def beyond(self, floor: set[str]) -> float:
        """Seconds spent on modules the floor does not load, here and below."""
        return (0.0 if self.name in floor else self.own) + sum(child.beyond(floor) for child in self.children)


def _import_tree(stderr: str) -> list[Imported]:
    """`-X importtime` output as a tree; the lines come children first, indented by depth."""
    pending: dict[int, list[Imported]] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        own, _cumulative, name = line[len("import time:") :].split("|")
        depth = (len(name) - len(name.lstrip())) // 2
        pending.setdefault(depth, []).append(Imported(name.strip(), int(own) / 1e6, pending.pop(depth + 1, [])))
    return pending.get(0, [])


def _ours(name: str) -> bool:
    return name.split(".")[0] == "functions"


def _eager_imports(tree: list[Imported], floor: set[str]) -> dict[str, list[tuple[str, float]]]:
    """For each module of ours, the outside modules it was first to import, costed beyond the floor."""
    found: dict[str, list[tuple[str, float]]] = {}

    def walk(nodes: list[Imported], owner: str | None) -> None:
        for node in nodes:
            if _ours(node.name):
                walk(node.children, node.name)
            elif owner and node.beyond(floor) > 0:
                found.setdefault(owner, []).append((node.name, node.beyond(floor)))

    walk(tree, None)
    return found


def _own_bodies(tree: list[Imported]) -> list[tuple[str, float]]:
    """Our modules by the time their own bodies take (class definitions, create_app(), ...)."""
    found: list[tuple[str, float]] = []

    def walk(nodes: list[Imported]) -> None:
        for node in nodes:
            if _ours(node.name):
                found.append((node.name, node.own))
            walk(node.children)

    walk(tree)
    return sorted(found, key=lambda pair: -pair[1])


def _module_file(name: str) -> str:
    path = Path(*name.split("."))
    return f"{path}/__init__.py" if (ROOT / path).is_dir() else f"{path}.py"


LOOKUP = MEASURE.replace(
    "answered, answered_cpu = time.perf_counter(), time.process_time()",
    "import os; from pathlib import Path; from functions.catalogue import CatalogueReader\n"
    "found = CatalogueReader(Path(os.environ['PORTAL_CATALOG_PATH'])).subitem(os.environ['BENCH_REGION'], "
    "os.environ['BENCH_SUBITEM'])\n"
    "assert found is not None\n"
    "answered, answered_cpu = time.perf_counter(), time.process_time()",
)


def _last_subitem(site: Path) -> tuple[str, str]:
    """A sub-item of the catalogue's last region: what a first application would look up."""
    index = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    region = index["regions"][-1]
    shard = json.loads((site / region["subitem_shards"][-1]).read_text(encoding="utf-8"))
    return region["code"], sorted(shard["subitems"])[0]


def compare_catalogues(runs: int, large_site: Path) -> None:
    """Cold start + first catalogue lookup with the sample's catalogue and with a province-sized one."""
    reports: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        for name, site in (("sample catalogue", ROOT / "site"), (f"catalogue of {large_site}", large_site)):
            bundle = build_bundle(TARGETS["host"], Path(temporary) / f"{len(reports)}.zip", site)
            task_root = Path(temporary) / f"task-{len(reports)}"
            with zipfile.ZipFile(bundle) as archive:
                archive.extractall(task_root)
            region, code = _last_subitem(site)
            environment = {**_environment(task_root), "BENCH_REGION": region, "BENCH_SUBITEM": code}
            command = [sys.executable, "-I", "-S", "-B", "-c", LOOKUP, "functions.handler", str(EVENT), str(task_root)]
            samples = []
            for run in range(runs + 1):  # the first warms the file cache, as Lambda's image is
                result = subprocess.run(command, env=environment, capture_output=True, text=True, cwd=task_root)
                if result.returncode != 0:
                    raise SystemExit(f"{name} failed:\n{result.stderr[-3000:]}")
                if run:
                    samples.append(json.loads(result.stdout))
            reports[name] = samples
    print(f"cold start + first catalogue lookup, median of {runs} fresh processes each:")
    medians = {}
    for name, samples in reports.items():
        medians[name] = statistics.median(sample["cpu"] for sample in samples)
        wall = statistics.median(sample["import"] + sample["first_request"] for sample in samples)
        print(f"  {name:40} {wall * 1000:7.1f} ms wall   (CPU {medians[name] * 1000:7.1f} ms)")
    small, large = medians.values()
    print(f"  province / sample = {large / small:.2f}x in CPU time (goal: within {GOAL}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description="Cold start of the Lambda bundle (see the module's docstring).")
    parser.add_argument("runs", type=int, nargs="?", default=7)
    parser.add_argument("--catalogue", type=Path, help="a site whose catalogue to compare with the sample's")
    options = parser.parse_args()
    runs = options.runs
    if options.catalogue:
        compare_catalogues(runs, options.catalogue.resolve())
        return
    bundle = build_bundle(TARGETS["host"])
    with tempfile.TemporaryDirectory() as temporary:
        task_root, floor_dir = Path(temporary) / "task", Path(temporary) / "floor"
        with zipfile.ZipFile(bundle) as archive:
            archive.extractall(task_root)
        floor_dir.mkdir()
        (floor_dir / "floor_handler.py").write_text(FLOOR_HANDLER, encoding="utf-8")
        uncompiled = Path(temporary) / "uncompiled"
        shutil.copytree(task_root, uncompiled, ignore=shutil.ignore_patterns("__pycache__"))
        environment = _environment(task_root)
        subjects = {
            "portal": ("functions.handler", [task_root]),
            "floor": ("floor_handler", [floor_dir, task_root]),
            "portal without byte-code": ("functions.handler", [uncompiled]),
        }
        for module, paths in subjects.values():  # once each to warm the file cache, as Lambda's image is
            _measure(module, paths, environment)
        samples: dict[str, list[dict[str, Any]]] = {name: [] for name in subjects}
        for _run_number in range(runs):
            for name, (module, paths) in subjects.items():
                samples[name].append(_measure(module, paths, environment))

        totals, cpu = {}, {}
        print(
            f"cold start, median of {runs} fresh processes each ({sys.implementation.name} "
            f"{sys.version.split()[0]}, {os.uname().machine}):"
        )
        for name, reports in samples.items():
            imported = statistics.median(report["import"] for report in reports)
            first = statistics.median(report["first_request"] for report in reports)
            totals[name] = statistics.median(report["import"] + report["first_request"] for report in reports)
            cpu[name] = statistics.median(report["cpu"] for report in reports)
            print(
                f"  {name:24} import {imported * 1000:7.1f} ms + first request {first * 1000:6.1f} ms"
                f" = {totals[name] * 1000:7.1f} ms   (CPU {cpu[name] * 1000:7.1f} ms)"
            )
        # CPU time decides, as the median of back-to-back pairs: a cold start is one busy thread, CPU time
        # leaves out the time other processes took the core, and a pair shares whatever load there was.
        ratio = statistics.median(
            portal["cpu"] / floor["cpu"] for portal, floor in zip(samples["portal"], samples["floor"], strict=True)
        )
        print(
            f"  portal / floor = {ratio:.2f}x in CPU time (median of pairs), "
            f"{totals['portal'] / totals['floor']:.2f}x in wall time (goal: within {GOAL}x)"
        )

        floor_modules = set(samples["floor"][0]["modules"])
        extra = sorted(
            {name.split(".")[0] for name in samples["portal"][0]["modules"]}
            - {name.split(".")[0] for name in floor_modules}
            - {"functions"}
        )
        print(f"  top-level modules the portal loads that the floor does not: {', '.join(extra) or 'none'}")
        module, paths = subjects["portal"]
        tree = _import_tree(_run(module, paths, environment, "-X", "importtime").stderr)
        eager = _eager_imports(tree, floor_modules)
        verdict = "over the goal: make these lazy" if ratio > GOAL else "within the goal"
        print(
            f"\nimported at start-up beyond the floor, by file ({verdict}; one -X importtime run, "
            "the first importer pays; >= 1 ms):"
        )
        for owner, imports in sorted(eager.items(), key=lambda item: -sum(cost for _n, cost in item[1])):
            costly = [(name, cost) for name, cost in sorted(imports, key=lambda pair: -pair[1]) if cost >= 0.001]
            if costly:
                print(f"  {_module_file(owner)}: " + ", ".join(f"{name} {cost * 1000:.1f} ms" for name, cost in costly))
        bodies = [(name, own) for name, own in _own_bodies(tree) if own >= 0.002]
        print(
            f"our modules' own bodies, {sum(own for _name, own in _own_bodies(tree)) * 1000:.0f} ms in all "
            "(>= 2 ms: " + ", ".join(f"{_module_file(name)} {own * 1000:.1f} ms" for name, own in bodies) + ")"
        )


if __name__ == "__main__":
    main()
