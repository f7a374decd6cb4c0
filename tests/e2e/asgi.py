"""The site's ASGI application with static files, for daphne processes the browser tests start."""

from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

from config.asgi import application as site

application = ASGIStaticFilesHandler(site)
