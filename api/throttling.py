"""The public API's rate limit: requests per minute per client address.

django-ninja's AnonRateThrottle, with two changes: the client is the address
accounts.login_throttle.client_ip reads (X-Forwarded-For only from our own proxies, or
anyone could dodge the limit by writing a new address there), and the rate is read from
settings.API_RATE_LIMIT on every request (None switches it off, for the tests that fuzz
the API). The counters live in the default cache, shared by every process on Redis.
"""

import threading

from django.conf import settings
from ninja.throttling import AnonRateThrottle

from accounts.login_throttle import client_ip

DEFAULT_RATE = "60/min"


class ClientRateThrottle(AnonRateThrottle):
    scope = "api"
    cache_format = "api-throttle:%(ident)s"

    def __init__(self):
        super().__init__(rate=DEFAULT_RATE)
        # ninja keeps one throttle object per API and stores the request being checked
        # on it; per thread, so two requests at once do not read each other's history.
        self._local = threading.local()

    # The state ninja's SimpleRateThrottle keeps on the instance, kept per thread.
    key = property(lambda self: self._local.key, lambda self, v: setattr(self._local, "key", v))
    history = property(
        lambda self: self._local.history, lambda self, v: setattr(self._local, "history", v)
    )
    now = property(lambda self: self._local.now, lambda self, v: setattr(self._local, "now", v))

    def allow_request(self, request) -> bool:
        rate = getattr(settings, "API_RATE_LIMIT", DEFAULT_RATE)
        if rate is None:
            self.history = []
            return True
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_ident(self, request) -> str:
        return client_ip(request)

    def get_cache_key(self, request) -> str:
        return self.cache_format % {"ident": self.get_ident(request)}
