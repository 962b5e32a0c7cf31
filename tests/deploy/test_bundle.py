"""The Lambda bundle: the API and what it needs, nothing else - and enough on its own to answer requests."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.deploy.conftest import ROOT, Package
from tools import build_lambda_bundle

EVENTS = ROOT / "tests" / "events"
INVOKE = Path(__file__).with_name("invoke_bundle.py")
SECRET = "bundle-test-secret-of-at-least-32-characters"
TABLE, BUCKET = "portal-bundle-test", "portal-bundle-test-uploads"
ELF_AARCH64 = 183  # e_machine of arm64 Linux shared objects
CPYTHON_312_MAGIC = (3531).to_bytes(2, "little") + b"\r\n"


def _names(bundle: Path) -> list[str]:
    with zipfile.ZipFile(bundle) as archive:
        return archive.namelist()


def test_handler_named_by_the_template_is_in_the_bundle(package: Package) -> None:
    handler = package.resources["ApiLambdaFunction"]["Properties"]["Handler"]  # functions/handler.handler
    module, _function = handler.rsplit(".", 1)
    assert f"{module}.py" in _names(package.bundle)
    code = package.resources["ApiLambdaFunction"]["Properties"]["Code"]
    assert code["S3Key"].endswith("/lambda.zip")  # osls uploads our artifact as it is


def test_bundle_holds_the_api_and_the_catalogue_only(package: Package) -> None:
    names = _names(package.bundle)
    assert "functions/app.py" in names and "functions/domain/data/common-passwords.txt" in names
    assert "fonts/NotoSerifCJK-SC-Regular.otf" in names  # the 结果文书 font, never downloaded at run time
    # The entry point as it is, then each region's departments and shards gzip-compressed.
    catalogue = {"site/catalog.json": (package.site / "catalog.json").read_bytes()}
    catalogue |= {
        f"site/{path.relative_to(package.site).as_posix()}.gz": path.read_bytes()
        for path in (package.site / "catalog").rglob("*.json")
    }
    assert len(catalogue) > 2
    with zipfile.ZipFile(package.bundle) as archive:
        unpacked = {name: archive.read(name) for name in catalogue}
    assert {
        name: gzip.decompress(data) if name.endswith(".gz") else data for name, data in unpacked.items()
    } == catalogue
    assert {name for name in names if name.startswith("site/")} == set(catalogue)  # no page, no asset
    for forbidden in ("tests/", "content/", "templates/", "sitegen/", "site/static/", "node_modules/"):
        assert not [name for name in names if name.startswith(forbidden)], forbidden
    assert not {"build.py", "functions/dev_server.py", "functions/cli.py", "serverless.yml"} & set(names)
    assert not [name for name in names if name.startswith("functions/") and ("dev_server" in name or "/cli." in name)]
    # the build's own dependencies stay behind
    for package_name in ("jinja2", "markdown", "yaml", "pagefind", "uvicorn", "playwright", "moto", "pytest"):
        assert not [name for name in names if name.split("/")[0].lower() == package_name], package_name


def test_catalogue_files_are_the_entry_point_and_its_shards(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "catalog" / "210300").mkdir(parents=True)
    for name in ("catalog.json", "catalog/210300/departments.json", "catalog/210300/subitems-00.json", "index.html"):
        (site / name).write_text("{}", encoding="utf-8")
    assert [name for _path, name in build_lambda_bundle.catalogue_files(site)] == [
        "site/catalog.json",
        "site/catalog/210300/departments.json.gz",
        "site/catalog/210300/subitems-00.json.gz",
    ]


def test_a_catalogue_without_shards_is_refused(tmp_path: Path) -> None:
    """A catalog.json of the old single-file format would answer every application with 503: no bundle."""
    (tmp_path / "catalog.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SystemExit, match="older build"):
        build_lambda_bundle.catalogue_files(tmp_path)
    with pytest.raises(SystemExit, match="build the site first"):
        build_lambda_bundle.catalogue_files(tmp_path / "nothing")


def test_runtime_dependencies_are_pyprojects_minus_the_build_ones() -> None:
    requirements = build_lambda_bundle.runtime_requirements()
    names = {build_lambda_bundle._requirement_name(requirement) for requirement in requirements}
    assert {"fastapi", "mangum", "pydantic-settings", "boto3", "argon2-cffi", "cryptography", "pillow"} <= names
    assert not names & build_lambda_bundle.BUILD_ONLY
    assert all("==" in requirement for requirement in requirements)  # the same pins as the venv


def test_compiled_dependencies_are_for_arm64_lambda(package: Package) -> None:
    with zipfile.ZipFile(package.bundle) as archive:
        shared_objects = [name for name in archive.namelist() if name.endswith(".so") or ".so." in name]
        assert any("pydantic_core" in name for name in shared_objects)
        for name in shared_objects:
            header = archive.read(name)[:20]
            assert header[:4] == b"\x7fELF" and int.from_bytes(header[18:20], "little") == ELF_AARCH64, name
            if ".cpython-" in name:
                assert ".cpython-312-aarch64-linux-gnu." in name, name


def test_byte_code_is_for_lambdas_python(package: Package) -> None:
    """/var/task is read-only: byte-code not in the zip is compiled again at every cold start."""
    if build_lambda_bundle.compiling_python(build_lambda_bundle.TARGETS["lambda"]) is None:
        message = "no CPython 3.12 on this machine to compile the bundle's byte-code with"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with zipfile.ZipFile(package.bundle) as archive:
        compiled = [name for name in archive.namelist() if name.endswith(".pyc")]
        assert "functions/__pycache__/handler.cpython-312.pyc" in compiled
        assert "fastapi/__pycache__/applications.cpython-312.pyc" in compiled
        assert all(".cpython-312." in name for name in compiled)
        header = archive.read("functions/__pycache__/handler.cpython-312.pyc")[:8]
        assert header[:4] == CPYTHON_312_MAGIC
        assert int.from_bytes(header[4:8], "little") == 1  # hash-based, unchecked: no timestamps to compare


def test_bundle_fits_lambda_and_is_reproducible(package: Package, tmp_path: Path) -> None:
    with zipfile.ZipFile(package.bundle) as archive:
        unzipped = sum(info.file_size for info in archive.infolist())
    assert package.bundle.stat().st_size < 50 * 2**20 and unzipped < 250 * 2**20
    # Same inputs, same bytes: osls then sees unchanged code and leaves the function alone.
    again = build_lambda_bundle.build_bundle(build_lambda_bundle.TARGETS["lambda"], tmp_path / "again.zip")
    if hashlib.sha256(again.read_bytes()).digest() != hashlib.sha256(package.bundle.read_bytes()).digest():
        with zipfile.ZipFile(package.bundle) as first, zipfile.ZipFile(again) as second:
            before = {info.filename: info.CRC for info in first.infolist()}
            after = {info.filename: info.CRC for info in second.infolist()}
        differing = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
        pytest.fail(f"a second build differs in {len(differing)} files: {differing[:10]}")


def test_host_bundle_has_the_same_files_apart_from_compiled_ones(package: Package, host_bundle: Path) -> None:
    """The import test below runs the host variant; it must be the deployed bundle in all but the wheels."""

    def ours(bundle: Path) -> set[str]:
        return {
            name for name in _names(bundle) if name.startswith(("functions/", "site/")) and "__pycache__" not in name
        }

    assert ours(host_bundle) == ours(package.bundle)


@pytest.fixture(scope="module")
def moto_endpoint(package: Package):
    """A moto server holding the table (as the template declares it) and the uploads bucket."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1")
    table = package.resources["PortalTable"]["Properties"]
    dynamodb = session.client("dynamodb", endpoint_url=endpoint)
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=table["KeySchema"],
        AttributeDefinitions=table["AttributeDefinitions"],
        BillingMode=table["BillingMode"],
    )
    dynamodb.update_time_to_live(TableName=TABLE, TimeToLiveSpecification=table["TimeToLiveSpecification"])
    session.client("s3", endpoint_url=endpoint).create_bucket(Bucket=BUCKET)
    yield endpoint, dynamodb
    server.stop()


