from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core import indicators


class ActionPlansConfig(AppConfig):
    """Local action plans and programme budgets."""

    name = "apps.action_plans"
    label = "action_plans"
    verbose_name = _("Action plans")

    def ready(self):
        # cycle: app registry -> apps.py -> models: hooks import models, which Django loads only after
        # every AppConfig is imported (the ready() idiom); hooks adds the responsible person's activities
        # to the work queue, home_panels the plans in force to the home page.
        # cycle: app registry -> apps.py -> models (the ready() idiom, as above)
        from . import home_panels, hooks  # noqa: F401

        # The dashboards show the plan's budget, planned against executed (apps/core/indicators.py registry).
        # cycle: app registry -> apps.py -> models (the ready() idiom, as above)
        from .indicators import budget_figures

        indicators.register(budget_figures)
