"""The web dashboard deployed: its files in a private bucket behind CloudFront with the security
headers, the API's paths routed to the REST API on the same origin (Authorization forwarded, no
shared caching), and the Cognito hosted UI returning to the dashboard."""

from __future__ import annotations

import json
from typing import Any

from clausewatch import web
from infra.components.web import API_PATH_PATTERNS, CALLBACK_PATH, ON_THE_API_URL_ONLY


def resources(template: dict[str, Any], kind: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def only(template: dict[str, Any], kind: str) -> tuple[str, dict]:
    found = resources(template, kind)
    assert len(found) == 1, (kind, list(found))
    return next(iter(found.items()))


def text(value: Any) -> str:
    return json.dumps(value)


def test_the_site_bucket_is_private_encrypted_and_read_only_by_cloudfront(template):
    distribution_id, _ = only(template, "AWS::CloudFront::Distribution")
    site = {k: v for k, v in resources(template, "AWS::S3::Bucket").items() if k.startswith("WebSite")}
    [(site_id, bucket)] = site.items()
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True}
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    policies = [p for p in resources(template, "AWS::S3::BucketPolicy").values()
                if p["Properties"]["Bucket"] == {"Ref": site_id}]
    statements = [s for p in policies for s in p["Properties"]["PolicyDocument"]["Statement"]]
    reads = [s for s in statements if s["Effect"] == "Allow" and "s3:GetObject" in text(s["Action"])]
    assert reads and all(s["Principal"] == {"Service": "cloudfront.amazonaws.com"} for s in reads)
    assert all(distribution_id in text(s["Condition"]) for s in reads)  # this distribution only (OAC)
    assert any(s["Effect"] == "Deny" and "aws:SecureTransport" in text(s) for s in statements)
    [oac] = resources(template, "AWS::CloudFront::OriginAccessControl").values()
    assert oac["Properties"]["OriginAccessControlConfig"]["SigningBehavior"] == "always"


def test_every_response_carries_a_strict_csp_and_the_security_headers(template):
    _, policy = only(template, "AWS::CloudFront::ResponseHeadersPolicy")
    headers = policy["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = text(headers["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "StoreContracts" in csp and "amazoncognito.com" in csp  # uploads and the code exchange
    assert headers["StrictTransportSecurity"]["AccessControlMaxAgeSec"] >= 31536000
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["ContentTypeOptions"]["Override"] is True
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] == "no-referrer"


def test_the_api_is_on_the_same_origin_per_caller_and_the_files_are_the_default(template):
    _, distribution = only(template, "AWS::CloudFront::Distribution")
    config = distribution["Properties"]["DistributionConfig"]
    assert config["DefaultRootObject"] == web.LANDING.lstrip("/")
    assert config["HttpVersion"] == "http2and3"
    origins = {o["Id"]: o for o in config["Origins"]}
    default = config["DefaultCacheBehavior"]
    assert "S3OriginConfig" in origins[default["TargetOriginId"]] and default["ViewerProtocolPolicy"] == "redirect-to-https"
    behaviors = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert set(behaviors) == set(API_PATH_PATTERNS)
    [(cache_id, cache)] = resources(template, "AWS::CloudFront::CachePolicy").items()
    params = cache["Properties"]["CachePolicyConfig"]
    assert params["DefaultTTL"] == 0 and params["MinTTL"] == 0
    key = params["ParametersInCacheKeyAndForwardedToOrigin"]
    assert key["HeadersConfig"] == {"HeaderBehavior": "whitelist", "Headers": ["Authorization"]}
    for behavior in behaviors.values():
        origin = origins[behavior["TargetOriginId"]]
        assert "RestApi" in text(origin["DomainName"]) and "DeploymentStage" in text(origin["OriginPath"])
        assert behavior["CachePolicyId"] == {"Ref": cache_id}
        assert behavior["ViewerProtocolPolicy"] == "https-only" and "POST" in behavior["AllowedMethods"]


def test_the_rest_api_returns_the_original_pdf_as_bytes(template):
    [rest_api] = resources(template, "AWS::ApiGateway::RestApi").values()
    assert rest_api["Properties"]["BinaryMediaTypes"] == ["application/pdf"]


def test_the_files_are_published_with_the_hosted_ui_config(template):
    _, deployment = only(template, "Custom::CDKBucketDeployment")
    props = deployment["Properties"]
    assert props["DestinationBucketKeyPrefix"] == web.APP_PREFIX.lstrip("/")
    assert props["DistributionPaths"] == [web.APP_PREFIX + "*"] and props["Prune"] is True
    markers = text(props["SourceMarkers"])
    assert "amazoncognito.com" in markers and CALLBACK_PATH in markers and "ApiUsersWebClient" in markers


def test_the_hosted_ui_returns_to_the_dashboard(template):
    [client] = resources(template, "AWS::Cognito::UserPoolClient").values()
    props = client["Properties"]
    assert props["AllowedOAuthFlows"] == ["code"] and props["GenerateSecret"] is False  # code + PKCE
    callbacks = text(props["CallbackURLs"])
    assert "WebDistribution" in callbacks and CALLBACK_PATH in callbacks
    assert "signed-out.html" in text(props["LogoutURLs"])
    assert "WebUrl" in template["Outputs"]


# paths the pages ask that are not the API's: the web app's own (under /app/) and the local sign-out
# (deployed, "Sign out" goes to the hosted UI's /logout)
NOT_API = {"/app", "/logout"}


def test_every_api_path_the_pages_call_is_routed_to_the_api():
    """A page's request to a path CloudFront does not route to the API reaches the site bucket and
    is refused there (the Money page's GET /findings was, before /findings* was routed)."""
    import fnmatch
    import re

    asked = set()
    for name in web.files():
        if name.endswith(".js") and not name.startswith("vendor/"):
            asked |= set(re.findall(r"[\"'`](/[a-z][A-Za-z0-9._-]*)", web.asset(name)[0].decode()))
    asked -= NOT_API
    assert {"/contracts", "/obligations", "/renewals", "/uploads", "/findings", "/openapi.json"} <= asked
    unrouted = sorted(p for p in asked if not any(fnmatch.fnmatchcase(p, pattern) for pattern in API_PATH_PATTERNS))
    assert unrouted == []


def test_every_api_route_is_routed_through_the_dashboards_domain():
    """Every path of the OpenAPI document reaches the API on the dashboard's domain (the portfolio
    report, preferences, webhooks and corrections reached the site bucket before), except the
    pages that style inline, which the dashboard's CSP would break: they stay on the API's URL."""
    import fnmatch

    from clausewatch.api.app import OPENAPI_INFO, app

    document = json.loads(app.get_openapi_json_schema(**OPENAPI_INFO))
    unrouted = sorted(p for p in document["paths"]
                      if not any(fnmatch.fnmatchcase(p, pattern) for pattern in API_PATH_PATTERNS))
    assert unrouted == list(ON_THE_API_URL_ONLY)
