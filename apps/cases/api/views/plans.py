"""Individual protection and support plans and their measures."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action

from apps.core.api.errors import service_errors
from apps.core.api.versioning import IF_MATCH, VersionedUpdateMixin, version_from_if_match

from ...models import PlanMeasure, ProtectionPlan
from ...services import plans as plan_services
from ..serializers.plans import PlanMeasureSerializer, PlanMeasureStatusSerializer, ProtectionPlanSerializer
from .base import VERSIONED_ERRORS, RecordViewSet, versioned_docs


@versioned_docs(ProtectionPlanSerializer)
class ProtectionPlanViewSet(VersionedUpdateMixin, mixins.UpdateModelMixin, RecordViewSet):
    """Individual protection and support plans."""
    queryset = ProtectionPlan.objects.all()
    serializer_class = ProtectionPlanSerializer
    versioned = True


@versioned_docs(PlanMeasureSerializer)
class PlanMeasureViewSet(VersionedUpdateMixin, mixins.UpdateModelMixin, RecordViewSet):
    """Measures of the plans; status changes need If-Match like every change."""
    queryset = PlanMeasure.objects.select_related("plan")
    serializer_class = PlanMeasureSerializer
    versioned = True
    action_scopes = {"status": "change"}

    @extend_schema(request=PlanMeasureStatusSerializer, parameters=[IF_MATCH],
                   responses={200: PlanMeasureSerializer, **VERSIONED_ERRORS})
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request, pk=None):
        """Planned, in progress, done (records when) or cancelled."""
        measure = self.get_object()
        version_from_if_match(request, measure)
        data = PlanMeasureStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)

        def run(expected):
            with service_errors():
                return plan_services.plan_measure_update_status(
                    user=request.user, measure=measure, status=data.validated_data["status"], expected_version=expected
                )

        return self.guarded(measure, request, run, submitted=dict(data.validated_data))
