"""The API documentation page: Redoc served from our own static files, no inline script."""
from csp.decorators import csp_update
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView


# Redoc styles itself with injected <style> elements and builds its search index in a blob: worker;
# this page (no personal data on it) allows exactly that, scripts stay 'self' only.
@method_decorator(
    csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}),
    name="dispatch",
)
class ApiDocsView(LoginRequiredMixin, TemplateView):
    """Redoc rendering of /api/schema/ for developers integrating with the platform."""

    template_name = "core/api_docs.html"
