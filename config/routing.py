"""Every app's WebSocket routes, in one list for config.asgi."""

from django.urls import re_path

from core.routing import websocket_urlpatterns as core_routes
from core.sockets import NotFoundConsumer
from messaging.routing import websocket_urlpatterns as messaging_routes

websocket_urlpatterns = [
    *core_routes,
    *messaging_routes,
    # Last: any other path is refused (4404) rather than raising in the router.
    re_path(r"", NotFoundConsumer.as_asgi()),
]
