"""Art. 16 risk assessments."""
from __future__ import annotations

from ...models import RiskAssessment
from ..serializers.risk import RiskAssessmentSerializer
from .base import RecordViewSet, record_docs


@record_docs(RiskAssessmentSerializer)
class RiskAssessmentViewSet(RecordViewSet):
    """Art. 16 risk assessments; creating one answers what it asks of the team (conference, plan, prosecutor)."""
    queryset = RiskAssessment.objects.all()
    serializer_class = RiskAssessmentSerializer
