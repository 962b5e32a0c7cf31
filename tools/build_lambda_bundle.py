"""Build the API's Lambda bundle: functions/ (without the local-only tools), its runtime dependencies and
the catalogue (site/catalog.json and its shards under site/catalog/), with byte-code, zipped as
build/lambda.zip for serverless.yml's `package.artifact`.

usage: python tools/build_lambda_bundle.py [--target lambda|host] [--output PATH]

The 结果文书 font goes in too (`fonts/NotoSerifCJK-SC-Regular.otf`, serverless.yml's PORTAL_DOCUMENT_FONT): the
simplified-Chinese face of Debian's Noto Serif CJK collection (or the font PORTAL_DOCUMENT_FONT names here), cut
down once by fontTools to the glyphs that face maps (44,746 characters) without layout tables or hinting, which
fpdf2 does not use: 12.8 MB (10 MB zipped) instead of the 26 MB collection. It is cached under build/ by the
source font's digest; making it takes about 90 s.

`--target lambda` (the default) installs wheels for Lambda's platform: CPython 3.12 on arm64 Linux
(Amazon Linux 2023, glibc 2.34), whatever machine runs the build. `--target host` installs the same
requirements for the interpreter running this script, with the same file selection: a bundle this machine
can import, so the tests and the cold-start bench can prove the zip alone is enough to answer requests
(the lambda zip's compiled wheels - pydantic-core, cryptography, argon2, Pillow - cannot load on an x86_64
or Python 3.11 host).

The runtime requirements are pyproject.toml's own pinned dependencies minus the build-only ones named in
BUILD_ONLY: one list of pins, kept in one place. Installed dependencies are cached under build/ keyed by
what went into them, so repeated packaging only re-zips.

Byte-code ships in the zip: Lambda's /var/task is read-only, so without it every cold start compiles every
module again (about twice the import time). It is compiled by a CPython of the target's version - for the
lambda target a python3.12 found on PATH, under pyenv, or named by $LAMBDA_PYTHON - as unchecked-hash .pyc
files, which Python loads without comparing timestamps the zip does not keep.
"""

from __future__ import annotations

import argparse
import glob
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
BUILD_DIR = ROOT / "build"
SITE = ROOT / "site"
# The catalogue: its entry point and the folder of the shards it names, relative to site/. In the zip they keep
# those paths under site/: Lambda unpacks the zip into /var/task (serverless.yml's PORTAL_CATALOG_PATH is
# /var/task/site/catalog.json), functions/settings.py's default (ROOT/site/catalog.json) points there too, and
# the API reads the shards relative to catalog.json.
CATALOG_INDEX = "catalog.json"
CATALOG_SHARDS = "catalog"
TASK_ROOT = "/var/task"  # the file names byte-code records for tracebacks
# The 结果文书 font (functions/settings.py's document_font): in the zip under this name, which serverless.yml's
# PORTAL_DOCUMENT_FONT names under /var/task.
DEBIAN_CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
CJK_FACE = 2  # of Noto CJK's collections: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK
FONT_IN_ZIP = "fonts/NotoSerifCJK-SC-Regular.otf"

# pyproject's dependencies that only the static-site build or `make dev` use; everything else ships.
# A dependency added to pyproject later ships by default: a stray build tool only costs bundle size,
# while a missing runtime dependency would fail in production.
BUILD_ONLY = {
    "jinja2",  # templates
    "markdown",  # guide bodies
    "pyyaml",  # content/
    "pagefind",  # the search index
    "uvicorn",  # make dev's server
    "watchfiles",  # make dev's rebuild on save
    "rich",  # the build's progress display
}
# Files of functions/ that Lambda never runs: the dev server mounts site/ for `make dev`, and the
# operators' portal-admin CLI runs on an operator's machine.
LOCAL_ONLY_SOURCES = {"functions/dev_server.py", "functions/cli.py"}
SOURCE_SUFFIXES = {".py", ".txt"}  # modules and their package data (functions/domain/data/*.txt)

# Lambda's python3.12 runtime on arm64: manylinux wheels up to glibc 2.34 (Amazon Linux 2023) run there.
LAMBDA_PYTHON = (3, 12)
LAMBDA_PLATFORMS = ("manylinux2014_aarch64", "manylinux_2_28_aarch64", "manylinux_2_34_aarch64")

