from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    """Local action plans and programme budgets."""

    name = "apps.action_plans"
    label = "action_plans"
    verbose_name = _("Action plans")
