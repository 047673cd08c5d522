"""Municipalities over the API: members read theirs, platform admins create and change."""
from rest_framework.permissions import IsAuthenticated

from apps.core.api.permissions import CreateOnlyByPlatformAdmin
from apps.core.api.views import ScopedModelViewSet

from ..models import Municipality
from .serializers import MunicipalitySerializer


class MunicipalityViewSet(ScopedModelViewSet):
    """Municipalities the user belongs to (all for platform admins); changes by platform admins only."""

    queryset = Municipality.objects.all()
    serializer_class = MunicipalitySerializer
    permission_classes = [IsAuthenticated, CreateOnlyByPlatformAdmin]
    filterset_fields = ["is_active", "size_class", "kind"]
