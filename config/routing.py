"""Every app's WebSocket routes, in one list for config.asgi."""

from core.routing import websocket_urlpatterns as core_routes
from messaging.routing import websocket_urlpatterns as messaging_routes

websocket_urlpatterns = [*core_routes, *messaging_routes]
