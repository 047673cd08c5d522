"""The events API: events (plan, change with If-Match, cancel, attendance), participants (read: who
runs the event, and each person their own row), materials and distributions.

Every row comes from ``visible_to`` (another municipality's is 404); writes go through the services.
"""
from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.core.api.errors import service_errors
from apps.core.api.versioning import IF_MATCH, conflict_response, etag_for, version_from_if_match
from apps.core.api.views import ScopedModelViewSet, ScopedReadCreateViewSet, ScopedReadOnlyViewSet
from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.locking import VersionConflict

from ..models import Certificate, Distribution, Event, Material, Participant
from ..services import certificates as certificate_services
from ..services import events as services
from ..services import materials as material_services
from . import serializers as s

WRITABLE = [name for name in services.FIELDS if name != "kind"]


@extend_schema_view(
    list=extend_schema(summary=_("Programme events you see")),
    retrieve=extend_schema(summary=_("One programme event")),
    create=extend_schema(summary=_("Plan an event"), request=s.EventWriteSerializer, responses={201: s.EventSerializer}),
    partial_update=extend_schema(summary=_("Change an event"), parameters=[IF_MATCH], request=s.EventWriteSerializer,
                                 responses={200: s.EventSerializer}),
)
class EventViewSet(ScopedModelViewSet):
    """Trainings, expert meetings, round tables, inter-municipal meetings, media and distributions."""

    queryset = Event.objects.select_related("municipality", "area").prefetch_related("municipalities")
    serializer_class = s.EventSerializer
    filterset_fields = ["kind", "status"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_scopes = {"cancel": "change", "attendance": "change"}

    def output(self, event, code=status.HTTP_200_OK) -> Response:
        event = Event.objects.prefetch_related("municipalities").get(pk=event.pk)
        response = Response(s.EventSerializer(event, context=self.get_serializer_context()).data, status=code)
        response["ETag"] = etag_for(event)
        return response

    def retrieve(self, request, *args, **kwargs):
        event = self.get_object()
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=event)
        return self.output(event)

    def create(self, request, *args, **kwargs):
        if not services.can_plan(request.user):
            raise PermissionDenied(_("Only coordinators plan programme events."))
        serializer = s.EventWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        municipality, area = data.pop("municipality", None), data.pop("area", None)
        with service_errors():
            event = services.event_plan(user=request.user, municipality=municipality, area=area, **data)
        return self.output(event, code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        event = self.get_object()
        expected = version_from_if_match(request, event)
        serializer = s.EventWriteSerializer(data=request.data, context=self.get_serializer_context(), partial=True)
        serializer.is_valid(raise_exception=True)
        values = {k: v for k, v in serializer.validated_data.items() if k in WRITABLE}
        conflict = None
        with service_errors():
            try:
                with transaction.atomic():
                    event = services.event_update(user=request.user, event=event, version=expected or -1, **values)
            except VersionConflict as exc:
                conflict = exc
        if conflict is not None:
            return conflict_response(conflict.current, conflict.changed_fields, conflict.messages[0])
        return self.output(event)

    def update(self, request, *args, **kwargs):
        raise Http404

    @extend_schema(summary=_("Cancel an event"), request=s.EventCancelSerializer, responses={200: s.EventSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        event = self.get_object()
        serializer = s.EventCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            event = services.event_cancel(user=request.user, event=event, **serializer.validated_data)
        return self.output(event)

    @extend_schema(summary=_("Record attendance"), request=s.EventAttendanceSerializer,
                   responses={200: s.ParticipantSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        event = self.get_object()
        serializer = s.EventAttendanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = set(Participant.objects.filter(event=event).values_list("pk", flat=True))
        hours = {int(k): v for k, v in data["hours"].items() if str(k).isdigit()}
        with service_errors():
            services.attendance_record(user=request.user, event=event,
                                       attended={pk_: pk_ in set(data["present"]) for pk_ in ids}, hours=hours)
        rows = Participant.objects.filter(event=event).select_related("user").prefetch_related("certificates")
        return Response(s.ParticipantSerializer(rows, many=True).data)


@extend_schema_view(list=extend_schema(summary=_("Participants and attendance you may read")),
                    retrieve=extend_schema(summary=_("One participant")))
class ParticipantViewSet(ScopedReadOnlyViewSet):
    """Attendance rows: of the events the user runs (their municipalities), and the user's own."""

    queryset = Participant.objects.select_related("user").prefetch_related("certificates")
    serializer_class = s.ParticipantSerializer
    filterset_fields = ["event", "attended"]


@extend_schema_view(list=extend_schema(summary=_("Information materials")),
                    retrieve=extend_schema(summary=_("One material")),
                    create=extend_schema(summary=_("Add a material"), request=s.MaterialCreateSerializer,
                                         responses={201: s.MaterialSerializer}),
                    partial_update=extend_schema(summary=_("Change a material"), parameters=[IF_MATCH],
                                                 request=s.MaterialUpdateSerializer,
                                                 responses={200: s.MaterialSerializer}))
class MaterialViewSet(ScopedReadCreateViewSet):
    queryset = Material.objects.all()
    serializer_class = s.MaterialSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_scopes = {"stock": "change"}

    def output(self, material, code=status.HTTP_200_OK) -> Response:
        material = Material.objects.get(pk=material.pk)
        response = Response(s.MaterialSerializer(material).data, status=code)
        response["ETag"] = etag_for(material)
        return response

    def retrieve(self, request, *args, **kwargs):
        return self.output(self.get_object())

    def create(self, request, *args, **kwargs):
        if not services.can_plan(request.user):
            raise PermissionDenied(_("Only coordinators add materials."))
        serializer = s.MaterialCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with service_errors():
            material = material_services.material_create(user=request.user, **serializer.validated_data)
        return Response(s.MaterialSerializer(material).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        material = self.get_object()
        expected = version_from_if_match(request, material)
        serializer = s.MaterialUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        conflict = None
        with service_errors():
            try:
                with transaction.atomic():
                    material = material_services.material_update(user=request.user, material=material,
                                                                 version=expected or -1, **serializer.validated_data)
            except VersionConflict as exc:
                conflict = exc
        if conflict is not None:
            return conflict_response(conflict.current, conflict.changed_fields, conflict.messages[0])
        return self.output(material)

    @extend_schema(summary=_("Record copies received (a stock movement)"), request=s.StockSerializer,
                   responses={201: s.StockSerializer})
    @action(detail=True, methods=["post"])
    def stock(self, request, pk=None):
        material = self.get_object()
        serializer = s.StockSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            row = material_services.stock_add(user=request.user, material=material, copies=data["copies"],
                                              received_on=data["received_on"], note=data.get("note", ""))
        return Response(s.StockSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary=_("Certificates you may read")),
                    retrieve=extend_schema(summary=_("One certificate")))
class CertificateViewSet(ScopedReadOnlyViewSet):
    """Certificates: of the events the user runs, and the user's own."""

    queryset = Certificate.objects.all()
    serializer_class = s.CertificateSerializer
    filterset_fields = ["event"]
    action_scopes = {"revoke": "change"}

    @extend_schema(summary=_("Revoke a certificate"), request=s.CertificateRevokeSerializer,
                   responses={200: s.CertificateSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        certificate = self.get_object()
        serializer = s.CertificateRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            certificate = certificate_services.certificate_revoke(
                user=request.user, event=certificate.event, certificate_id=certificate.pk,
                reason=serializer.validated_data["reason"])
        return Response(s.CertificateSerializer(certificate).data)


@extend_schema_view(list=extend_schema(summary=_("Distributions of materials")),
                    retrieve=extend_schema(summary=_("One distribution")),
                    create=extend_schema(summary=_("Record a distribution")))
class DistributionViewSet(ScopedReadCreateViewSet):
    queryset = Distribution.objects.select_related("material")
    serializer_class = s.DistributionSerializer
    filterset_fields = ["material"]

    def create(self, request, *args, **kwargs):
        if not services.can_plan(request.user):
            raise PermissionDenied(_("Only coordinators record distributions."))
        serializer = s.DistributionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            row = material_services.distribution_record(user=request.user, material=data["material"],
                                                        copies=data["copies"], distributed_on=data["distributed_on"],
                                                        institution=data.get("institution"),
                                                        info_desk=data.get("info_desk", ""))
        return Response(s.DistributionSerializer(row).data, status=status.HTTP_201_CREATED)
