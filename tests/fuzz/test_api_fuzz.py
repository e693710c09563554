"""Schemathesis over the OpenAPI schema of ``/api/``: every operation, as an anonymous visitor,
a member of a verified buyer and a member of a verified exhibitor.

Requests go straight to the WSGI application (no server). Each operation gets examples that
fit the schema and examples that break it; no answer may be a 5xx, and every 4xx must be
JSON that says what is wrong: ``{"error": code, "detail": text}``, or for bad parameters a
``detail`` naming the parameters.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.test import Client
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import GenerationMode

from tests.factories.buyers import BuyerFactory
from tests.factories.catalogue import ProductFactory
from tests.factories.members import MembershipFactory
from tests.factories.negotiation import sourcing_request

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

EXAMPLES_PER_MODE = 20  # positive and negative: 40 examples per operation and role
ROLES = ["anonymous", "buyer", "exhibitor"]


@dataclass
class Findings:
    calls: dict[str, int] = field(default_factory=dict)
    problems: dict[tuple[str, int, str], str] = field(default_factory=dict)

    def add(self, operation: str, status: int, problem: str, case) -> None:
        key = (operation, status, problem)
        if key not in self.problems:
            self.problems[key] = f"{case.method} {case.formatted_path} query={case.query!r}"


@pytest.fixture
def catalogue(settings):
    """Something for the searches to find and the matches to weigh, in the database backend."""
    from search.indexing import drain

    settings.ELASTICSEARCH_URL = ""
    exhibitor_member = MembershipFactory(user__email="fuzz-exhibitor@example.com")
    buyer_member = MembershipFactory(
        exhibitor=None, buyer=BuyerFactory(), user__email="fuzz-buyer@example.com"
    )
    ProductFactory(exhibitor=exhibitor_member.exhibitor, title="卫龙大面筋辣条", title_en="Big gluten latiao")
    ProductFactory(title="王中王火腿肠", title_en="Premium ham sausage", category="meat-ham-sausage")
    request = sourcing_request(buyer=buyer_member.buyer)
    drain()
    return {"exhibitor": exhibitor_member, "buyer": buyer_member, "request": request}


@pytest.fixture
def wsgi_app():
    """The WSGI application, without closing the test's database connection after each
    request (as Django's test client does not either)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def session_cookies(membership) -> dict[str, str]:
    if membership is None:
        return {}
    client = Client()
    client.force_login(membership.user)
    return {name: morsel.value for name, morsel in client.cookies.items()}


def own_subjects(role: str, catalogue: dict) -> list[dict]:
    """Path parameters that reach the member's own company in the match API, so the fuzzed
    query parameters are read by the matching itself, not only by the 404 of a stranger."""
    if role == "buyer":
        buyer = catalogue["buyer"].buyer
        return [
            {"kind": "buyer", "key": buyer.key},
            {"kind": "request", "key": f"{buyer.key}/{catalogue['request'].reference}"},
        ]
    if role == "exhibitor":
        return [{"kind": "exhibitor", "key": catalogue["exhibitor"].exhibitor.key}]
    return []


def check(response, operation, case, findings: Findings) -> None:
    label = operation.label
    findings.calls[label] = findings.calls.get(label, 0) + 1
    status = response.status_code
    if status >= 500:
        findings.add(label, status, "server error", case)
        return
    if not 400 <= status < 500:
        return
    content_type = response.headers.get("content-type", [""])[0]
    if not content_type.startswith("application/json"):
        findings.add(label, status, f"4xx that is not JSON ({content_type})", case)
        return
    body = response.json()
    if not isinstance(body, dict) or not body.get("error") or not body.get("detail"):
        findings.add(label, status, f"4xx without error and detail: {body!r:.200}", case)
        return
    detail = body["detail"]
    if isinstance(detail, dict):
        known = {p.name for p in operation.query} | {p.name for p in operation.path_parameters}
        known |= body_fields(operation)
        unknown = set(detail) - known - {"non_field_errors"}
        if unknown or not all(detail.values()):
            findings.add(label, status, f"detail names no parameter of the operation: {detail!r:.200}", case)


def body_fields(operation) -> set[str]:
    """The field names of the operation's request body, in every media type it takes. A
    ``$ref`` is followed: schemathesis bundles the components it points at into the body's
    own ``x-bundled`` map; an unbundled one points into the schema's ``components``."""
    raw = getattr(getattr(operation, "schema", None), "raw_schema", None) or {}
    components = raw.get("components", {}).get("schemas", {})
    names = set()
    for body in getattr(operation, "body", []):
        schema = body.definition.get("schema", {})
        ref = schema.get("$ref", "")
        if ref.startswith("#/x-bundled/"):
            schema = schema.get("x-bundled", {}).get(ref.rsplit("/", 1)[-1], {})
        elif ref:
            schema = components.get(ref.rsplit("/", 1)[-1], {})
        names |= set(schema.get("properties", {}))
    return names


def has_parameters(operation) -> bool:
    return bool(list(operation.query) or list(operation.path_parameters) or list(operation.body))


def fuzz_operation(operation, *, cookies: dict, subjects: list[dict], findings: Findings) -> None:
    # An operation without parameters has nothing to break: one request says all.
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE] if has_parameters(operation) else []
    strategies = [operation.as_strategy(mode) for mode in modes] or [operation.as_strategy()]
    if subjects and any(p.name == "key" for p in operation.path_parameters):
        strategies += [operation.as_strategy(path_parameters=subject) for subject in subjects]
    for number, strategy in enumerate(strategies):

        @seed(20261207 + number)
        @settings(
            max_examples=EXAMPLES_PER_MODE,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case):
            check(case.call(cookies=cookies), operation, case, findings)

        run()


