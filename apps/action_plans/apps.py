from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionPlansConfig(AppConfig):
    """Local action plans and programme budgets."""

    name = "apps.action_plans"
    label = "action_plans"
    verbose_name = _("Action plans")

    def ready(self):
        # cycle: app registry -> apps.py -> models: hooks import models, which Django loads only after
        # every AppConfig is imported (the ready() idiom); hooks adds the responsible person's activities
        # to the work queue.
        from . import hooks  # noqa: F401
