"""Cases over the API: the list (the case list's parameters, apps/cases/filters.py), opening a
case, editing it with If-Match, and steering it (status, team, staff, conference)."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from apps.core.api.errors import service_errors
from apps.core.api.versioning import ETAG_NOTE, IF_MATCH, VersionedUpdateMixin, version_from_if_match

from ...filters import CaseListFilter
from ...models import Case
from ...selectors.list_search import search_in_tab
from ...selectors.lists import DEFAULT_PAGE_SIZE, case_list
from ...selectors.timeline import case_timeline
from ...services import cases as case_services
from ..serializers.cases import CaseSerializer, CaseStatusSerializer, TimelineEntrySerializer
from .base import ERRORS, VERSIONED_ERRORS, RecordViewSet
from .team import CaseTeamActions

# Earlier names of reported_from / reported_to, still accepted (a request that gives both uses the new one).
DEPRECATED_NAMES = {"reported_after": "reported_from", "reported_before": "reported_to"}
CASE_LIST_PARAMETERS = [
    OpenApiParameter("scope", OpenApiTypes.STR, enum=["mine", "institution", "all", "shared"],
                     description=_("mine, my institution's, all (coordinators), shared with me; "
                                   "by default all for coordinators, mine for everyone else (as on the list page)")),
    OpenApiParameter("status", OpenApiTypes.STR, many=True),
    OpenApiParameter("risk_level", OpenApiTypes.STR, many=True),
    OpenApiParameter("form", OpenApiTypes.STR, description=_("A form of violence of any incident.")),
    OpenApiParameter("reported_from", OpenApiTypes.DATE),
    OpenApiParameter("reported_to", OpenApiTypes.DATE),
    OpenApiParameter("reported_after", OpenApiTypes.DATE, deprecated=True),
    OpenApiParameter("reported_before", OpenApiTypes.DATE, deprecated=True),
    OpenApiParameter("institution", OpenApiTypes.INT),
    OpenApiParameter("q", OpenApiTypes.STR, description=_(
        "Case number or person name in either script (Đorđević = Djordjevic = Ђорђевић); one page of results.")),
    OpenApiParameter("cursor", OpenApiTypes.STR),
    OpenApiParameter("page_size", OpenApiTypes.INT),
]


def list_parameters(params) -> tuple[dict, dict]:
    """The query string with the deprecated names put under their new ones, and new name -> the
    name the client used (so that an error names the field as the client sent it)."""
    data = params.copy()
    sent_as = {}
    for old, new in DEPRECATED_NAMES.items():
        if old in data:
            if new not in data:
                data.setlist(new, data.getlist(old))
                sent_as[new] = old
            del data[old]
    return data, sent_as


@extend_schema_view(
    # The cursor page's envelope (next, previous, results) comes from the pagination class.
    list=extend_schema(parameters=CASE_LIST_PARAMETERS, responses={200: CaseSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: CaseSerializer, 404: ERRORS[404]}, description=str(ETAG_NOTE)),
    create=extend_schema(responses={201: CaseSerializer, **ERRORS}),
    update=extend_schema(parameters=[IF_MATCH], responses={200: CaseSerializer, **VERSIONED_ERRORS}),
    partial_update=extend_schema(parameters=[IF_MATCH], responses={200: CaseSerializer, **VERSIONED_ERRORS}),
)
class CaseViewSet(CaseTeamActions, VersionedUpdateMixin, mixins.UpdateModelMixin, RecordViewSet):
    """Cases: the scoped list (my cases, my institution's, all, shared with me), opening a case,
    editing it with If-Match, and steering it (status, team, staff, conference)."""

    queryset = Case.objects.select_related("lead_institution")
    serializer_class = CaseSerializer
    filterset_class = None
    versioned = True
    action_scopes = {
        "status": "change", "team": "change", "team_remove": "change", "assign": "change",
        "propose_conference": "change", "timeline": "view",
    }

    def list(self, request, *args, **kwargs):
        data, sent_as = list_parameters(request.query_params)
        filterset = CaseListFilter(data, user=request.user)
        if not filterset.is_valid():
            raise serializers.ValidationError({sent_as.get(k, k): v for k, v in filterset.errors.items()})
        query = filterset.query()
        with service_errors():
            if query.q:
                cases = search_in_tab(request.user, query.q, scope=query.scope, **query.filters)
                return Response({"next": None, "previous": None, "results": self.get_serializer(cases, many=True).data})
            page = case_list(
                request.user, scope=query.scope, cursor=query.cursor,
                page_size=request.query_params.get("page_size") or DEFAULT_PAGE_SIZE, **query.filters,
            )
        url = request.build_absolute_uri()
        next_url = replace_query_param(url, "cursor", page.next_cursor) if page.next_cursor else None
        return Response({"next": next_url, "previous": None, "results": self.get_serializer(page.cases, many=True).data})

    @extend_schema(request=CaseStatusSerializer, parameters=[IF_MATCH],
                   responses={200: CaseSerializer, **VERSIONED_ERRORS})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Move the case to another status (closing needs a reason)."""
        case = self.get_object()
        version_from_if_match(request, case)
        data = CaseStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)

        def run(expected):
            with service_errors():
                return case_services.case_change_status(
                    user=request.user, case=case, expected_version=expected,
                    to_status=data.validated_data["to_status"],
                    closure_reason=data.validated_data.get("closure_reason", ""),
                    note=data.validated_data.get("note", ""),
                )

        return self.guarded(case, request, run, submitted={"status": data.validated_data["to_status"]})

    @extend_schema(request=None, responses={200: CaseSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="propose-conference", url_name="propose-conference")
    def propose_conference(self, request, pk=None):
        """Propose the case for the next case conference."""
        case = self.get_object()
        with transaction.atomic(), service_errors():
            case = case_services.case_propose_for_conference(user=request.user, case=case)
        return self.with_etag(Response(self.get_serializer(case).data), case)

    @extend_schema(request=None, responses={200: TimelineEntrySerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        """Everything recorded on the case that you may see, newest first."""
        case = self.get_object()
        return Response(TimelineEntrySerializer(case_timeline(request.user, case), many=True).data)
