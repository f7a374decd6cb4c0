import os

import pytest


@pytest.fixture(
    params=[
        "search.backends.embedded.EmbeddedBackend",
        pytest.param(
            "search.backends.elasticsearch.ElasticsearchBackend",
            marks=pytest.mark.skipif(
                not os.environ.get("ELASTICSEARCH_URL"),
                reason="needs a live Elasticsearch server (ELASTICSEARCH_URL), which cannot "
                "be installed on these machines; mapping and queries are unit-tested instead",
            ),
        ),
    ],
    ids=["embedded", "elasticsearch"],
)
def search_backend(request, settings):
    """The contract suite runs on every backend that can exist here."""
    settings.SEARCH_BACKEND = request.param
    settings.SEARCH_INDEX_PREFIX = f"test-{os.getpid()}"
    from search.backends.base import get_backend

    backend = get_backend()
    backend.rebuild([])
    yield backend
    backend.rebuild([])
