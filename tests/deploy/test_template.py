"""The generated CloudFormation template has the properties the deployment promises."""

from __future__ import annotations

import re
from typing import Any

from tests.deploy.conftest import ROOT, Package

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
ALL_PUBLIC_ACCESS_BLOCKED = {
    "BlockPublicAcls": True,
    "BlockPublicPolicy": True,
    "IgnorePublicAcls": True,
    "RestrictPublicBuckets": True,
}


def _one(resources: dict[str, Any]) -> dict[str, Any]:
    assert len(resources) == 1, sorted(resources)
    return next(iter(resources.values()))


def _distribution(package: Package) -> dict[str, Any]:
    return _one(package.of_type("AWS::CloudFront::Distribution"))["Properties"]["DistributionConfig"]


def _policy_statements(package: Package) -> list[tuple[str, dict[str, Any]]]:
    """Every statement of every IAM and resource policy in the template, with where it sits."""
    found = []
    for name, resource in package.resources.items():
        properties = resource.get("Properties", {})
        documents = [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        for key in ("PolicyDocument", "AssumeRolePolicyDocument"):
            if key in properties:
                documents.append(properties[key])
        for document in documents:
            statements = document["Statement"]
            for statement in statements if isinstance(statements, list) else [statements]:
                found.append((name, statement))
    return found


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# --- the function ---------------------------------------------------------------------------------------------


def test_function_runtime_architecture_and_handler(package: Package) -> None:
    function = _one(package.of_type("AWS::Lambda::Function"))["Properties"]
    assert function["Runtime"] == "python3.12"
    assert function["Architectures"] == ["arm64"]
    assert function["Handler"] == "functions/handler.handler"
    assert function["MemorySize"] >= 1024  # argon2id at 19 MiB a hash, and the CPU share that comes with memory
    assert function["Timeout"] < 30  # API Gateway's integration limit
    assert function["TracingConfig"] == {"Mode": "Active"}


def test_function_environment(package: Package) -> None:
    variables = _one(package.of_type("AWS::Lambda::Function"))["Properties"]["Environment"]["Variables"]
    assert variables["PORTAL_BACKEND"] == "aws"
    assert variables["PORTAL_TABLE_NAME"] == {"Ref": "PortalTable"}
    assert variables["PORTAL_UPLOADS_BUCKET"] == {"Ref": "UploadsBucket"}
    assert variables["PORTAL_CATALOG_PATH"] == "/var/task/site/catalog.json"
    assert variables["PORTAL_DOCUMENT_FONT"] == "/var/task/fonts/NotoSerifCJK-SC-Regular.otf"  # what the bundle ships
    assert variables["PORTAL_PUBLIC_ORIGIN"] == {"Fn::Sub": "https://${SiteDistribution.DomainName}"}
    # The secret is a dynamic reference resolved at deploy time, never a value in the template.
    assert re.fullmatch(
        r"\{\{resolve:secretsmanager:\$\{PortalSecretKey\}:SecretString\}\}", variables["PORTAL_SECRET_KEY"]["Fn::Sub"]
    )
    assert "PORTAL_TEST_MODE" not in variables


def test_log_retention(package: Package) -> None:
    groups = package.of_type("AWS::Logs::LogGroup")
    assert groups and all(group["Properties"]["RetentionInDays"] == 365 for group in groups.values())


def test_http_api_routes_everything_under_api_to_the_function(package: Package) -> None:
    route = _one(package.of_type("AWS::ApiGatewayV2::Route"))["Properties"]
    assert route["RouteKey"] == "ANY /api/{proxy+}"
    integration = _one(package.of_type("AWS::ApiGatewayV2::Integration"))["Properties"]
    assert integration["PayloadFormatVersion"] == "2.0"


# --- data -----------------------------------------------------------------------------------------------------


def test_table(package: Package) -> None:
    table = package.resources["PortalTable"]
    properties = table["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["SSESpecification"] == {"SSEEnabled": True}
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert {(key["AttributeName"], key["KeyType"]) for key in properties["KeySchema"]} == {
        ("pk", "HASH"),
        ("sk", "RANGE"),
    }
    assert all(attribute["AttributeType"] == "S" for attribute in properties["AttributeDefinitions"])
    assert "GlobalSecondaryIndexes" not in properties  # the code queries by partition and sort-key prefix only
    assert properties["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain"


def test_only_prod_protects_its_data(dev_table: dict[str, Any]) -> None:
    table = dev_table
    assert table["Properties"]["DeletionProtectionEnabled"] is False
    assert table["DeletionPolicy"] == "Delete"


def test_both_buckets_block_public_access_and_encrypt(package: Package) -> None:
    buckets = {
        name: bucket
        for name, bucket in package.of_type("AWS::S3::Bucket").items()
        if name != "ServerlessDeploymentBucket"
    }
    assert set(buckets) == {"UploadsBucket", "SiteBucket"}
    for name, bucket in buckets.items():
        properties = bucket["Properties"]
        assert properties["PublicAccessBlockConfiguration"] == ALL_PUBLIC_ACCESS_BLOCKED, name
        rules = properties["BucketEncryption"]["ServerSideEncryptionConfiguration"]
        assert rules[0]["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms"), name
        assert properties["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}], name


def test_uploads_bucket_versioning_cors_and_lifecycle(package: Package) -> None:
    properties = package.resources["UploadsBucket"]["Properties"]
    assert properties["VersioningConfiguration"] == {"Status": "Enabled"}
    cors = _one({str(index): rule for index, rule in enumerate(properties["CorsConfiguration"]["CorsRules"])})
    assert cors["AllowedOrigins"] == [{"Fn::Sub": "https://${SiteDistribution.DomainName}"}]
    assert set(cors["AllowedMethods"]) == {"POST", "GET"}
    rules = properties["LifecycleConfiguration"]["Rules"]
    assert all(rule["Status"] == "Enabled" for rule in rules)
    # What tickets wrote (incoming/) and checked licences nobody claimed (quarantine/) go after a day.
    for prefix in ("incoming/", "quarantine/"):
        expiring = [rule for rule in rules if rule.get("Prefix") == prefix]
        assert [rule["ExpirationInDays"] for rule in expiring] == [1], prefix
        assert [rule["NoncurrentVersionExpiration"] for rule in expiring] == [{"NoncurrentDays": 1}], prefix
    assert not any(rule.get("Prefix", "").startswith("evidence") for rule in rules)  # evidence is kept
    assert any(rule.get("AbortIncompleteMultipartUpload") == {"DaysAfterInitiation": 1} for rule in rules)
    assert any("NoncurrentVersionExpiration" in rule and "Prefix" not in rule for rule in rules)


def test_checked_objects_are_write_once(package: Package) -> None:
    """Only a put with If-None-Match may write a checked key: no presigned POST, plain put or copy replaces it."""
    statements = package.resources["UploadsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    (deny,) = [statement for statement in statements if statement.get("Sid") == "CheckedObjectsWriteOnce"]
    assert (deny["Effect"], deny["Principal"], deny["Action"]) == ("Deny", "*", "s3:PutObject")
    resources = {resource["Fn::Sub"] for resource in deny["Resource"]}
    assert {"${UploadsBucket.Arn}/evidence/*", "${UploadsBucket.Arn}/quarantine/*"} <= resources
    assert "${UploadsBucket.Arn}/incoming/*" not in resources  # where tickets write
    assert deny["Condition"] == {"Null": {"s3:if-none-match": "true"}}


def test_the_secret_is_generated_by_the_stack(package: Package) -> None:
    secret = package.resources["PortalSecretKey"]
    assert secret["Type"] == "AWS::SecretsManager::Secret"
    generated = secret["Properties"]["GenerateSecretString"]
    assert generated["PasswordLength"] >= 32  # the API refuses shorter keys on aws
    assert "SecretString" not in secret["Properties"]


# --- the site and CloudFront ----------------------------------------------------------------------------------


def test_site_bucket_is_read_only_by_the_distribution(package: Package) -> None:
    policy = package.resources["SiteBucketPolicy"]["Properties"]
    assert policy["Bucket"] == {"Ref": "SiteBucket"}
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Allow" and statement["Action"] == "s3:GetObject"
    assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    source = statement["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert source.startswith("arn:${AWS::Partition}:cloudfront::")
    assert source.endswith("distribution/${SiteDistribution}")
    control = _one(package.of_type("AWS::CloudFront::OriginAccessControl"))["Properties"]["OriginAccessControlConfig"]
    assert (control["OriginAccessControlOriginType"], control["SigningBehavior"]) == ("s3", "always")


def test_default_behaviour_serves_the_site_bucket(package: Package) -> None:
    distribution = _distribution(package)
    origins = {origin["Id"]: origin for origin in distribution["Origins"]}
    assert origins["site"]["DomainName"] == {"Fn::GetAtt": ["SiteBucket", "RegionalDomainName"]}
    assert origins["site"]["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    default = distribution["DefaultCacheBehavior"]
    assert default["TargetOriginId"] == "site"
    assert default["ViewerProtocolPolicy"] == "redirect-to-https"
    assert "CachePolicyId" in default  # honours the Cache-Control tools/deploy_site.py sets per object
    assert default["FunctionAssociations"][0]["EventType"] == "viewer-request"
    assert distribution["CustomErrorResponses"] == [
        {"ErrorCode": 403, "ResponseCode": 404, "ResponsePagePath": "/404.html", "ErrorCachingMinTTL": 0}
    ]


def test_api_behaviour_is_uncached_and_forwards_the_viewer_request(package: Package) -> None:
    distribution = _distribution(package)
    (api,) = [behaviour for behaviour in distribution["CacheBehaviors"] if behaviour["PathPattern"] == "/api/*"]
    origins = {origin["Id"]: origin for origin in distribution["Origins"]}
    assert origins[api["TargetOriginId"]]["DomainName"] == {
        "Fn::Sub": "${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"
    }
    assert origins[api["TargetOriginId"]]["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert api["CachePolicyId"] == CACHING_DISABLED
    assert api["OriginRequestPolicyId"] == ALL_VIEWER_EXCEPT_HOST  # cookies, query strings, headers; not Host
    assert {"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"} == set(api["AllowedMethods"])
    assert api["ViewerProtocolPolicy"] == "https-only"  # a redirect would drop a POST's body


def test_only_the_public_stats_are_cached_at_the_edge(package: Package) -> None:
    """好差评's figures are the same for everybody: cached by region, with no cookie in the key (nobody's session
    reaches the API through it); every other /api/ path stays uncached."""
    distribution = _distribution(package)
    patterns = [behaviour["PathPattern"] for behaviour in distribution["CacheBehaviors"]]
    assert patterns.index("/api/evaluations/stats") < patterns.index("/api/*")  # the first match wins
    (stats,) = [b for b in distribution["CacheBehaviors"] if b["PathPattern"] == "/api/evaluations/stats"]
    assert stats["CachePolicyId"] == {"Ref": "PublicStatsCache"} and "OriginRequestPolicyId" not in stats
    assert set(stats["AllowedMethods"]) == {"GET", "HEAD"}
    config = package.resources["PublicStatsCache"]["Properties"]["CachePolicyConfig"]
    key = config["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["CookiesConfig"] == {"CookieBehavior": "none"} and key["HeadersConfig"] == {"HeaderBehavior": "none"}
    assert key["QueryStringsConfig"] == {"QueryStringBehavior": "whitelist", "QueryStrings": ["region"]}
    assert config["MaxTTL"] <= 300


def test_security_headers(package: Package) -> None:
    policy = _one(package.of_type("AWS::CloudFront::ResponseHeadersPolicy"))["Properties"]
    headers = policy["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]
    directives = dict(directive.strip().split(" ", 1) for directive in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp
    assert "uploads" in directives["connect-src"]  # presigned POSTs go straight to the uploads bucket
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["ContentTypeOptions"]["Override"] is True
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "strict-origin-when-cross-origin"
    distribution = _distribution(package)
    for behaviour in [distribution["DefaultCacheBehavior"], *distribution["CacheBehaviors"]]:
        assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeaders"}


def test_uploads_bucket_name_in_the_csp_is_the_bucket_name(package: Package) -> None:
    """The CSP names the bucket by its name (a Ref would be a cycle); the two must not drift apart."""
    name = package.resources["UploadsBucket"]["Properties"]["BucketName"]["Fn::Sub"]
    csp = package.resources["SecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"][
        "ContentSecurityPolicy"
    ]["ContentSecurityPolicy"]["Fn::Sub"]
    assert f"https://{name}.s3.${{AWS::Region}}.${{AWS::URLSuffix}}" in csp
    # S3's limit of 63 characters, with a 12-digit account id and the longest region names (14 characters).
    longest = name.replace("${AWS::AccountId}", "1" * 12).replace("${AWS::Region}", "ap-southeast-1")
    assert len(longest) <= 63, longest


# --- IAM ------------------------------------------------------------------------------------------------------


def test_no_wildcard_actions_are_granted(package: Package) -> None:
    """No Allow anywhere names "*" or "service:*". (A Deny may: a wildcard there only takes away - the TLS-only
    bucket policies, one of them the framework's own deployment bucket's.)"""
    statements = _policy_statements(package)
    assert statements
    for where, statement in statements:
        actions = _as_list(statement.get("Action", [])) + _as_list(statement.get("NotAction", []))
        assert "NotAction" not in statement, where
        if statement["Effect"] == "Allow":
            assert all(isinstance(action, str) and "*" not in action for action in actions), (where, actions)


def test_function_role_is_scoped_to_its_own_resources(package: Package) -> None:
    role = package.resources["IamRoleLambdaExecution"]["Properties"]
    statements = [statement for policy in role["Policies"] for statement in policy["PolicyDocument"]["Statement"]]
    by_action = {action: statement for statement in statements for action in _as_list(statement["Action"])}
    table_actions = {
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:Query",
        "dynamodb:ConditionCheckItem",
    }
    assert {action for action in by_action if action.startswith("dynamodb:")} == table_actions
    for action in table_actions:
        assert by_action[action]["Resource"] == {"Fn::GetAtt": ["PortalTable", "Arn"]}
    assert {action for action in by_action if action.startswith("s3:")} == {
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:ListBucket",
    }
    for action in ("s3:GetObject", "s3:PutObject", "s3:DeleteObject"):
        assert by_action[action]["Resource"] == {"Fn::Sub": "${UploadsBucket.Arn}/*"}
    assert by_action["s3:ListBucket"]["Resource"] == {"Fn::GetAtt": ["UploadsBucket", "Arn"]}
    # Phone numbers have no ARN, so SNS's one action takes Resource "*"; nothing else of SNS is granted.
    assert {action for action in by_action if action.startswith("sns:")} == {"sns:Publish"}
    # Only the actions that cannot name a resource (SMS, X-Ray) have Resource "*".
    for statement in statements:
        if "*" in _as_list(statement["Resource"]):
            assert set(_as_list(statement["Action"])) <= {
                "sns:Publish",
                "xray:PutTraceSegments",
                "xray:PutTelemetryRecords",
            }, statement


# What each AWS call of functions/ needs, so a new call cannot ship without its permission.
ACTIONS_FOR_CALLS = {
    "get_item": {"dynamodb:GetItem"},
    "put_item": {"dynamodb:PutItem"},
    "update_item": {"dynamodb:UpdateItem"},
    "delete_item": {"dynamodb:DeleteItem"},
    "query": {"dynamodb:Query"},
    # each item of a transaction is authorised by its own action, condition checks by ConditionCheckItem
    "transact_write_items": {
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        "dynamodb:DeleteItem",
        "dynamodb:ConditionCheckItem",
    },
    "get_object": {"s3:GetObject"},
    "head_object": {"s3:GetObject"},
    "delete_object": {"s3:DeleteObject"},
    "put_object": {"s3:PutObject"},
    "generate_presigned_post": {"s3:PutObject"},
    "generate_presigned_url": {"s3:GetObject"},
    "publish": {"sns:Publish"},
}


def test_every_aws_call_in_the_code_is_granted(package: Package) -> None:
    calls = {
        call
        for path in (ROOT / "functions").rglob("*.py")
        for call in re.findall(r"\bclient\.([a-z_]+)\(", path.read_text(encoding="utf-8"))
    }
    unknown = calls - ACTIONS_FOR_CALLS.keys()
    assert not unknown, f"functions/ calls {sorted(unknown)}: grant it in serverless.yml and list it here"
    role = package.resources["IamRoleLambdaExecution"]["Properties"]
    granted = {
        action
        for policy in role["Policies"]
        for statement in policy["PolicyDocument"]["Statement"]
        if statement["Effect"] == "Allow"
        for action in _as_list(statement["Action"])
    }
    for call in calls:
        assert ACTIONS_FOR_CALLS[call] <= granted, call


def test_arns_are_partition_neutral(package: Package) -> None:
    """arn:aws: hard-coded would break in the China partitions (arn:aws-cn:)."""
    assert "arn:aws:" not in package.template_path.read_text(encoding="utf-8")


# --- outputs --------------------------------------------------------------------------------------------------


def test_outputs(package: Package) -> None:
    outputs = package.template["Outputs"]
    assert {
        "SiteUrl",
        "ApiUrl",
        "HttpApiUrl",
        "TableName",
        "SiteBucketName",
        "UploadsBucketName",
        "DistributionId",
    } <= set(outputs)
    assert outputs["SiteUrl"]["Value"] == {"Fn::Sub": "https://${SiteDistribution.DomainName}"}
