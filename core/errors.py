"""Errors that speak the domain, not HTTP.

Services raise these; a view, a socket consumer, a Celery task or a webhook all call the
same service and decide what the error means for them. For HTTP that happens in one
place, `core.middleware.DomainErrorMiddleware`: 404, 403, 409 and 429.

Validation of user input stays `django.core.exceptions.ValidationError`, which forms
already know how to show next to the field it is about.
"""


class DomainError(Exception):
    """Base class. `message` is shown to the person when there is one to show."""

    status = 400
    code = "error"
    default_message = ""

    def __init__(self, message: str = "", **details):
        super().__init__(message or self.default_message)
        self.message = str(message or self.default_message)
        self.details = details

    @property
    def messages(self) -> list[str]:
        """Like ValidationError.messages, so one idiom shows both."""
        return [self.message] if self.message else []


class NotFound(DomainError):
    """Nothing there for this person: it does not exist, or they may not know it does."""

    status = 404
    code = "not_found"


class NotAllowed(DomainError):
    """The person is known not to be allowed to do this."""

    status = 403
    code = "not_allowed"


class Conflict(DomainError):
    """The object is not in a state that allows this (already answered, closed, ...)."""

    status = 409
    code = "conflict"


class RateLimited(DomainError):
    """Too much, too fast. `retry_after` in seconds, when known."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str = "", *, retry_after: int | None = None, **details):
        super().__init__(message, **details)
        self.retry_after = retry_after
