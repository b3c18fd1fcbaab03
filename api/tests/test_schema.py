"""The published schema, and a bounded schemathesis run against it on the live application: no
response is a server error, and every response (status, content type, body) is the one the schema
states."""

import pytest
import schemathesis
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

SCHEMA_URL = "/api/v1/schema/?format=json"


def test_the_schema_is_openapi_3_with_persian_descriptions_and_english_fields(client):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    assert {
        "/api/v1/inquiries/",
        "/api/v1/inquiries/{tracking_code}/",
        "/api/v1/inquiries/{tracking_code}/info-answer/",
        "/api/v1/inquiries/{tracking_code}/answer/",
        "/api/v1/inquiries/{tracking_code}/answer/pdf/",
        "/api/v1/verify/",
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{webhook_id}/",
        "/api/v1/webhooks/deliveries/",
    } == set(paths)
    assert paths["/api/v1/inquiries/"]["post"]["summary"] == "ثبت استعلام"
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "message", "fields"}
    assert "apiKey" in schema["components"]["securitySchemes"]


@pytest.mark.django_db
def test_an_unknown_api_address_is_a_404_in_the_api_shape(client):
    response = client.post("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def _live_schema():
    from shahrvand.wsgi import application

    return schemathesis.openapi.from_wsgi(SCHEMA_URL, application)


schema = _live_schema()


@pytest.fixture
def keep_test_connection():
    """Calls through the WSGI application end with Django's request_finished, which closes the
    database connection (and with it the test's transaction, on PostgreSQL); Django's own test
    client holds that back the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_the_api_matches_its_schema_and_never_fails(case, bank_key, settings, keep_test_connection):
    settings.API_CALLS_PER_CLIENT = 10_000
    response = case.call(headers={"Authorization": f"Bearer {bank_key}"})
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
