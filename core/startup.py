"""Checks a production server process makes before it takes a request."""

import sys
from pathlib import Path

from django.conf import settings


def require_static_manifest() -> None:
    """Without collected static files every page would be a 500 while /healthz says 200:
    refuse to start instead, saying what to run."""
    if settings.DJANGO_ENV != "production":
        return
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        sys.stderr.write(
            f"Refusing to start with DJANGO_ENV=production: no {manifest}; "
            "run `manage.py collectstatic --no-input` first.\n"
        )
        raise SystemExit(1)