# Installed folders nothing imports: console scripts whose shebangs point at the build machine's Python.
SKIPPED_FOLDERS = {"bin"}
# Data of the dependencies read only by modules the API never imports (what phonenumberslite leaves out):
# 20 of the bundle's 90 MiB. The API parses and validates numbers, it never names their place, carrier or
# time zone.
PRUNED_DEPENDENCY_FOLDERS = {
    "phonenumbers/geodata",  # phonenumbers.geocoder
    "phonenumbers/carrierdata",  # phonenumbers.carrier
    "phonenumbers/tzdata",  # phonenumbers.timezone
}
# botocore ships the models of 400+ services (28 MiB, already gzipped so they barely zip); the bundle keeps
# those functions/ creates clients for - found in its code, so a new boto3.client("...") ships its model
# without anyone editing this file - plus STS, which botocore's credential chain may call.
_CLIENT_CALL = re.compile(r"""\bclient\(\s*["']([a-z0-9-]+)["']""")
ALWAYS_KEPT_BOTOCORE_SERVICES = {"sts"}
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)  # identical inputs give an identical zip, so osls skips unchanged code


@dataclass(frozen=True)
class Target:
    """What the bundle is built for: pip's platform options and the Python that compiles the byte-code."""

    name: str
    pip_options: tuple[str, ...]
    python_version: tuple[int, int]

    @property
    def zip_path(self) -> Path:
        return BUILD_DIR / ("lambda.zip" if self.name == "lambda" else f"lambda-{self.name}.zip")

    @property
    def cache_tag(self) -> str:
        return f"cpython-{self.python_version[0]}{self.python_version[1]}"


TARGETS = {
    "lambda": Target(
        "lambda",
        (
            "--implementation",
            "cp",
            "--python-version",
            "{}.{}".format(*LAMBDA_PYTHON),
            "--abi",
            "cp{}{}".format(*LAMBDA_PYTHON),
            *[option for platform in LAMBDA_PLATFORMS for option in ("--platform", platform)],
        ),
        LAMBDA_PYTHON,
    ),
    "host": Target("host", (), sys.version_info[:2]),
}


# --- what goes in ---------------------------------------------------------------------------------------


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if not match:
        raise ValueError(f"pyproject.toml: cannot read the requirement {requirement!r}")
    return _normalized(match.group(1))


def runtime_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """pyproject's pinned dependencies that the API needs at run time (all but BUILD_ONLY)."""
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    names = {_requirement_name(requirement) for requirement in dependencies}
    stale = sorted(BUILD_ONLY - names)
    if stale:
        raise SystemExit(
            f"{pyproject}: BUILD_ONLY names {', '.join(stale)}, which pyproject no longer lists; "
            "update tools/build_lambda_bundle.py"
        )
    return [requirement for requirement in dependencies if _requirement_name(requirement) not in BUILD_ONLY]


def source_files(root: Path = ROOT) -> list[tuple[Path, str]]:
    """functions/ as Lambda runs it: modules and package data, without local-only tools and caches."""
    files = []
    for path in sorted((root / "functions").rglob("*")):
        name = path.relative_to(root).as_posix()
        if (
            path.is_file()
            and path.suffix in SOURCE_SUFFIXES
            and "__pycache__" not in path.parts
            and name not in LOCAL_ONLY_SOURCES
        ):
            files.append((path, name))
    return files


def botocore_services(root: Path = ROOT) -> set[str]:
    """The AWS services whose botocore models the bundle keeps: those functions/ makes clients for."""
    found = {
        match
        for path, _name in source_files(root)
        if path.suffix == ".py"
        for match in _CLIENT_CALL.findall(path.read_text(encoding="utf-8"))
    }
    if not found:
        raise SystemExit(
            "found no boto3.client(...) call in functions/; update _CLIENT_CALL in tools/build_lambda_bundle.py"
        )
    return found | ALWAYS_KEPT_BOTOCORE_SERVICES


# --- byte-code ------------------------------------------------------------------------------------------


