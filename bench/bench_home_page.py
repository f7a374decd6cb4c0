"""The Japanese and English home pages, anonymous, at the seeded scale."""

from django.test import Client

from .harness import figure, measure_requests

DESCRIPTION = "GET / and /en/ as an anonymous visitor: server time and queries per request"


def run(args) -> dict:
    client = Client()
    figures = {}
    for label, path in (("ja", "/"), ("en", "/en/")):
        measured = measure_requests(client, path, repeat=args.repeat)
        figures[f"{label}_p50_ms"] = figure(measured["p50_ms"], "<= 30", "ms")
        figures[f"{label}_p95_ms"] = figure(measured["p95_ms"], "<= 60", "ms")
        figures[f"{label}_queries"] = figure(measured["queries"], "<= 8")
    return figures
