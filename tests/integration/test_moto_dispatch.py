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
