"""Minutes, their case parts, action items, supervision feedback and targets over the API.

Scoped like the pages: meetings through ``Meeting.objects.visible_to`` (writes: those who run
them), case parts through ``AgendaItem.objects.visible_to`` (a participant sees only the cases
they are entitled to; the others come back as redacted parts), action items through
``ActionItem.objects.visible_to``. Every write goes through a service; errors name the field.
"""
from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.cases.models import Case
from apps.core.api.errors import service_errors
from apps.core.api.views import ScopedReadCreateViewSet, ScopedReadOnlyViewSet
from apps.core.audit import audit_log, audit_many
from apps.core.choices import AuditAction

from ..filters import ACTION_STATUS_CHOICES, ActionItemFilter, MinutesItemFilter
from ..models import ActionItem, AgendaItem, Meeting, SupervisionFeedback
from ..pdf import minutes_document
from ..querysets import RECORDS
from ..selectors.actions import filtered_actions
from ..selectors.targets import may_see_targets, targets_for
from ..services import actions as action_services
from ..services import agenda as agenda_services
from ..services import minutes as minutes_services
from ..services import supervision as supervision_services
from . import serializers_minutes as s

MEETING_FILTER = OpenApiParameter("meeting", OpenApiTypes.INT, description="Only rows of this meeting.")
ACTION_STATUS_FILTER = OpenApiParameter(
    "status", OpenApiTypes.STR, enum=[value for value, _label in ACTION_STATUS_CHOICES],
    description="open, overdue (open and past due), done, cancelled or all (the default), as on the list page.",
)


def _valid(filterset):
    """The list's parameters (filters.py, shared with the page), or 400 naming each bad one."""
    if not filterset.is_valid():
        raise serializers.ValidationError(dict(filterset.errors))
    return filterset
ERRORS = {
    400: OpenApiResponse(description="Invalid input; the body names each field with its message."),
    403: OpenApiResponse(description="The meeting is visible to you but this action is not yours to take."),
    404: OpenApiResponse(description="No such record within your scope."),
}


def _minutes_payload(meeting, user) -> dict:
    document = minutes_document(meeting, user)
    minutes = document.minutes
    parts = [
        {"number": p.number, "section": p.item.section, "redacted": not p.visible, "item": p.item if p.visible else None}
        for p in document.parts
    ]
    if document.visible_cases:
        audit_many(action=AuditAction.VIEW, objects=document.visible_cases, actor=user, details={"view": "minutes_api"})
    return {
        "meeting": meeting.pk,
        "meeting_status": meeting.status,
        "status": minutes.status if minutes else "",
        "attendance_note": minutes.attendance_note if minutes else "",
        "general_notes": minutes.general_notes if minutes else "",
        "approved_at": minutes.approved_at if minutes else None,
        "approved_by": minutes.approved_by_id if minutes else None,
        "attendance": [{"invitee": a["invitee"].pk, "label": a["label"], "attended": a["attended"]} for a in document.attendees],
        "parts": parts,
        "amendments": [*document.general_amendments, *(a for p in document.parts for a in p.amendments)],
    }


