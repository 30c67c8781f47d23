"""The web dashboard deployed: its static files (the ``clausewatch.web`` package's ``static/``) in a
private S3 bucket behind CloudFront, with the API on the same origin (CloudFront routes the API's
paths to the REST API), so the pages call ``/contracts``, ``/renewals``, ... exactly as they do on
`clausewatch serve` and no CORS is needed. Sign-in is the Cognito hosted UI (authorization code +
PKCE): the user pool's web client gets ``/app/callback.html`` as a callback URL, and the pages find
the hosted UI's address in ``/app/config.json``, written at deployment.

Every response carries the security headers: a CSP with scripts from the page's origin only (no
inline script or style anywhere), HSTS, nosniff, frame denial, no referrer.
"""

from __future__ import annotations

from aws_cdk import Duration, Fn, RemovalPolicy
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from clausewatch import web

from .api import Api
from .storage import ContractStore

# the API's paths, served by the REST API through CloudFront (everything else is a static file)
# (Swagger UI and the decision link's page, which style inline, stay on the API's URL)
API_PATH_PATTERNS = ("/contracts*", "/obligations*", "/renewals*", "/findings*", "/uploads*", "/feeds*",
                     "/deleted-contracts*", "/reports/*", "/me/*", "/webhooks*", "/corrections*",
                     "/calendar.ics", "/openapi.json", "/health")
ON_THE_API_URL_ONLY = ("/renewal-decision",)
CALLBACK_PATH = web.APP_PREFIX + "callback.html"
SIGNED_OUT_PATH = web.APP_PREFIX + "signed-out.html"
HSTS_MAX_AGE = Duration.days(365)


class Web(Construct):
    """The site bucket, its files, the CloudFront distribution and the hosted UI's callback."""

    def __init__(self, scope: Construct, id: str, *, api: Api, store: ContractStore) -> None:
        super().__init__(scope, id)
        self.bucket = s3.Bucket(
            self,
            "Site",
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=RemovalPolicy.DESTROY,  # only the published files: the package has them
            auto_delete_objects=False,
            server_access_logs_bucket=store.access_logs,  # who read the pages, beside the contracts' log
            server_access_logs_prefix="web/",
        )
        hosted_ui = api.domain.base_url()
        # the pages' uploads POST to the contracts bucket; the code exchange goes to the hosted UI
        upload_origins = (f"https://{store.bucket.bucket_regional_domain_name}",
                          f"https://{store.bucket.bucket_domain_name}")
        self.csp = web.CSP.format(upload="".join(f" {o}" for o in (*upload_origins, hosted_ui)))
        self.headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            comment="clausewatch web: CSP (own scripts only, nothing inline), HSTS, nosniff, no framing",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=self.csp, override=True),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=HSTS_MAX_AGE, include_subdomains=True, override=True),
            ),
        )
        # API responses are per caller: keyed on the token, kept for no time unless the API says so
        # (CloudFront forwards Authorization only when it is part of the cache key)
        api_cache = cloudfront.CachePolicy(
            self,
            "ApiPerCaller",
            comment="clausewatch API through CloudFront: no shared caching, Authorization forwarded",
            default_ttl=Duration.seconds(0),
            min_ttl=Duration.seconds(0),
            max_ttl=Duration.seconds(1),
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list("Authorization"),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.all(),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
        )
        api_behavior = cloudfront.BehaviorOptions(
            origin=origins.RestApiOrigin(api.rest_api),
            allowed_methods=cloudfront.AllowedMethods.ALLOW_ALL,
            viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
            cache_policy=api_cache,
            origin_request_policy=cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
            response_headers_policy=self.headers,
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="clausewatch web dashboard and API",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(self.bucket),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
                response_headers_policy=self.headers,
            ),
            additional_behaviors={pattern: api_behavior for pattern in API_PATH_PATTERNS},
            default_root_object=web.LANDING.lstrip("/"),
            # (the *.cloudfront.net certificate has CloudFront's own TLS policy; a custom domain
            # with its certificate would set minimum_protocol_version=TLS_V1_2_2021)
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
        )
        self.url = f"https://{self.distribution.distribution_domain_name}"
        redirect_uri = self.url + CALLBACK_PATH
        self.deployment = s3deploy.BucketDeployment(
            self,
            "Files",
            sources=[
                s3deploy.Source.asset(str(web.STATIC_DIR)),
                s3deploy.Source.json_data("config.json", {"cognito": {
                    "domain": hosted_ui, "clientId": api.web_client.user_pool_client_id,
                    "redirectUri": redirect_uri, "signedOutUri": self.url + SIGNED_OUT_PATH}}),
            ],
            destination_bucket=self.bucket,
            destination_key_prefix=web.APP_PREFIX.strip("/") + "/",
            distribution=self.distribution,
            distribution_paths=[web.APP_PREFIX + "*"],
            prune=True,
        )
        self._callback(api.web_client, redirect_uri)

    def _callback(self, client: cognito.UserPoolClient, redirect_uri: str) -> None:
        """The hosted UI returns to the dashboard (besides the callback URLs the app was given)."""
        cfn = client.node.default_child
        if not isinstance(cfn, cognito.CfnUserPoolClient):
            raise TypeError("the web client's resource is not a CfnUserPoolClient")
        callbacks = list(cfn.callback_ur_ls or [])
        logouts = list(cfn.logout_ur_ls or [])
        cfn.callback_ur_ls = [*callbacks, redirect_uri]
        cfn.logout_ur_ls = [*logouts, self.url + SIGNED_OUT_PATH]


def web_url_output(component: Web) -> str:
    return Fn.join("", [component.url, web.LANDING])
