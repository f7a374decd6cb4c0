from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """wagtail.users with forms that leave roles, groups and activation to the services
    (accounts.wagtail_users)."""

    user_viewset = "accounts.wagtail_users.UserViewSet"
