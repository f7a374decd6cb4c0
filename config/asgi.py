"""ASGI entry point: HTTP through Django, WebSocket through Channels.

Run with `daphne config.asgi:application` (or `manage.py runserver`, which uses Daphne).
Sockets are authenticated by the same session cookie as pages and must come from an
allowed host, so another site cannot open a socket with a visitor's cookie.
"""

import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Django must be set up before the routing imports consumers and models.
django_asgi_app = get_asgi_application()

from core.startup import require_static_manifest  # noqa: E402

require_static_manifest()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)

# What is loaded by now lives as long as the process: keep it out of the collector's full
# passes, which otherwise walk all of Django each time (pauses of 200 ms and more were
# measured in `python -m bench messaging` with 500 sockets open).
gc.freeze()
