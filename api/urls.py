from django.urls import path

from . import docs
from .v1 import api

# No app namespace: django-ninja reverses its own "api-v1:…" names from the root.
urlpatterns = [
    # Before the API's own patterns: ninja's docs page is switched off (it needs a CDN).
    path("v1/docs", docs.docs_page, name="api_docs"),
    path("v1/", api.urls),
]