def test_unzipped_bundle_alone_answers_api_gateway_events(host_bundle: Path, moto_endpoint, tmp_path: Path) -> None:
    endpoint, dynamodb = moto_endpoint
    task_root = tmp_path / "task"  # Lambda's /var/task
    with zipfile.ZipFile(host_bundle) as archive:
        archive.extractall(task_root)
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "LAMBDA_TASK_ROOT": str(task_root),
        "PORTAL_BACKEND": "aws",
        "PORTAL_TABLE_NAME": TABLE,
        "PORTAL_UPLOADS_BUCKET": BUCKET,
        "PORTAL_SECRET_KEY": SECRET,
        "PORTAL_AWS_ENDPOINT_URL": endpoint,
        "PORTAL_CATALOG_PATH": str(task_root / "site" / "catalog.json"),
        "PORTAL_PUBLIC_ORIGIN": "https://d111111abcdef8.cloudfront.net",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(INVOKE), str(task_root), str(EVENTS), "health.json", "captcha.json"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert report["handler_file"] == str(task_root / "functions" / "handler.py")
    assert report["outside"] == [], "imported from outside the bundle and the standard library"
    assert report["responses"]["health.json"] == {"status": 200, "body": {"status": "ok"}}
    captcha = report["responses"]["captcha.json"]
    assert captcha["status"] == 200 and captcha["body"]["image"].startswith("data:image/png;base64,")
    assert dynamodb.scan(TableName=TABLE)["Count"] >= 1  # the captcha went to DynamoDB through the bundle's boto3
    assert report["sms_message_id"] and report["phone_valid"] is True
