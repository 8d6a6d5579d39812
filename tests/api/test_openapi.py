"""The OpenAPI document is 3.1, lists every route, and every route keeps to it.

The contract test goes over the document's own paths (a new route is tested the day it is
added): each is called in-process with a valid token and valid parameters (real ids, all
filters), then with generated ones (schemathesis + hypothesis), and every response, errors
included, is validated against the schema the document gives for its status code.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from schemathesis.openapi.checks import JsonSchemaError
from schemathesis.specs.openapi.checks import positive_data_acceptance

from saring.accounts.scope import SYSTEM
from saring.api.cursors import encode
from saring.api.root import api
from saring.api.services import issue_token
from saring.monitoring.models import Post

pytestmark = pytest.mark.django_db
DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1/")
SCHEMA = schemathesis.openapi.from_dict(copy.deepcopy(DOCUMENT))
SCHEMA.app = get_wsgi_application()
OPERATIONS = [(path, method) for path, item in DOCUMENT["paths"].items() for method in item]
# Reads are called with real values below; writes (a report, a decision) need a body, which the
# generated requests give them, and their own tests in tests/cases check their answers.
READS = [(path, method) for path, method in OPERATIONS if method == "get"]
# Every value a route's filters take, each tried once with real data behind it.
FILTER_VALUES = {
    "q": "surat suara",
    "province": "32",
    "regency": "32.73",
    "platform": "x",
    "language": "id",
    "category": "any",
    "election": "true",
    "start": "2024-02-01",
    "end": "2024-02-29",
    "sort": None,  # every choice, from the document's enum
    "status": None,
    "verdict": None,
    "alerts": "true",
    "page": "1",
    "page_size": "2",
    "kind": None,  # /elections
    "region": "18",
    "on": "2024-02-12",
    "stage": "pemilu.2024-02-14:quiet",  # /posts
    "speaker": None,
    "state": None,  # /cases, /escalations
    "priority": None,
    "assignee": None,
    "overdue": "true",
    "since": encode(datetime(2000, 1, 1, tzinfo=UTC), "0"),  # every change since 2000
    "notice": None,  # /announcements
    "topic": None,  # /pages, /faqs
}


@pytest.fixture
def app_in_test_transaction():
    """Django's WSGI handler closes the database connection after each request, which would
    end the test's transaction; the test client avoids it the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield SCHEMA.app
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _routes(resolver: URLResolver, prefix: str = "") -> list[str]:
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            found += _routes(entry, route)
        elif isinstance(entry, URLPattern):
            found.append(route)
    return found


def test_the_document_is_openapi_3_1_served_at_the_documented_address(client):
    response = client.get("/api/v1/openapi.json")  # no login, no token: the contract is public
    assert response.status_code == 200
    served = response.json()
    assert served["openapi"].startswith("3.1.")
    assert served["info"]["title"] == "Saring API" and served["info"]["version"] == "1"
    assert served["paths"] == json.loads(json.dumps(DOCUMENT["paths"]))
    assert set(served["components"]["securitySchemes"]) == {"BearerToken", "Session"}


def test_the_document_lists_every_route_the_api_serves():
    served = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for route in _routes(get_resolver())
        if route.startswith("api/v1/")
        and not route.endswith(("openapi.json", "docs", "^.*$"))
        and route != "api/v1/"
    }
    assert served and served == set(DOCUMENT["paths"])


def test_the_browsable_docs_load_without_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    body = response.content.decode()
    assert "ninja/swagger-ui-bundle.js" in body and "cdn" not in body.lower()


@pytest.fixture
def headers(world) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(SYSTEM, world.bandung).secret}"}


