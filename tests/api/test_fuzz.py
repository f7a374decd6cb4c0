"""The API fuzzed from its own OpenAPI document (schemathesis): whatever a client sends
within (or outside) the document, no answer is a 500 and every answer matches it.

The schema is loaded from the running application (WSGI, in this process, on this
test's database with the scene's rows), then every operation gets 25 generated
requests that fit the document and 25 that do not, derandomized so a CI run repeats the last one; the detail operations also get
the ids of the scene's public rows, so their 200 answers are checked too.
"""

import contextlib

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
EXAMPLES_PER_OPERATION = 25


@contextlib.contextmanager
def _keep_the_test_connection():
    # Django's test client does the same: a request ending must not close the
    # connection that holds this test's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(scene, settings):
    # The product keeps its rate limit; generated traffic would only measure it.
    settings.API_RATE_LIMIT = None
    from config.wsgi import application

    with _keep_the_test_connection():
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


def _fuzz(operation, mode):
    checks = CHECKS + ([negative_data_rejection] if mode == GenerationMode.NEGATIVE else [])

    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call()
        case.validate_response(response, checks=checks)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_within_its_schema(api_schema, scene, mode):
    # given: requests that fit the document (positive) or break it (negative, which
    # must be refused with a documented 4xx, never accepted or answered with a 500)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 10
    # when / then
    for operation in operations:
        if mode == GenerationMode.NEGATIVE and not list(operation.iter_parameters()):
            continue  # nothing to get wrong in a request without parameters
        _fuzz(operation, mode)


def test_public_rows_answer_200_within_the_schema(api_schema, scene):
    ids = {
        "/api/v1/tasks/{task_id}": {"task_id": scene.open_task.pk},
        "/api/v1/contests/{contest_id}": {"contest_id": scene.contest.pk},
        "/api/v1/datasets/{dataset_id}": {"dataset_id": scene.dataset.pk},
    }
    for result in api_schema.get_all_operations():
        operation = result.ok()
        case = operation.Case(path_parameters=ids.get(operation.path, {}))
        response = case.call()
        assert response.status_code == 200, (operation.path, response.text[:300])
        case.validate_response(response, checks=CHECKS)
