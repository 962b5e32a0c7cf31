"""tools/deploy_site.py: headers, upload order, the sync by content hash and the invalidation of only what changed
(moto, in-process)."""

from __future__ import annotations

import hashlib
import logging
import uuid
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


@pytest.fixture(scope="module")
def moto_s3():
    """One moto for the module: starting one costs more than any of these tests; each test gets its own bucket."""
    from moto import mock_aws

    with pytest.MonkeyPatch.context() as patch:
        for name, value in {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "ap-southeast-1",
        }.items():
            patch.setenv(name, value)
        with mock_aws():
            yield boto3.client("s3", region_name="ap-southeast-1")


@pytest.fixture
def aws(moto_s3):
    """An empty site bucket, removed with every version of every object after the test."""
    moto_s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"})
    yield moto_s3
    for page in moto_s3.get_paginator("list_object_versions").paginate(Bucket=BUCKET):
        for version in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]:
            moto_s3.delete_object(Bucket=BUCKET, Key=version["Key"], VersionId=version["VersionId"])
    moto_s3.delete_bucket(Bucket=BUCKET)


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
    first = deploy_site.sync(aws, BUCKET, site)
    assert (len(first.uploads), first.unchanged, first.deletions, first.replaced) == (10, 0, [], [])
    stored = aws.head_object(Bucket=BUCKET, Key="anshan/index.html")
    assert stored["ContentType"] == "text/html; charset=utf-8"
    assert stored["CacheControl"] == "public, max-age=0, s-maxage=300, must-revalidate"
    assert stored["Metadata"] == {"sha256": hashlib.sha256((site / "anshan/index.html").read_bytes()).hexdigest()}

    again = deploy_site.sync(aws, BUCKET, site)  # nothing changed
    assert (again.uploads, again.unchanged, again.deletions) == ([], 10, [])
    (site / "anshan" / "index.html").write_text("<!doctype html><title>鞍山市</title>", encoding="utf-8")
    (site / "sitemap.xml").unlink()
    old_asset = site / "static" / "css" / "portal.0a1b2c3d4e.css"
    old_asset.rename(old_asset.with_name("portal.9f8e7d6c5b.css"))  # a new build renames the asset
    changed = deploy_site.sync(aws, BUCKET, site)
    assert sorted(file.key for file in changed.uploads) == ["anshan/index.html", "static/css/portal.9f8e7d6c5b.css"]
    assert (changed.replaced, changed.deletions, changed.unchanged) == (["anshan/index.html"], ["sitemap.xml"], 7)
    keys = set(deploy_site.stored_keys(aws, BUCKET))
    assert "sitemap.xml" not in keys
    assert {"static/css/portal.0a1b2c3d4e.css", "static/css/portal.9f8e7d6c5b.css"} <= keys
    assert len(deploy_site.sync(aws, BUCKET, site, force=True).uploads) == 9


def test_an_object_without_its_hash_or_with_old_headers_is_replaced(site: Path, aws) -> None:
    deploy_site.sync(aws, BUCKET, site)
    # As the previous version of this tool stored it: no hash in the metadata.
    aws.put_object(
        Bucket=BUCKET,
        Key="catalog.json",
        Body=b"{}",
        ContentType="application/json; charset=utf-8",
        CacheControl=deploy_site.REVALIDATE,
    )
    # Same content, but cache rules that have since changed.
    aws.copy_object(
        Bucket=BUCKET,
        Key="sitemap.xml",
        CopySource={"Bucket": BUCKET, "Key": "sitemap.xml"},
        MetadataDirective="REPLACE",
        ContentType="application/xml; charset=utf-8",
        CacheControl="no-cache",
        Metadata=aws.head_object(Bucket=BUCKET, Key="sitemap.xml")["Metadata"],
    )
    plan = deploy_site.sync(aws, BUCKET, site)
    assert plan.replaced == ["catalog.json", "sitemap.xml"]
    assert deploy_site.sync(aws, BUCKET, site).uploads == []


