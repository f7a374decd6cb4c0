from django.apps import AppConfig


class FrontendConfig(AppConfig):
    """Templates, static files and template tags. No models."""

    name = "frontend"
