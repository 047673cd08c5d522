from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, memberships and roles, two-factor login, invitations."""

    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # The first request of an invitation carries its token in the path; no log may keep it.
        from .log_filters import install

        install()
