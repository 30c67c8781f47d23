"""clausewatch/local/moto_dispatch.py keeps moto's answers: a host's backend and a response class's
method names are what moto's own functions say, asked again or not. (Its dynamo_to_dict is compared
through whole DynamoDB replies in tests/integration/test_moto_query.py.)"""

from __future__ import annotations

from moto.core import responses as core_responses
from moto.dynamodb.responses import DynamoHandler
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from moto.s3.responses import S3Response
from moto.sqs.responses import SQSResponse

from clausewatch.local import moto_dispatch

HOSTS = [None, "moto_api", "dynamodb", "dynamodb.us-east-1.amazonaws.com", "sqs.eu-west-1.amazonaws.com",
         "s3.amazonaws.com", "bucket.s3.amazonaws.com", "scheduler.us-east-1.amazonaws.com",
         "email.us-east-1.amazonaws.com", "states.us-east-1.amazonaws.com", "nothing.example.com"]


def test_a_hosts_backend_is_motos_answer_every_time():
    moto_dispatch.install()
    app = DomainDispatcherApplication(create_backend_app)
    original = moto_dispatch.ORIGINAL["get_backend_for_host"]
    expected = {host: original(app, host) for host in HOSTS}
    assert expected["dynamodb.us-east-1.amazonaws.com"] == "dynamodb"  # the hosts are ones moto knows
    assert expected["nothing.example.com"] is None
    for _ in range(2):  # asked once, then answered from what was kept
        assert {host: app.get_backend_for_host(host) for host in HOSTS} == expected


def test_a_response_classs_methods_are_motos_answer():
    moto_dispatch.install()
    original = moto_dispatch.ORIGINAL["method_names_from_class"]
    for handler, action in ((DynamoHandler, "batch_get_item"), (SQSResponse, "receive_message"),
                            (S3Response, "key_response")):
        names = original(handler)
        assert action in names
        for _ in range(2):
            assert core_responses.method_names_from_class(handler) == names


def test_an_answers_request_id_is_written_as_motos_own():
    moto_dispatch.install()
    original = moto_dispatch.ORIGINAL["_enrich_response"]
    bodies = ['{"Items": []}', "", "<R><RequestId>old</RequestId><x/></R>", "<RequestId>a</RequestId>",
              "<RequestId>", b"<RequestId>b</RequestId>", b'{"a": 1}', None, '{"s": "<RequestId>v</RequestId>"}']
    for body in bodies:
        for headers in ({}, {"status": 201}, {"x-amzn-requestid": "given"}):
            ours_headers, ours_body = core_responses.BaseResponse._enrich_response(dict(headers), body)
            theirs_headers, theirs_body = original(dict(headers), body)
            # moto draws a new request id each time: the same answer otherwise
            ours_id, theirs_id = ours_headers.pop("x-amzn-requestid"), theirs_headers.pop("x-amzn-requestid")
            assert len(ours_id) == len(theirs_id) == 52
            assert ours_headers == theirs_headers
            assert ours_body == (theirs_body.replace(theirs_id, ours_id) if isinstance(theirs_body, str) else theirs_body)
    ours_headers, ours_body = core_responses.BaseResponse._enrich_response({}, "<R><RequestId>old</RequestId></R>")
    assert ours_body == f"<R><RequestId>{ours_headers['x-amzn-requestid']}</RequestId></R>"  # XML still gets it
