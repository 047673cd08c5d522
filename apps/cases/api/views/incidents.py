"""Incidents of violence."""
from __future__ import annotations

from ...models import Incident
from ..serializers.incidents import IncidentSerializer
from .base import RecordViewSet, record_docs


@record_docs(IncidentSerializer)
class IncidentViewSet(RecordViewSet):
    """Incidents of violence."""
    queryset = Incident.objects.all()
    serializer_class = IncidentSerializer
