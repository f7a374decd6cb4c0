"""What the contest page shows beyond its own fields (for the person looking at it)."""


def contest_context(page, request) -> dict:
    return {}