def _path_value(path: str, name: str, world) -> int:
    if name == "number":
        return world.narrative.number
    if path.startswith("/api/v1/elections/"):
        return "pilkada.1871.2024-11-27"
    if path.startswith("/api/v1/cases/"):
        return world.case.pk
    if path.startswith("/api/v1/escalations/"):
        return world.escalation.pk
    if path.startswith("/api/v1/reports/"):
        return "LP-WORLD001"
    if path.startswith("/api/v1/posts/"):
        return Post.objects.order_by("id").first().pk
    for list_name, slug in world.guide_slugs.items():
        if path.startswith(f"/api/v1/{list_name}/"):
            return slug
    assert path.startswith("/api/v1/clarifications/"), f"{path}: give {name!r} a test value"
    return world.published.pk


def _calls(path: str, operation: dict, world):
    """(path parameters, query) pairs for one operation: bare, then each filter alone with a
    meaningful value, and every choice of each enumerated filter."""
    path_parameters = {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] == "path":
            path_parameters[parameter["name"]] = _path_value(path, parameter["name"], world)
    yield path_parameters, {}
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "query":
            continue
        name, schema = parameter["name"], parameter["schema"]
        choices = schema.get("enum") or next(
            (s["enum"] for s in schema.get("anyOf", []) if "enum" in s), None
        )
        assert name in FILTER_VALUES, f"{path}: give the new filter {name!r} a test value"
        for value in choices or [FILTER_VALUES[name]]:
            yield path_parameters, {name: value}


@pytest.mark.parametrize(("path", "method"), READS)
def test_every_route_answers_as_its_schema_says(
    app_in_test_transaction, world, headers, path, method
):
    operation = SCHEMA[path][method.upper()]
    calls = list(_calls(path, DOCUMENT["paths"][path][method], world))
    statuses = set()
    for path_parameters, query in calls:
        case = operation.Case(path_parameters=path_parameters, query=query, headers=headers)
        response = case.call()
        statuses.add(response.status_code)
        assert response.status_code == 200, (query, response.content[:500])
        operation.validate_response(response)  # raises when the body breaks the schema
        if "count" in response.json():
            assert response.json()["results"] or query, f"{path} {query}: an empty page"
    # The documented errors keep to their schemas too; a public route (no security, or `{}`
    # among its schemes: the guide, elections, clarifications) answers without a token.
    security = DOCUMENT["paths"][path][method].get("security")
    public = security is None or {} in security
    for query in [{}] + [q for _p, q in calls[1:]] if public else [{}]:
        unauthenticated = operation.Case(
            path_parameters=calls[0][0], query=query, headers={}
        ).call()
        assert unauthenticated.status_code == (200 if public else 401), (query, path)
        operation.validate_response(unauthenticated)
        assert "Authorization" in str(unauthenticated.headers.get("vary")) or not public
    if calls[0][0]:
        missing = operation.Case(
            path_parameters=dict.fromkeys(calls[0][0], 987654321), headers=headers
        ).call()
        assert missing.status_code == 404
        operation.validate_response(missing)


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_generated_requests_get_answers_their_schema_allows(
    app_in_test_transaction, world, headers, path, method
):
    operation = SCHEMA[path][method.upper()]

    @settings(
        max_examples=40,
        derandomize=True,  # the same examples on every run: CI does not flake
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,  # no .hypothesis directory in the tree
    )
    @given(case=operation.as_strategy())
    def check(case):
        # Every check (schema conformance, status codes, no 5xx, ...) but "a schema-valid request
        # is accepted": a well-formed but unknown province or category is a documented 422.
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    check()


def test_the_contract_check_fails_on_a_body_the_schema_does_not_allow(
    app_in_test_transaction, world, headers
):
    operation = SCHEMA["/api/v1/posts"]["GET"]
    response = operation.Case(query={"province": "all"}, headers=headers).call()
    operation.validate_response(response)
    body = response.json()
    del body["results"][0]["flags"]
    response.content = json.dumps(body).encode()
    response.clear_cache()
    with pytest.raises(JsonSchemaError, match='"flags" is a required property'):
        operation.validate_response(response)