@pytest.mark.parametrize("role", ROLES)
def test_no_operation_answers_a_server_error_or_a_4xx_without_json(role, catalogue, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    cookies = session_cookies(catalogue.get(role))
    findings = Findings()
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4  # categories, products, exhibitors, match
    for operation in operations:
        fuzz_operation(operation, cookies=cookies, subjects=own_subjects(role, catalogue), findings=findings)

    print(
        f"\n{role}: {len(operations)} operations, {sum(findings.calls.values())} requests "
        f"in {time.monotonic() - started:.1f}s: {findings.calls}"
    )
    assert set(findings.calls) == {operation.label for operation in operations}
    fuzzed = [operation.label for operation in operations if has_parameters(operation)]
    assert fuzzed and all(findings.calls[label] >= 2 * EXAMPLES_PER_MODE for label in fuzzed), findings.calls
    assert findings.problems == {}, "\n".join(
        f"{operation} -> {status}: {problem}\n    e.g. {example}"
        for (operation, status, problem), example in findings.problems.items()
    )


def test_the_check_catches_a_server_error_and_a_bare_4xx():
    """The check itself: a 500, an HTML 404 and a JSON 400 without detail are all findings."""

    class Operation:
        label = "GET /api/x/"
        query = []
        path_parameters = []

    class Case:
        method, formatted_path, query = "GET", "/api/x/", {}

    class Response:
        def __init__(self, status, content_type, body=None):
            self.status_code, self.headers, self._body = status, {"content-type": [content_type]}, body

        def json(self):
            return self._body

    findings = Findings()
    check(Response(500, "text/html"), Operation, Case, findings)
    check(Response(404, "text/html"), Operation, Case, findings)
    check(Response(400, "application/json", {"error": "invalid"}), Operation, Case, findings)
    check(
        Response(400, "application/json", {"error": "invalid", "detail": {"nope": ["bad"]}}),
        Operation,
        Case,
        findings,
    )
    check(
        Response(404, "application/json", {"error": "not_found", "detail": "No such page."}),
        Operation,
        Case,
        findings,
    )
    assert [status for _op, status, _p in findings.problems] == [500, 404, 400, 400]
