from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Domestic-violence cases from first report to closure."""

    name = "apps.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self):
        # cycle: app registry -> apps.py -> models: these modules import models, which Django loads only
        # after every AppConfig is imported, so they are imported here (the ready() idiom), not at the top.
        # home_panels registers the work queue on the home page.
        # cycle: app registry -> apps.py -> models (the ready() idiom, as above)
        from . import access_queue, home_panels, hooks, querysets  # noqa: F401

        # Coordinators see in their work queue who was given access to cases (apps/accounts/notices.py).
        hooks.register(hooks.work_queue_sections, access_queue.access_notices_section)
