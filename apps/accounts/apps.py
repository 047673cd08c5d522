from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from .log_filters import install as install_log_filters


class AccountsConfig(AppConfig):
    """Users, memberships and roles, two-factor login, invitations."""

    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Modules that define or load models wait until the registry has loaded every app.
        # cycle: app registry -> accounts.apps -> models -> app registry
        from apps.municipalities.onboarding import register_admin_inviter

        # cycle: app registry -> accounts.apps -> models -> app registry
        from .invitations import onboarding_admin_invite

        # The first request of an invitation carries its token in the path; no log may keep it.
        install_log_filters()
        # Onboarding a municipality (a layer below) invites its first admins through this app.
        register_admin_inviter(onboarding_admin_invite)