@extend_schema_view(
    list=extend_schema(summary="Meetings with minutes", responses=s.MinutesListSerializer(many=True)),
)
class MinutesViewSet(ScopedReadOnlyViewSet):
    """The minutes of a meeting (addressed by the meeting's id)."""

    queryset = Meeting.objects.filter(minutes__isnull=False).select_related("minutes")
    serializer_class = s.MinutesListSerializer
    action_scopes = {"list": RECORDS, "retrieve": RECORDS, "approve": RECORDS, "amendments": "change", "mark_held": "change", "prepare_agenda": "change",
                     "partial_update": "change"}

    def get_meeting(self, action_scope: str = RECORDS) -> Meeting:
        # Any meeting in scope, also one without minutes yet (marking it held, preparing its agenda).
        return self.get_scoped_object(Meeting.objects.all(), action_scope)

    @extend_schema(summary="The minutes as you may read them", responses={200: s.MinutesSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        meeting = self.get_meeting()
        return Response(s.MinutesSerializer(_minutes_payload(meeting, request.user), context={"request": request}).data)

    @extend_schema(summary="Record attendance and the general part of draft minutes",
                   request=s.MinutesUpdateSerializer, responses={200: s.MinutesSerializer, **ERRORS})
    def partial_update(self, request, pk=None):
        meeting = self.get_meeting("change")
        serializer = s.MinutesUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        attendance = {row["invitee"]: row["attended"] for row in data.get("attendance", [])}
        with service_errors():
            minutes_services.minutes_save(
                user=request.user, meeting=meeting, attendance=attendance or None,
                attendance_note=data.get("attendance_note"), general_notes=data.get("general_notes"),
            )
        return Response(s.MinutesSerializer(_minutes_payload(meeting, request.user)).data)

    @extend_schema(summary="Approve the minutes (the chair; a coordinator when no chair is set)", request=None,
                   responses={200: s.MinutesSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        meeting = self.get_meeting()
        with service_errors():
            minutes_services.minutes_approve(user=request.user, meeting=meeting)
        meeting.refresh_from_db()
        return Response(s.MinutesSerializer(_minutes_payload(meeting, request.user)).data)

    @extend_schema(summary="Record an amendment to approved minutes", request=s.AmendmentSerializer,
                   responses={201: s.AmendmentSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def amendments(self, request, pk=None):
        meeting = self.get_meeting("change")
        serializer = s.AmendmentSerializer(data=request.data, context={"request": request, "user": request.user})
        serializer.is_valid(raise_exception=True)
        with service_errors():
            amendment = minutes_services.minutes_amend(user=request.user, meeting=meeting, **serializer.validated_data)
        return Response(s.AmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Mark the meeting held (after its start)", request=None, responses={200: s.MinutesListSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="mark-held")
    def mark_held(self, request, pk=None):
        meeting = self.get_meeting("change")
        with service_errors():
            meeting = minutes_services.meeting_mark_held(user=request.user, meeting=meeting)
        return Response(s.MinutesListSerializer(meeting).data)

    @extend_schema(summary="Prepare the meeting's agenda now (counts of cases added per table)", request=None,
                   responses={200: OpenApiTypes.OBJECT, **ERRORS})
    @action(detail=True, methods=["post"], url_path="prepare-agenda")
    def prepare_agenda(self, request, pk=None):
        meeting = self.get_meeting("change")
        result = agenda_services.agenda_prepare(meeting=meeting)
        return Response({"meeting": meeting.pk, "added": result.added, "counts": result.counts,
                         "already_on_agenda": result.already_on_agenda})


@extend_schema_view(
    list=extend_schema(parameters=[MEETING_FILTER]),
    partial_update=extend_schema(responses={200: s.MinutesItemSerializer, **ERRORS}),
)
class MinutesItemViewSet(ScopedReadOnlyViewSet):
    """Each case's part of the minutes: only the cases you are entitled to (or of meetings you run)."""

    queryset = AgendaItem.objects.select_related("case").prefetch_related(
        Prefetch("action_items", queryset=ActionItem.objects.only("id", "agenda_item_id"))
    )
    serializer_class = s.MinutesItemSerializer
    audit_reads = True
    http_method_names = ["get", "patch", "head", "options"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        filters = _valid(MinutesItemFilter(self.request.query_params))
        meeting_id = filters.meeting_id()
        return queryset.filter(meeting_id=meeting_id) if meeting_id else queryset

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        ids = [row["case"] for row in response.data.get("results", [])]
        if ids:
            audit_many(action=AuditAction.VIEW, objects=list(Case.objects.filter(pk__in=ids)), actor=request.user,
                       details={"view": "minutes_items_api"})
        return response

    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        serializer = self.get_serializer(item, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values = {name: data.get(name, getattr(item, name)) for name in (
            "discussed", "discussion", "decisions", "risk_level", "risk_reason", "next_review_on")}
        with service_errors():
            item = minutes_services.agenda_item_record(user=request.user, item=item, **values)
        return Response(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)


@extend_schema_view(list=extend_schema(parameters=[MEETING_FILTER, ACTION_STATUS_FILTER]))
class ActionItemViewSet(ScopedReadCreateViewSet):
    """Action items decided at meetings: yours to complete, or of the meetings you run or cases you see."""

    queryset = ActionItem.objects.select_related("case")
    serializer_class = s.ActionItemSerializer
    audit_reads = True
    action_scopes = {"complete": "view"}

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action != "list":
            return queryset
        query = _valid(ActionItemFilter(self.request.query_params)).query()
        return filtered_actions(queryset, status=query.status, overdue=query.overdue, meeting_id=query.meeting_id)

    @extend_schema(responses={201: s.ActionItemSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with service_errors():
            item = action_services.action_item_create(
                user=request.user, agenda_item=data["agenda_item"], description=data.get("description", ""),
                owner_institution=data.get("owner_institution"), responsible=data.get("responsible"),
                due_on=data.get("due_on"), today=timezone.localdate(),
            )
        return Response(self.get_serializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Report the action done, with a note", request=s.ActionCompleteSerializer,
                   responses={200: s.ActionItemSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        item = self.get_object()
        serializer = s.ActionCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            item = action_services.action_item_complete(
                user=request.user, action=item, note=serializer.validated_data["completion_note"]
            )
        return Response(self.get_serializer(item).data)


class SupervisionFeedbackViewSet(ScopedReadCreateViewSet):
    """Supervision feedback on meetings you see; only a meeting's supervisor gives it (again to revise)."""

    queryset = SupervisionFeedback.objects.all()
    serializer_class = s.SupervisionFeedbackSerializer

    @extend_schema(responses={201: s.SupervisionFeedbackSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        meeting = data.pop("meeting")
        with service_errors():
            feedback = supervision_services.feedback_save(user=request.user, meeting=meeting, **data)
        return Response(self.get_serializer(feedback).data, status=status.HTTP_201_CREATED)


class TargetsView(APIView):
    """Held meetings against the targets, for coordinators and officials (aggregates only)."""

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="The year (default: this year).")],
        responses={200: s.TargetsSerializer, 404: OpenApiResponse(description="Not for your role.")},
    )
    def get(self, request):
        if not may_see_targets(request.user):
            raise Http404
        today = timezone.localdate()
        try:
            year = int(request.query_params.get("year", today.year))
        except ValueError:
            year = today.year
        if not 2000 <= year <= today.year + 1:
            year = today.year
        audit_log(action=AuditAction.VIEW, actor=request.user, object_type="conferences.targets", details={"year": year})
        return Response(s.TargetsSerializer(targets_for(request.user, year=year, today=today)).data)