def test_listing_follows_every_page() -> None:
    from botocore.stub import Stubber

    s3 = boto3.client("s3", region_name="ap-southeast-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(s3) as stubber:  # ListObjectsV2 answers at most 1,000 keys a page, then a token for the next
        stubber.add_response(
            "list_objects_v2",
            {
                "IsTruncated": True,
                "NextContinuationToken": "page-2",
                "Contents": [{"Key": f"f{number}.json"} for number in range(1000)],
            },
            {"Bucket": BUCKET},
        )
        stubber.add_response(
            "list_objects_v2",
            {"IsTruncated": False, "Contents": [{"Key": "index.html"}]},
            {"Bucket": BUCKET, "ContinuationToken": "page-2"},
        )
        assert len(deploy_site.stored_keys(s3, BUCKET)) == 1001
        stubber.assert_no_pending_responses()


def test_pages_are_invalidated_by_folder_and_file() -> None:
    assert deploy_site.invalidation_paths(
        ["index.html", "anshan/guide/210300-XK-0101-01/index.html", "catalog.json", "404.html"]
    ) == [
        "/",
        "/404.html",
        "/anshan/guide/210300-XK-0101-01/",
        "/anshan/guide/210300-XK-0101-01/index.html",
        "/catalog.json",
        "/index.html",
    ]
    assert deploy_site.invalidation_paths(["files/鞍山 表.pdf"]) == ["/files/%E9%9E%8D%E5%B1%B1%20%E8%A1%A8.pdf"]
    assert deploy_site.invalidation_paths([]) == []


def test_too_many_paths_become_one_wildcard() -> None:
    limit = deploy_site.MAX_INVALIDATION_PATHS
    assert len(deploy_site.invalidation_paths([f"f{number}.json" for number in range(limit)])) == limit
    assert deploy_site.invalidation_paths([f"f{number}.json" for number in range(limit + 1)]) == ["/*"]
    assert deploy_site.invalidation_paths([f"p{number}/index.html" for number in range(limit // 2 + 1)]) == ["/*"]


@pytest.fixture
def deployment(aws):
    """A distribution in moto and a session whose stack outputs name it and the bucket."""
    cloudfront = boto3.client("cloudfront")
    distribution = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": uuid.uuid4().hex,  # one distribution per test in the module's moto
            "Comment": "",
            "Enabled": True,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "site",
                        "DomainName": f"{BUCKET}.s3.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "site",
                "ViewerProtocolPolicy": "redirect-to-https",
                "CachePolicyId": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            },
        }
    )["Distribution"]
    outputs = {
        "SiteBucketName": BUCKET,
        "DistributionId": distribution["Id"],
        "SiteUrl": f"https://{distribution['DomainName']}",
    }
    asked = []

    def describe_stacks(StackName: str) -> dict:  # noqa: N803 - boto3's argument name
        asked.append(StackName)
        return {"Stacks": [{"Outputs": [{"OutputKey": key, "OutputValue": value} for key, value in outputs.items()]}]}

    clients = {"cloudformation": SimpleNamespace(describe_stacks=describe_stacks), "s3": aws, "cloudfront": cloudfront}

    def invalidated() -> list[list[str]]:
        """The paths of each invalidation so far, oldest first."""
        listed = cloudfront.list_invalidations(DistributionId=distribution["Id"])["InvalidationList"]
        batches = [
            cloudfront.get_invalidation(DistributionId=distribution["Id"], Id=summary["Id"])["Invalidation"][
                "InvalidationBatch"
            ]
            for summary in listed.get("Items", [])
        ]
        return [sorted(batch["Paths"]["Items"]) for batch in sorted(batches, key=lambda b: b["CallerReference"])]

    return SimpleNamespace(
        session=SimpleNamespace(client=clients.__getitem__), outputs=outputs, asked=asked, invalidated=invalidated
    )


def test_deploy_reads_the_stack_outputs_and_a_new_site_needs_no_invalidation(site: Path, deployment, caplog) -> None:
    caplog.set_level(logging.INFO, logger=deploy_site.__name__)
    assert deploy_site.deploy_site(deployment.session, "prod", site) == deployment.outputs
    assert deployment.asked == ["liaoning-portal-prod"]
    assert len(deploy_site.stored_keys(deployment.session.client("s3"), BUCKET)) == 10
    assert deployment.invalidated() == []  # nothing was cached under keys the bucket never had
    assert f"site: 10 uploaded, 0 unchanged, 0 deleted, 0 paths invalidated (s3://{BUCKET})" in caplog.messages


def test_a_second_deploy_without_changes_uploads_and_invalidates_nothing(site: Path, deployment, caplog) -> None:
    deploy_site.deploy_site(deployment.session, "prod", site)
    caplog.set_level(logging.INFO, logger=deploy_site.__name__)
    deploy_site.deploy_site(deployment.session, "prod", site)
    assert f"site: 0 uploaded, 10 unchanged, 0 deleted, 0 paths invalidated (s3://{BUCKET})" in caplog.messages
    assert deployment.invalidated() == []


def test_a_changed_page_is_uploaded_and_invalidated_alone(site: Path, deployment, caplog) -> None:
    deploy_site.deploy_site(deployment.session, "prod", site)
    (site / "anshan" / "index.html").write_text("<!doctype html><title>鞍山市</title>", encoding="utf-8")
    caplog.set_level(logging.INFO, logger=deploy_site.__name__)
    deploy_site.deploy_site(deployment.session, "prod", site)
    assert deployment.invalidated() == [["/anshan/", "/anshan/index.html"]]
    summary = next(message for message in caplog.messages if message.startswith("site: "))
    assert summary.startswith("site: 1 uploaded, 9 unchanged, 0 deleted, 2 paths invalidated")
    stored = deployment.session.client("s3").get_object(Bucket=BUCKET, Key="anshan/index.html")
    assert stored["Body"].read().decode() == "<!doctype html><title>鞍山市</title>"


def test_a_removed_page_is_deleted_and_invalidated(site: Path, deployment) -> None:
    deploy_site.deploy_site(deployment.session, "prod", site)
    (site / "anshan" / "index.html").unlink()
    deploy_site.deploy_site(deployment.session, "prod", site)
    assert "anshan/index.html" not in deploy_site.stored_keys(deployment.session.client("s3"), BUCKET)
    assert deployment.invalidated() == [["/anshan/", "/anshan/index.html"]]


def test_a_rebuild_touching_every_page_invalidates_everything_at_once(site: Path, deployment, monkeypatch) -> None:
    deploy_site.deploy_site(deployment.session, "prod", site)
    monkeypatch.setattr(deploy_site, "MAX_INVALIDATION_PATHS", 3)
    for page in ("index.html", "anshan/index.html"):
        (site / page).write_text("<!doctype html><title>新版</title>", encoding="utf-8")
    deploy_site.deploy_site(deployment.session, "prod", site)
    assert deployment.invalidated() == [["/*"]]


def test_changed_under_compares_only_those_keys_and_changes_nothing(site: Path, deployment) -> None:
    catalogue = ["catalog.json", "catalog/"]
    assert deploy_site.changed_under(deployment.session, "prod", site, catalogue)  # an empty bucket
    deploy_site.deploy_site(deployment.session, "prod", site)
    (site / "anshan" / "index.html").write_text("<!doctype html><title>鞍山市</title>", encoding="utf-8")
    assert not deploy_site.changed_under(deployment.session, "prod", site, catalogue)
    (site / "catalog").mkdir()
    (site / "catalog" / "anshan.json").write_text("{}", encoding="utf-8")
    assert deploy_site.changed_under(deployment.session, "prod", site, catalogue)
    (site / "catalog" / "anshan.json").unlink()
    (site / "catalog.json").write_text('{"format": 2}', encoding="utf-8")
    assert deploy_site.changed_under(deployment.session, "prod", site, catalogue)
    assert deployment.invalidated() == []  # only looked
    stored = deployment.session.client("s3").get_object(Bucket=BUCKET, Key="catalog.json")["Body"].read()
    assert stored == b"{}"


def test_changed_under_before_the_first_deploy_is_true(site: Path, aws) -> None:
    from botocore.exceptions import ClientError

    def describe_stacks(StackName: str) -> dict:  # noqa: N803 - boto3's argument name
        missing = {"Code": "ValidationError", "Message": f"Stack with id {StackName} does not exist"}
        raise ClientError({"Error": missing}, "DescribeStacks")

    session = SimpleNamespace(client={"cloudformation": SimpleNamespace(describe_stacks=describe_stacks)}.__getitem__)
    assert deploy_site.changed_under(session, "prod", site, ["catalog.json"])


def test_changed_under_prints_true_or_false(site: Path, deployment, monkeypatch, capsys) -> None:
    import boto3 as real_boto3

    monkeypatch.setattr(real_boto3, "Session", lambda region_name: deployment.session)
    deploy_site.main(["--stage", "prod", "--site", str(site), "--changed-under", "catalog.json", "catalog/"])
    assert capsys.readouterr().out == "true\n"
    deploy_site.main(["--stage", "prod", "--site", str(site)])
    capsys.readouterr()
    deploy_site.main(["--stage", "prod", "--site", str(site), "--changed-under", "catalog.json", "catalog/"])
    assert capsys.readouterr().out == "false\n"


def test_refuses_an_unbuilt_site(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="make build"):
        deploy_site.deploy_site(SimpleNamespace(client=None), "prod", tmp_path)


def test_service_name_matches_serverless_yml() -> None:
    import yaml

    config = yaml.safe_load((deploy_site.ROOT / "serverless.yml").read_text(encoding="utf-8"))
    assert config["service"] == deploy_site.SERVICE
    assert f"'{deploy_site.DEFAULT_REGION}'" in config["provider"]["region"]


def test_a_site_built_for_this_machine_is_refused(site: Path, deployment) -> None:
    """portal.yaml's preview address must not reach the bucket: its sitemap would send search engines to 127.0.0.1."""
    (site / "robots.txt").write_text("User-agent: *\nAllow: /\nSitemap: http://127.0.0.1:8000/sitemap.xml\n")
    with pytest.raises(SystemExit, match=r"built for http://127.0.0.1:8000 .*--site-url https://"):
        deploy_site.deploy_site(deployment.session, "prod", site)
    assert deploy_site.stored_keys(deployment.session.client("s3"), BUCKET) == []


def test_a_site_built_for_the_stack_address_is_deployed(site: Path, deployment) -> None:
    robots = f"User-agent: *\nAllow: /\nSitemap: {deployment.outputs['SiteUrl']}/sitemap.xml\n"
    (site / "robots.txt").write_text(robots)
    assert deploy_site.built_site_url(site) == deployment.outputs["SiteUrl"]
    assert deploy_site.deploy_site(deployment.session, "prod", site) == deployment.outputs
