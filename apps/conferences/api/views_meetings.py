"""The meetings API: list, read, schedule, reschedule (If-Match), cancel, answer, add to the agenda.

Every meeting comes from ``Meeting.objects.visible_to`` (another municipality's meeting is 404);
writes go through the same services as the pages.
"""
from __future__ import annotations

import django_filters
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from apps.core.api.errors import service_errors
from apps.core.api.versioning import IF_MATCH, conflict_response, etag_for, version_from_if_match
from apps.core.api.views import ScopedModelViewSet
from apps.core.audit import audit_log, audit_many
from apps.core.choices import AuditAction
from apps.core.filters import WindowDateTimeFilter
from apps.core.locking import VersionConflict

from ..choices import MeetingKind, MeetingStatus
from ..models import AgendaItem, Meeting
from ..services import agenda_edit
from ..services import meetings as meeting_services
from . import serializers_meetings as s


class MeetingFilter(django_filters.FilterSet):
    """Narrow the list by kind, status or start time."""

    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices)
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)
    starts_after = WindowDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = WindowDateTimeFilter(field_name="starts_at", lookup_expr="lt")


class WarningsSerializer(s.MeetingDetailSerializer):
    """A meeting plus people booked elsewhere at the same time (a warning, not a refusal)."""

    warnings = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta(s.MeetingDetailSerializer.Meta):
        fields = [*s.MeetingDetailSerializer.Meta.fields, "warnings"]
        read_only_fields = fields


ERRORS = {
    400: OpenApiResponse(description=_("Invalid input; the body names each field with its message.")),
    404: OpenApiResponse(description=_("No such meeting within your scope.")),
}


@extend_schema_view(
    list=extend_schema(summary=_("Meetings you see")),
    retrieve=extend_schema(summary=_("One meeting with its invitees and the agenda you may read")),
    create=extend_schema(summary=_("Schedule a meeting"), request=s.MeetingCreateSerializer,
                         responses={201: WarningsSerializer, **ERRORS}),
    partial_update=extend_schema(summary=_("Reschedule or move a meeting"), parameters=[IF_MATCH],
                                 request=s.MeetingUpdateSerializer, responses={200: WarningsSerializer, **ERRORS}),
)
class MeetingViewSet(ScopedModelViewSet):
    """Case conferences, coordination-group and supervision meetings."""

    queryset = Meeting.objects.select_related("municipality", "area")
    filterset_class = MeetingFilter
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_scopes = {"cancel": "change", "agenda_add": "change", "respond": "view"}

    def get_serializer_class(self):
        if self.action == "list":
            return s.MeetingSerializer
        if self.action == "create":
            return s.MeetingCreateSerializer
        if self.action == "partial_update":
            return s.MeetingUpdateSerializer
        return s.MeetingDetailSerializer

    def output(self, meeting, *, warnings: bool = False, code=status.HTTP_200_OK) -> Response:
        context = self.get_serializer_context()
        data = s.MeetingDetailSerializer(meeting, context=context).data
        if warnings:
            data["warnings"] = [
                str(meeting_services.conflict_message([u])) for u in meeting_services.booking_conflicts(meeting)
            ]
        response = Response(data, status=code)
        response["ETag"] = etag_for(meeting)
        return response

    def retrieve(self, request, *args, **kwargs):
        meeting = self.get_object()
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=meeting)
        response = self.output(meeting)
        agenda = response.data.get("agenda") or []
        if agenda:
            audit_many(action=AuditAction.VIEW, objects=AgendaItem.objects.filter(pk__in=[a["id"] for a in agenda]),
                       actor=request.user, details={"view": "api"})
        return response

    def create(self, request, *args, **kwargs):
        if not meeting_services.can_schedule(request.user):
            raise PermissionDenied(_("Only those who run a municipality's meetings schedule them."))
        serializer = s.MeetingCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with service_errors():
            meeting = serializer.save()
        return self.output(meeting, warnings=True, code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        meeting = self.get_object()
        expected = version_from_if_match(request, meeting)
        serializer = s.MeetingUpdateSerializer(data=request.data, context=self.get_serializer_context(), partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values = {name: data.get(name, getattr(meeting, name))
                  for name in ("starts_at", "ends_at", "place", "online_url", "chair", "supervisor")}
        conflict = None
        with service_errors():
            try:
                with transaction.atomic():
                    meeting = meeting_services.meeting_update(
                        user=request.user, meeting=meeting, expected_version=expected if expected else -1, **values
                    )
            except VersionConflict as exc:  # a ValidationError too: answered 412, not 400
                conflict = exc
        if conflict is not None:
            return conflict_response(conflict.current, conflict.changed_fields, conflict.messages[0])
        return self.output(meeting, warnings=True)

    def update(self, request, *args, **kwargs):
        raise Http404  # only PATCH

    @extend_schema(summary=_("Cancel a meeting"), request=s.CancelSerializer,
                   responses={200: s.MeetingDetailSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        meeting = self.get_object()
        serializer = s.CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            meeting = meeting_services.meeting_cancel(user=request.user, meeting=meeting, **serializer.validated_data)
        return self.output(meeting)

    @extend_schema(summary=_("Accept or decline an invitation"), request=s.RespondSerializer,
                   responses={200: s.InviteeSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        meeting = self.get_object()
        serializer = s.RespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invitee_id = data.get("invitee")
        if invitee_id is None:
            own = meeting_services.answerable_invitees(request.user, meeting).order_by("-user_id").first()
            if own is None:
                raise Http404
            invitee_id = own.pk
        with service_errors():
            invitee = meeting_services.invitation_respond(user=request.user, meeting=meeting, invitee_id=invitee_id,
                                                          response=data["response"], note=data["note"])
        return Response(s.InviteeSerializer(invitee).data)

    @extend_schema(summary=_("Add a case to the agenda by its number"), request=s.AgendaAddSerializer,
                   responses={201: s.AgendaItemSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="agenda")
    def agenda_add(self, request, pk=None):
        meeting = self.get_object()
        serializer = s.AgendaAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            item = agenda_edit.agenda_add_case(user=request.user, meeting=meeting, **serializer.validated_data)
        return Response(s.AgendaItemSerializer(item).data, status=status.HTTP_201_CREATED)
