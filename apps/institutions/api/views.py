"""Institutions over the API: scoped reads; platform admins create; institution admins change their own."""
import django_filters
from rest_framework.permissions import IsAuthenticated

from apps.core.api.permissions import CreateOnlyByPlatformAdmin
from apps.core.api.views import ScopedModelViewSet

from ..models import Institution
from .serializers import InstitutionSerializer


class InstitutionFilter(django_filters.FilterSet):
    """Narrowing filters (plain ids: an unknown id gives an empty list, not an error)."""

    municipality = django_filters.NumberFilter(field_name="municipality_id")

    class Meta:
        model = Institution
        fields = ["municipality", "type", "is_active"]


class InstitutionViewSet(ScopedModelViewSet):
    """Institutions of the user's municipalities; updates follow the queryset's "change" scope."""

    queryset = Institution.objects.all()
    serializer_class = InstitutionSerializer
    permission_classes = [IsAuthenticated, CreateOnlyByPlatformAdmin]
    filterset_class = InstitutionFilter
