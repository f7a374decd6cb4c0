"""Every e-mail about something on the site is also a notice in the centre."""

from django.dispatch import receiver

from core.email import user_emailed

from . import services


@receiver(user_emailed)
def keep_notice(sender, user, template: str, subject: str, link: str, **kwargs):
    # The template names the kind ("marketplace/email/match_made.txt" → "marketplace.match_made").
    app, _, name = template.removesuffix(".txt").partition("/email/")
    services.notify(user, f"{app}.{name.replace('/', '.')}", subject, link)
