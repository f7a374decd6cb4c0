"""The API's language: from the request (Accept-Language, or the site's language cookie).

The site's own pages take their language from the address (Japanese at the root, English
under /en/), so LocaleMiddleware gives every address outside /en/ Japanese; the API has
one address for both, and reads the header instead.
"""

from functools import wraps

from django.utils import translation
from django.utils.cache import patch_vary_headers


def in_request_language(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return wrapper
