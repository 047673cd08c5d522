"""Emergency measures (48 hours) with their extension steps, breaches and protective measures."""
from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.errors import service_errors
from apps.core.api.versioning import IF_MATCH, version_from_if_match

from ...models import EmergencyMeasure, MeasureBreach, ProtectiveMeasure
from ...services import measures as measure_services
from ..serializers.measures import (
    AppealSerializer,
    BreachSerializer,
    CourtDecisionSerializer,
    EmergencyMeasureSerializer,
    ExtensionProposalSerializer,
    ProtectiveMeasureSerializer,
    ProtectiveRenewSerializer,
)
from .base import ERRORS, VERSIONED_ERRORS, RecordViewSet, record_docs, versioned_docs


@versioned_docs(EmergencyMeasureSerializer, updatable=False)
class EmergencyMeasureViewSet(RecordViewSet):
    """Police emergency measures (48 hours) and their extension steps; each step needs If-Match."""
    queryset = EmergencyMeasure.objects.all()
    serializer_class = EmergencyMeasureSerializer
    versioned = True
    action_scopes = {"propose_extension": "change", "court_decision": "change", "appeal": "change"}

    def _step(self, request, serializer_class, call):
        measure = self.get_object()
        version_from_if_match(request, measure)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)

        def run(expected):
            with service_errors():
                return call(measure, expected, data.validated_data)

        return self.guarded(measure, request, run, submitted=dict(data.validated_data))

    @extend_schema(request=ExtensionProposalSerializer, parameters=[IF_MATCH],
                   responses={200: EmergencyMeasureSerializer, **VERSIONED_ERRORS})
    @action(detail=True, methods=["post"], url_path="propose-extension", url_name="propose-extension")
    def propose_extension(self, request, pk=None):
        """The prosecutor's extension proposal (due within 24 hours of delivery)."""
        return self._step(request, ExtensionProposalSerializer, lambda m, v, d: (
            measure_services.emergency_measure_propose_extension(
                user=request.user, measure=m, proposed_at=d["extension_proposed_at"], expected_version=v)))

    @extend_schema(request=CourtDecisionSerializer, parameters=[IF_MATCH],
                   responses={200: EmergencyMeasureSerializer, **VERSIONED_ERRORS})
    @action(detail=True, methods=["post"], url_path="court-decision", url_name="court-decision")
    def court_decision(self, request, pk=None):
        """The court's decision on the extension (30 days, or rejected)."""
        return self._step(request, CourtDecisionSerializer, lambda m, v, d: (
            measure_services.emergency_measure_court_decision(
                user=request.user, measure=m, decision=d["court_decision"], decided_at=d["court_decided_at"],
                expected_version=v)))

    @extend_schema(request=AppealSerializer, parameters=[IF_MATCH],
                   responses={200: EmergencyMeasureSerializer, **VERSIONED_ERRORS})
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        """An appeal against the court's decision (3 days)."""
        return self._step(request, AppealSerializer, lambda m, v, d: (
            measure_services.emergency_measure_appeal(
                user=request.user, measure=m, filed_at=d["appeal_filed_at"], expected_version=v)))


@record_docs(BreachSerializer)
class BreachViewSet(RecordViewSet):
    """Breaches of emergency or protective measures."""
    queryset = MeasureBreach.objects.all()
    serializer_class = BreachSerializer


@record_docs(ProtectiveMeasureSerializer)
class ProtectiveMeasureViewSet(RecordViewSet):
    """Family Law protective measures; renewal creates the continuing measure."""
    queryset = ProtectiveMeasure.objects.all()
    serializer_class = ProtectiveMeasureSerializer
    action_scopes = {"renew": "change"}

    @extend_schema(request=ProtectiveRenewSerializer, responses={201: ProtectiveMeasureSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Renew the measure before it ends (art. 199), for up to a year."""
        measure = self.get_object()
        data = ProtectiveRenewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic(), service_errors():
            renewal = measure_services.protective_measure_renew(user=request.user, measure=measure, **data.validated_data)
        return Response(self.get_serializer(renewal).data, status=status.HTTP_201_CREATED)
