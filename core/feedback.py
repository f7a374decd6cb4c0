"""Showing a service's refusal to the person: next to the form field it is about, or as
a message on the page they return to. One idiom for every view."""

from contextlib import contextmanager

from django.contrib import messages
from django.core.exceptions import ValidationError

from .errors import Conflict, RateLimited

# What a person can fix or wait out. NotFound and NotAllowed are not among them: they
# travel on to DomainErrorMiddleware and become a 404 or 403.
SHOWN = (ValidationError, Conflict, RateLimited)


def add_form_errors(form, error) -> None:
    """Attach a service's error to the form that fed it (by field when it names one)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@contextmanager
def errors_as_messages(request):
    """`with errors_as_messages(request): service(...)`: a refusal becomes an error
    message on the next page instead of an error page."""
    try:
        yield
    except SHOWN as error:
        messages.error(request, " ".join(error.messages))
