from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import resolve_url
from django.utils import translation

from core.email import queue_email


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
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        queue_email(message)

    def get_login_redirect_url(self, request):
        """After logging in (with no ?next=), My page in the person's own language: the
        account says which, whatever page or browser they logged in from."""
        language = getattr(request.user, "language", "") or translation.get_language()
        with translation.override(language):
            return resolve_url(settings.LOGIN_REDIRECT_URL)
