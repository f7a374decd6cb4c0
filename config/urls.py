from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from contests.views.sponsors import stripe_webhook
from core.views import admin_login_redirect, healthz, switch_language

# Both admins log in through allauth, so rate limits and two-factor authentication apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Not Django's set_language: it translates an already translated address again.
    path("i18n/setlang/", switch_language, name="set_language"),
    path("admin/login/", admin_login_redirect),
    path(
        "admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password", query_string=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    # Stripe posts here whatever the language; the signature is its authentication.
    path("payouts/stripe/webhook/", stripe_webhook, name="stripe_webhook"),
    # The public read API: one address whatever the language (Accept-Language picks it).
    path("api/", include("api.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Japanese lives at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("search/", include("search.urls")),
    path("messages/", include("messaging.urls")),
    path("notifications/", include("notifications.urls")),
    path("kpi/", include("insights.urls")),
    path("", include("moderation.urls")),
    path("", include("marketplace.urls")),
    path("contests/", include("contests.urls")),
    # Wagtail's catch-all serves the CMS pages and must stay last.
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
