"""Institution pages."""
from apps.core.views import ScopedDetailView, ScopedListView

from .models import Institution


class InstitutionListView(ScopedListView):
    """Institutions of the user's municipalities."""

    model = Institution
    template_name = "institutions/list.html"
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().select_related("municipality")


class InstitutionDetailView(ScopedDetailView):
    """One institution and its contact data."""

    model = Institution
    template_name = "institutions/detail.html"
