"""The API's documentation page, rendered on the server from the OpenAPI document.

Swagger UI (django-ninja's default docs) loads its script and styles from a CDN, which
the site's Content-Security-Policy forbids and which the wards' networks may not reach.
This page needs no JavaScript: each operation with its parameters, a request to try
(a plain link) and an example answer built from the schema's examples.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from .language import in_request_language
from .throttling import DEFAULT_RATE, ClientRateThrottle
from .v1 import LICENCE, api

# Example values for the request shown under each operation (a ward, a category…).
EXAMPLE_QUERIES = {
    "listTasks": {"ward": "131067", "remote": "true", "limit": 5},
    "listContests": {"state": "entry_open", "limit": 5},
    "listDatasets": {"format": "CSV", "limit": 5},
}
EXAMPLE_PATHS = {"task_id": 1, "contest_id": 1, "dataset_id": 1}


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _type_of(spec: dict, schema: dict) -> str:
    schema = _resolve(spec, schema)
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "anyOf" in schema:
        kinds = [_type_of(spec, s) for s in schema["anyOf"] if s.get("type") != "null"]
        return " | ".join(kinds)
    kind = schema.get("type", "object")
    if kind == "array":
        return f"array of {_type_of(spec, schema.get('items', {}))}"
    if schema.get("format"):
        return f"{kind} ({schema['format']})"
    return kind


def example(spec: dict, schema: dict, depth: int = 0):
    """A value that matches `schema`, from its examples where it gives any."""
    schema = _resolve(spec, schema)
    if schema.get("examples"):
        return schema["examples"][0]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return example(spec, options[0], depth) if options else None
    if "allOf" in schema:
        return example(spec, schema["allOf"][0], depth)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 6:
            return {}
        return {
            name: example(spec, sub, depth + 1)
            for name, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [example(spec, schema.get("items", {}), depth + 1)]
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return True
    if schema.get("format") == "date-time":
        return "2027-04-01T00:00:00Z"
    if schema.get("format") == "date":
        return "2027-04-30"
    return "…"


def _translated(text: str) -> str:
    # The schema's texts are English msgids (gettext_noop in api.v1 and api.schemas).
    return _(text) if text else ""


def operations(spec: dict, base: str) -> list[dict]:
    found = []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            parameters = []
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                parameters.append(
                    {
                        "name": parameter["name"],
                        "location": parameter["in"],
                        "type": _type_of(spec, schema),
                        "required": parameter.get("required", False),
                        "default": schema.get("default"),
                        "description": _translated(
                            parameter.get("description") or schema.get("description", "")
                        ),
                    }
                )
            op_id = operation["operationId"]
            url = path.format(**EXAMPLE_PATHS)
            query = EXAMPLE_QUERIES.get(op_id)
            if query:
                url = f"{url}?{urlencode(query)}"
            # Status codes are ints in ninja's dict, strings once it is JSON.
            responses = {str(code): answer for code, answer in operation["responses"].items()}
            ok = responses["200"]["content"]["application/json"]["schema"]
            found.append(
                {
                    "id": op_id,
                    "method": method.upper(),
                    "path": path,
                    "summary": _translated(operation.get("summary", "")),
                    "description": _translated(operation.get("description", "")),
                    "parameters": parameters,
                    "example_url": f"{base}{url}",
                    "example_response": json.dumps(example(spec, ok), ensure_ascii=False, indent=2),
                    "statuses": sorted(code for code in responses if code != "200"),
                }
            )
    return found


@in_request_language
def docs_page(request):
    spec = api.get_openapi_schema()
    base = request.build_absolute_uri("/api/v1").rstrip("/")
    return render(
        request,
        "api/docs.html",
        {
            "spec": spec,
            "operations": operations(spec, base),
            "openapi_url": request.build_absolute_uri(spec_url()),
            "licence": LICENCE,
            "base_url": base,
            "rate": _rate(),
            "version": spec["info"]["version"],
        },
    )


def _rate() -> dict | None:
    rate = getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE)
    if rate is None:
        return None
    count, seconds = ClientRateThrottle().parse_rate(rate)
    return {"count": count, "seconds": seconds}


def spec_url() -> str:
    from django.urls import reverse

    return reverse("api-v1:openapi-json")
