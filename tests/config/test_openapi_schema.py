"""The published OpenAPI schema (``/api/schema/``) is a valid OpenAPI 3 document, in both
languages, checked by openapi-spec-validator; every ``/api/v1/`` operation has an example."""

import pytest
import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator

pytestmark = pytest.mark.django_db


def _schema(client, language: str) -> dict:
    response = client.get("/api/schema/", {"lang": language})
    assert response.status_code == 200
    return yaml.safe_load(response.content)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_schema_is_valid_openapi(client, language):
    schema = _schema(client, language)
    assert schema["openapi"].startswith("3.0")
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in OpenAPIV30SpecValidator(schema).iter_errors()
    ]
    assert errors == []


def test_every_v1_operation_documents_its_answers(client):
    schema = _schema(client, "en")
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]
    assert operations
    for path, method, operation in operations:
        assert operation.get("summary") or operation.get("description"), (path, method)
        assert any(code.startswith("2") for code in operation["responses"]), (path, method)
