"""WSGI entry point, for deployments that serve plain HTTP only (no WebSocket)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from core.startup import require_static_manifest  # noqa: E402 - needs Django set up

require_static_manifest()
