"""A test-only app that plugs into search, messaging and moderation the way contests will:
through their registries, with no line of search/, messaging/ or moderation/ knowing it.

Installed only under test settings (config.settings: TESTING).
"""
