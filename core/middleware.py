from csp.middleware import CSPMiddleware, PolicyParts

# Wagtail's admin (and Django's) ship inline styles and scripts; the public site does not.
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class SiteCSPMiddleware(CSPMiddleware):
    """The strict site-wide policy, relaxed only where the admin's own assets need it."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(ADMIN_PREFIXES):
            parts.update = {
                **(parts.update or {}),
                "script-src": ["'unsafe-inline'"],
                "style-src": ["'unsafe-inline'"],
                "frame-src": ["'self'"],
            }
        return parts


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header."""

    def __init__(self, get_response):
        from django.conf import settings

        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


class DomainErrorMiddleware:
    """The one place where the services' domain errors become HTTP answers.

    NotFound → 404 and NotAllowed → 403 through Django's own handlers (their pages, their
    logging); Conflict → 409 and RateLimited → 429 (with Retry-After) on the error page,
    with the service's message. A view that wants the message on its own page (next to a
    form, say) catches the error itself; everything else ends up here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.core.exceptions import PermissionDenied
        from django.http import Http404
        from django.shortcuts import render

        from .errors import Conflict, NotAllowed, NotFound, RateLimited

        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        if isinstance(exception, NotAllowed):
            raise PermissionDenied(exception.message) from exception
        if isinstance(exception, Conflict | RateLimited):
            response = render(request, "error.html", {"error": exception}, status=exception.status)
            if isinstance(exception, RateLimited) and exception.retry_after:
                response["Retry-After"] = str(exception.retry_after)
            return response
        return None
