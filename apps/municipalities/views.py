"""Municipality pages."""
from apps.core.views import ScopedDetailView, ScopedListView

from .models import Municipality


class MunicipalityListView(ScopedListView):
    """Municipalities the user belongs to (all of them for platform admins)."""

    model = Municipality
    template_name = "municipalities/list.html"
    paginate_by = 50


class MunicipalityDetailView(ScopedDetailView):
    """A municipality, its settings and institutions."""

    model = Municipality
    template_name = "municipalities/detail.html"
    slug_field = "slug"

    def get_context_data(self, **kwargs):
        from apps.institutions.models import Institution

        ctx = super().get_context_data(**kwargs)
        ctx["institutions"] = Institution.objects.visible_to(self.request.user).filter(municipality=self.object)
        return ctx
