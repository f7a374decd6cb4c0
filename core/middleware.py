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
