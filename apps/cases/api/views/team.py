"""The case team: institutions on the case and the staff assigned to it (actions of the case)."""
from __future__ import annotations

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.errors import service_errors

from ...models import CaseParticipant
from ...selectors.team import case_team_for
from ...services import cases as case_services
from ..serializers.team import AssignmentSerializer, AssignSerializer, TeamAddSerializer, TeamMemberSerializer
from .base import ERRORS


class CaseTeamActions:
    """The team actions of CaseViewSet (``/cases/{id}/team/``, ``.../team/{participant_id}/remove/``,
    ``.../assign/``): who takes part and who is assigned."""

    @extend_schema(methods=["GET"], request=None, responses={200: TeamMemberSerializer(many=True), 404: ERRORS[404]})
    @extend_schema(methods=["POST"], request=TeamAddSerializer,
                   responses={201: TeamMemberSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def team(self, request, pk=None):
        """The case team; POST adds an institution (without the victim's consent only in immediate
        danger, with ``override_reason``)."""
        case = self.get_object()
        if request.method == "POST":
            data = TeamAddSerializer(data=request.data, context=self.get_serializer_context())
            data.is_valid(raise_exception=True)
            with transaction.atomic(), service_errors():
                case_services.case_add_participant(user=request.user, case=case, **data.validated_data)
            members = case_team_for(request.user, case)
            return Response(TeamMemberSerializer(members, many=True).data, status=status.HTTP_201_CREATED)
        return Response(TeamMemberSerializer(case_team_for(request.user, case), many=True).data)

    @extend_schema(request=None, responses={200: TeamMemberSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"team/(?P<participant_id>[0-9]+)/remove", url_name="team-remove",
            pagination_class=None)
    def team_remove(self, request, pk=None, participant_id=None):
        """Take an institution off the team (its staff's assignments on the case end)."""
        case = self.get_object()
        participant = CaseParticipant.objects.filter(case=case, pk=participant_id).select_related("institution").first()
        if participant is None:
            raise Http404
        with transaction.atomic(), service_errors():
            case_services.case_remove_participant(user=request.user, case=case, institution=participant.institution)
        return Response(TeamMemberSerializer(case_team_for(request.user, case), many=True).data)

    @extend_schema(request=AssignSerializer, responses={201: AssignmentSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign a staff member of a team institution (a new case manager replaces the old one)."""
        case = self.get_object()
        data = AssignSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with transaction.atomic(), service_errors():
            assignment = case_services.case_assign_user(user=request.user, case=case, **data.validated_data)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)
