from types import SimpleNamespace
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import resolve_url
from django.utils import translation

from core.email import queue_email

from . import login_throttle


def site() -> SimpleNamespace:
    """The site as allauth's e-mails name it: the product's name (in the language being
    rendered, since it is lazy) and the host of SITE_URL."""
    return SimpleNamespace(name=settings.PRODUCT_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Render in the recipient's language and send through the mail task.

        A known user gets their chosen language; a new address gets the language of the
        page the request came from.
        """
        user = context.get("user")
        if user is None:
            user = get_user_model().objects.filter(email__iexact=email).first()
        language = getattr(user, "language", None) or translation.get_language()
        # allauth's templates greet with the site's name and quote the address; without
        # django.contrib.sites both were empty.
        context = {"email": email, "current_site": site(), **context}
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        queue_email(message)

    def get_login_redirect_url(self, request):
        """After logging in (with no ?next=), My page in the person's own language: the
        account says which, whatever page or browser they logged in from."""
        language = getattr(request.user, "language", "") or translation.get_language()
        with translation.override(language):
            return resolve_url(settings.LOGIN_REDIRECT_URL)

    # --- Log-in throttling (accounts.login_throttle) -----------------------------------

    def get_client_ip(self, request) -> str:
        return login_throttle.client_ip(request)

    def pre_authenticate(self, request, **credentials):
        super().pre_authenticate(request, **credentials)  # the per-address limit
        if credentials.get("email"):
            login_throttle.check(request, credentials["email"])

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and credentials.get("email"):
            login_throttle.succeeded(request, credentials["email"])
        return user

    def authentication_failed(self, request, **credentials):
        if credentials.get("email"):
            login_throttle.failed(request, credentials["email"])

    def _delete_login_attempts_cached_email(self, request, **credentials):
        super()._delete_login_attempts_cached_email(request, **credentials)
        if credentials.get("email"):
            login_throttle.forget(credentials["email"])

    def send_account_already_exists_mail(self, email):
        """allauth's, with the log-in link too: most who sign up twice only forgot."""
        self.send_mail(
            "account/email/account_already_exists",
            email,
            # Called by the template, inside the owner's language: links open in it too.
            {
                "login_url": lambda: settings.SITE_URL + resolve_url("account_login"),
                "password_reset_url": (
                    lambda: settings.SITE_URL + resolve_url("account_reset_password")
                ),
            },
        )
