"""tools/deploy_site.py: content types, cache headers, upload order, sync and invalidation (moto, in-process)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import boto3
import pytest

from tools import deploy_site

BUCKET = "site-bucket"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small built site with one file of each kind."""
    root = tmp_path / "site"
    for name, content in {
        "index.html": "<!doctype html><title>辽宁政务服务网</title>",
        "anshan/index.html": "<!doctype html><title>鞍山</title>",
        "static/css/portal.0a1b2c3d4e.css": "body{}",
        "static/js/api.edcf2f017f.js": "void 0;",
        "catalog.json": "{}",
        "sitemap.xml": "<urlset/>",
        "pagefind/pagefind.js": "void 0;",
        "pagefind/wasm.unknown.pagefind": "\x00asm",
        "pagefind/fragment/zh-cn_abc.pf_fragment": "\x1f\x8b",
        "files/anshan/form.pdf": "%PDF-1.7",
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


@pytest.fixture
def aws(monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "ap-southeast-1"}.items():
        monkeypatch.setenv(name, value)
    from moto import mock_aws

    with mock_aws():
        s3 = boto3.client("s3", region_name="ap-southeast-1")
        s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
        yield s3


def test_headers_per_file(site: Path) -> None:
    files = {file.key: file for file in deploy_site.site_files(site)}
    assert files["static/css/portal.0a1b2c3d4e.css"].cache_control == "public, max-age=31536000, immutable"
    assert files["static/css/portal.0a1b2c3d4e.css"].content_type == "text/css; charset=utf-8"
    assert files["static/js/api.edcf2f017f.js"].content_type == "text/javascript; charset=utf-8"
    for short in ("index.html", "catalog.json", "sitemap.xml", "pagefind/pagefind.js", "files/anshan/form.pdf"):
        assert files[short].cache_control == "public, max-age=0, s-maxage=300, must-revalidate", short
    assert files["index.html"].content_type == "text/html; charset=utf-8"
    assert files["catalog.json"].content_type == "application/json; charset=utf-8"
    assert files["pagefind/wasm.unknown.pagefind"].content_type == "application/octet-stream"
    assert files["files/anshan/form.pdf"].content_type == "application/pdf"


def test_hashed_assets_go_first_and_pages_last(site: Path) -> None:
    kinds = [file.kind for file in deploy_site.site_files(site)]
    assert kinds == sorted(kinds, key=["static", "other", "page"].index)
    assert kinds[0] == "static" and kinds[-1] == "page"


def test_sync_uploads_changes_only_and_keeps_old_assets(site: Path, aws) -> None:
    assert deploy_site.sync(aws, BUCKET, site) == (10, 0)
    stored = aws.head_object(Bucket=BUCKET, Key="anshan/index.html")
    assert stored["ContentType"] == "text/html; charset=utf-8"
    assert stored["CacheControl"] == "public, max-age=0, s-maxage=300, must-revalidate"

    assert deploy_site.sync(aws, BUCKET, site) == (0, 0)  # nothing changed
    (site / "anshan" / "index.html").write_text("<!doctype html><title>鞍山市</title>", encoding="utf-8")
    (site / "sitemap.xml").unlink()
    old_asset = site / "static" / "css" / "portal.0a1b2c3d4e.css"
    old_asset.rename(old_asset.with_name("portal.9f8e7d6c5b.css"))  # a new build renames the asset
    assert deploy_site.sync(aws, BUCKET, site) == (2, 1)
    keys = {stored["Key"] for stored in aws.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert "sitemap.xml" not in keys
    assert {"static/css/portal.0a1b2c3d4e.css", "static/css/portal.9f8e7d6c5b.css"} <= keys
    assert deploy_site.sync(aws, BUCKET, site, force=True) == (9, 0)


def test_deploy_reads_the_stack_outputs_and_invalidates(site: Path, aws) -> None:
    cloudfront = boto3.client("cloudfront")
    distribution = cloudfront.create_distribution(DistributionConfig={
        "CallerReference": "test", "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "site", "DomainName": f"{BUCKET}.s3.amazonaws.com",
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "site", "ViewerProtocolPolicy": "redirect-to-https",
                                 "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6"},
    })["Distribution"]
    outputs = {"SiteBucketName": BUCKET, "DistributionId": distribution["Id"],
               "SiteUrl": f"https://{distribution['DomainName']}"}
    asked = []

    def describe_stacks(StackName: str) -> dict:  # noqa: N803 - boto3's argument name
        asked.append(StackName)
        return {"Stacks": [{"Outputs": [{"OutputKey": key, "OutputValue": value} for key, value in outputs.items()]}]}

    clients = {"cloudformation": SimpleNamespace(describe_stacks=describe_stacks), "s3": aws, "cloudfront": cloudfront}
    session = SimpleNamespace(client=clients.__getitem__)

    assert deploy_site.deploy_site(session, "prod", site) == outputs
    assert asked == ["liaoning-portal-prod"]
    assert aws.list_objects_v2(Bucket=BUCKET)["KeyCount"] == 10
    invalidations = cloudfront.list_invalidations(DistributionId=distribution["Id"])["InvalidationList"]
    assert invalidations["Quantity"] == 1


def test_refuses_an_unbuilt_site(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="make build"):
        deploy_site.deploy_site(SimpleNamespace(client=None), "prod", tmp_path)


def test_service_name_matches_serverless_yml() -> None:
    import yaml

    config = yaml.safe_load((deploy_site.ROOT / "serverless.yml").read_text(encoding="utf-8"))
    assert config["service"] == deploy_site.SERVICE
    assert f"'{deploy_site.DEFAULT_REGION}'" in config["provider"]["region"]