def _python_version(python: str) -> tuple[int, int] | None:
    try:
        result = subprocess.run(
            [python, "-c", "import sys; print(sys.implementation.name, *sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError:
        return None
    if result.returncode != 0 or not result.stdout.startswith("cpython "):
        return None
    _name, major, minor = result.stdout.split()
    return int(major), int(minor)


def compiling_python(target: Target) -> str | None:
    """A CPython of the target's version to compile byte-code with, or None if this machine has none."""
    if target.python_version == sys.version_info[:2]:
        return sys.executable
    version = "{}.{}".format(*target.python_version)
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = [
        os.environ.get("LAMBDA_PYTHON"),
        shutil.which(f"python{version}"),
        *sorted(glob.glob(f"{pyenv_root}/versions/{version}.*/bin/python{version}"), reverse=True),
    ]
    for candidate in filter(None, candidates):
        if _python_version(candidate) == target.python_version:
            return candidate
    return None


def _compile(python: str, folder: Path, parallel: bool = False) -> bool:
    """Writes __pycache__/*.pyc beside every module under folder; False if some module did not compile.

    One process compiles the same bytes every time; parallel workers may not (marshal's output depends on
    what else the process compiled), which is fine for the dependencies, compiled once and cached.
    """
    workers = ["-j", "0"] if parallel else []
    result = subprocess.run(
        [
            python,
            "-m",
            "compileall",
            "-q",
            *workers,
            "--invalidation-mode",
            "unchecked-hash",
            "-d",
            TASK_ROOT,
            str(folder),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        log.warning("some modules under %s did not compile:\n%s", folder, result.stdout[-2000:])
    return result.returncode == 0


# --- dependencies ---------------------------------------------------------------------------------------


def _prune(folder: Path, services: set[str]) -> None:
    for pruned in PRUNED_DEPENDENCY_FOLDERS | SKIPPED_FOLDERS:
        shutil.rmtree(folder / pruned, ignore_errors=True)
    # botocore/data/<service>/: a folder per service; the files beside them (endpoints, partitions, retry
    # rules) every client needs.
    for service in (folder / "botocore" / "data").iterdir():
        if service.is_dir() and service.name not in services:
            shutil.rmtree(service)


def _install_dependencies(target: Target, requirements: list[str], python: str | None) -> Path:
    """pip-installs, prunes and compiles the requirements for the target, cached under build/."""
    services = botocore_services()
    fingerprint = hashlib.sha256(
        json.dumps(
            [
                requirements,
                target.pip_options,
                sys.version,
                sorted(services),
                sorted(PRUNED_DEPENDENCY_FOLDERS),
                python and _python_version(python),
            ]
        ).encode()
    ).hexdigest()
    folder = BUILD_DIR / f"lambda-deps-{target.name}"
    stamp = folder / ".fingerprint"
    if stamp.exists() and stamp.read_text() == fingerprint:
        log.info("dependencies for %s unchanged; reusing %s", target.name, folder.relative_to(ROOT))
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    requirements_file = BUILD_DIR / f"requirements-{target.name}.txt"
    requirements_file.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    # Wheels only: nothing may be compiled on the build machine for another platform. pip keeps its own
    # download cache, so a second build after a pin change fetches only what changed.
    command = [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-compile",
        "--only-binary=:all:",
        "--target",
        str(folder),
        *target.pip_options,
        "-r",
        str(requirements_file),
    ]
    log.info("installing %d runtime dependencies for %s", len(requirements), target.name)
    subprocess.run(command, check=True)
    _prune(folder, services)
    if python:
        _compile(python, folder, parallel=True)  # a stray unparsable file just ships without byte-code
    stamp.write_text(fingerprint)
    return folder


def _dependency_files(folder: Path, target: Target) -> list[tuple[Path, str]]:
    return [
        (path, path.relative_to(folder).as_posix())
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != ".fingerprint" and _ships(path, target)
    ]


def _ships(path: Path, target: Target) -> bool:
    """Byte-code only of the target's interpreter (pip or a stray run may have left others)."""
    return path.suffix != ".pyc" or f".{target.cache_tag}." in path.name


def _compiled_sources(python: str | None, staging: Path, target: Target) -> list[tuple[Path, str]]:
    """functions/ copied to staging, compiled there: (file, name in zip) with the byte-code."""
    files = source_files()
    for path, name in files:
        copy = staging / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
    if python and not _compile(python, staging):
        raise SystemExit("functions/ does not compile with the target's Python")
    return [
        (path, path.relative_to(staging).as_posix())
        for path in sorted(staging.rglob("*"))
        if path.is_file() and _ships(path, target)
    ]


# --- the zip --------------------------------------------------------------------------------------------


def catalogue_files(site: Path = SITE) -> list[tuple[Path, str]]:
    """site/catalog.json and everything under site/catalog/: (file, name in zip).

    The shards go in gzip-compressed (`….json.gz`, which the API reads as readily): a province's 100,000
    sub-items are ~220 MiB of JSON, more than Lambda's 250 MiB unzipped limit leaves beside the code, ~25 MiB
    compressed."""
    index, shards = site / CATALOG_INDEX, site / CATALOG_SHARDS
    if not index.exists():
        raise SystemExit(f"{_shown(index)} is missing: build the site first (make build)")
    if not shards.is_dir():
        raise SystemExit(f"{_shown(shards)}/ is missing: {_shown(index)} is from an older build; rebuild (make build)")
    files = [(index, f"site/{CATALOG_INDEX}")]
    for path in sorted(path for path in shards.rglob("*") if path.is_file()):
        files.append((path, f"site/{path.relative_to(site).as_posix()}" + (".gz" if path.suffix == ".json" else "")))
    return files


def font_file(source: Path | None = None) -> tuple[Path, str]:
    """The result documents' font as the bundle ships it: one face of the source collection, its glyphs only for
    the characters that face maps, made once and cached under build/ by the source's bytes."""
    source = source or Path(os.environ.get("PORTAL_DOCUMENT_FONT") or DEBIAN_CJK_FONT)
    if not source.is_file():
        raise SystemExit(
            f"{source}: the font for result documents is missing; install Debian's fonts-noto-cjk "
            "(apt-get install fonts-noto-cjk) or set PORTAL_DOCUMENT_FONT to a CJK font collection"
        )
    face = int(os.environ.get("PORTAL_DOCUMENT_FONT_INDEX", CJK_FACE)) if source.suffix.lower() == ".ttc" else 0
    key = hashlib.sha256(source.read_bytes() + f"|{face}|1".encode()).hexdigest()[:16]
    target = BUILD_DIR / f"font-{key}.otf"
    if not target.is_file():
        log.info("cutting %s (face %d) down to its mapped glyphs for the bundle (about 90 s, once)", source, face)
        _subset_font(source, face, target)
    return target, FONT_IN_ZIP


def _subset_font(source: Path, face: int, target: Path) -> None:
    from fontTools import subset  # fpdf2's own dependency, installed with the runtime ones
    from fontTools.ttLib import TTFont

    font = TTFont(source, fontNumber=face)
    options = subset.Options()
    options.layout_features = []  # fpdf2 maps characters through cmap alone: no shaping tables needed
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "BASE", "JSTF", "vhea", "vmtx", "VORG", "DSIG"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    font.save(partial)
    partial.replace(target)


def _write_zip(zip_path: Path, files: list[tuple[Path, str]]) -> int:
    """Write the zip; a name ending .gz whose file does not gets its bytes gzip-compressed. Returns the bytes
    the zip unpacks to."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    unzipped = 0
    partial = zip_path.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for path, name in sorted(files, key=lambda pair: pair[1]):
            info = zipfile.ZipInfo(name, date_time=_FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            # Readable by Lambda's sandbox user; shared libraries keep their executable bit.
            mode = 0o755 if path.stat().st_mode & 0o111 else 0o644
            info.external_attr = (0o100000 | mode) << 16
            data = path.read_bytes()
            if name.endswith(".gz") and path.suffix != ".gz":
                data = gzip.compress(data, mtime=0)  # mtime=0: the same catalogue gives the same bytes
            bundle.writestr(info, data)
            unzipped += len(data)
    partial.replace(zip_path)
    return unzipped


def build_bundle(target: Target, output: Path | None = None, site: Path = SITE) -> Path:
    """The zip for target, with the catalogue of the site built in `site`."""
    catalogue = catalogue_files(site)
    python = compiling_python(target)
    if python is None:
        log.warning(
            "no CPython %d.%d found to compile byte-code with (set LAMBDA_PYTHON); the bundle works, "
            "but every cold start compiles its modules again",
            *target.python_version,
        )
    dependencies = _install_dependencies(target, runtime_requirements(), python)
    with tempfile.TemporaryDirectory(prefix="lambda-sources-") as staging:
        files = _dependency_files(dependencies, target) + _compiled_sources(python, Path(staging), target)
        files += catalogue
        files.append(font_file())
        zip_path = output or target.zip_path
        unzipped = _write_zip(zip_path, files)
    size = zip_path.stat().st_size
    print(
        f"{_shown(zip_path)}: {size / 2**20:.1f} MiB zipped, {unzipped / 2**20:.1f} MiB unzipped, "
        f"{len(files)} files (Lambda allows 50 MiB zipped, 250 MiB unzipped)"
    )
    return zip_path


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--target",
        choices=sorted(TARGETS),
        default="lambda",
        help="lambda: CPython 3.12 on arm64 Linux (deployed); host: this interpreter (tests, bench)",
    )
    parser.add_argument(
        "--output", type=Path, help="the zip to write (default build/lambda.zip, build/lambda-host.zip)"
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    build_bundle(TARGETS[arguments.target], arguments.output)


if __name__ == "__main__":
    main()
