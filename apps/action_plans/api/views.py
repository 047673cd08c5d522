"""The action plans API: plans, goals, measures, activities, indicators, budget lines, executions.

Scoped like the pages (``visible_to``: members of the municipality and, for published plans, everyone
signed in read; coordinators change; the owner institution's staff report status and executions).
Plans, activities and budget lines are versioned: ETag on answers, If-Match on changes (428/412).
Every write goes through a service; a refusal is a 400 naming the field, and nothing is saved.
"""
from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from apps.core.api.errors import service_errors
from apps.core.api.versioning import IF_MATCH, VersionedViewSetMixin
from apps.core.api.views import ScopedReadCreateViewSet
from apps.core.tenant_models import municipality_model

from .. import rules
from ..models import Activity, BudgetLine, Execution, Goal, Indicator, Measure, Plan
from ..services import budget as budget_services
from ..services import plans as plan_services
from ..services import structure as structure_services
from . import serializers as s

PLAN_FILTER = OpenApiParameter("plan", int, description="Only rows of this plan.")
ERRORS = {
    400: OpenApiResponse(description="Invalid input; the body names each field with its message."),
    404: OpenApiResponse(description="No such record within your scope."),
}
VERSIONED = {**ERRORS, 412: OpenApiResponse(description="Changed since your ETag; nothing saved."),
             428: OpenApiResponse(description="If-Match missing.")}


class PlanFilterMixin:
    """``?plan=<id>`` narrows a list to one plan's rows (a filter on rows already in scope)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        plan = self.request.query_params.get("plan")
        if plan is not None and self.action == "list":
            if not plan.isdigit():
                raise ValidationError({"plan": ["Enter a number."]})
            queryset = queryset.filter(plan_id=int(plan))
        return queryset


class VersionedReadCreate(VersionedViewSetMixin, ScopedReadCreateViewSet):
    versioned = True

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.with_etag(Response(self.output(obj)), obj)


@extend_schema_view(list=extend_schema(summary="Action plans you may read", parameters=[]),
                    retrieve=extend_schema(summary="One plan (ETag)"))
class PlanViewSet(VersionedReadCreate, mixins.UpdateModelMixin):
    """Plans: read by the municipality's members and, when published, by everyone; changed by coordinators."""

    queryset = Plan.objects.all().order_by("-id")
    serializer_class = s.PlanSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_scopes = {"advance": "change", "publish": "change", "amendments": "change", "close_amendment": "change"}

    @extend_schema(summary="Start a draft plan (coordinators of the municipality)", request=s.PlanCreateSerializer,
                   responses={201: s.PlanSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = s.PlanCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        municipality_id = data.pop("municipality")
        if municipality_id not in rules.manager_municipality_ids(request.user.access):
            raise ValidationError({"municipality": ["You do not coordinate this municipality."]})
        with service_errors():
            plan = plan_services.plan_create(user=request.user, municipality=municipality_model().objects.get(pk=municipality_id),
                                             **data)
        return self.with_etag(Response(self.output(plan), status=status.HTTP_201_CREATED), plan)

    @extend_schema(summary="Change titles, period, general goal (If-Match)", parameters=[IF_MATCH],
                   request=s.PlanSerializer, responses={200: s.PlanSerializer, **VERSIONED})
    def partial_update(self, request, *args, **kwargs):
        plan = self.get_object()
        serializer = s.PlanSerializer(plan, data=request.data, partial=True, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k in plan_services.PLAN_FIELDS}

        def run(expected):
            with service_errors():
                return plan_services.plan_update(user=request.user, plan=plan, expected_version=expected, **fields)

        return self.guarded(plan, request, run, submitted=fields)

    @extend_schema(summary="Move to the next status (If-Match)", parameters=[IF_MATCH], request=s.PlanAdvanceSerializer,
                   responses={200: s.PlanSerializer, **VERSIONED})
    @action(detail=True, methods=["post"])
    def advance(self, request, pk=None):
        plan = self.get_object()
        serializer = s.PlanAdvanceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def run(expected):
            with service_errors():
                return plan_services.plan_advance(user=request.user, plan=plan, expected_version=expected,
                                                  **serializer.validated_data)

        return self.guarded(plan, request, run)

    @extend_schema(summary="Publish to other municipalities or withdraw (If-Match)", parameters=[IF_MATCH],
                   request=s.PlanPublishSerializer, responses={200: s.PlanSerializer, **VERSIONED})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        plan = self.get_object()
        serializer = s.PlanPublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def run(expected):
            return plan_services.plan_publish(user=request.user, plan=plan, expected_version=expected,
                                              published=serializer.validated_data["published"])

        return self.guarded(plan, request, run)

    @extend_schema(summary="Open an amendment of the adopted plan", request=s.PlanAmendmentSerializer,
                   responses={201: s.PlanAmendmentSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def amendments(self, request, pk=None):
        plan = self.get_object()
        serializer = s.PlanAmendmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            version = plan_services.amendment_open(user=request.user, plan=plan, **serializer.validated_data)
        return Response({"number": version.number, "reason": version.reason}, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Close the open amendment (records a version)", request=None,
                   responses={200: s.PlanSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="close-amendment")
    def close_amendment(self, request, pk=None):
        plan = self.get_object()
        with service_errors():
            plan_services.amendment_close(user=request.user, plan=plan)
        return Response(self.output(plan))


@extend_schema_view(list=extend_schema(parameters=[PLAN_FILTER]))
class GoalViewSet(PlanFilterMixin, ScopedReadCreateViewSet):
    """Specific goals of the plans you read; coordinators add them."""

    queryset = Goal.objects.all().order_by("id")
    serializer_class = s.GoalSerializer

    @extend_schema(responses={201: s.GoalSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            goal = structure_services.goal_create(user=request.user, plan=serializer.validated_data["plan"],
                                                  title=serializer.validated_data["title"])
        return Response(s.GoalSerializer(goal).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=[PLAN_FILTER]))
class MeasureViewSet(PlanFilterMixin, ScopedReadCreateViewSet):
    """Measures of the plans you read; coordinators add them."""

    queryset = Measure.objects.all().order_by("id")
    serializer_class = s.MeasureSerializer

    @extend_schema(responses={201: s.MeasureSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            measure = structure_services.measure_create(user=request.user, **serializer.validated_data)
        return Response(s.MeasureSerializer(measure).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=[PLAN_FILTER]))
class ActivityViewSet(PlanFilterMixin, VersionedReadCreate, mixins.UpdateModelMixin):
    """Activities; coordinators add and change them (If-Match); the owner institution reports status."""

    queryset = Activity.objects.all().prefetch_related("partners").order_by("id")
    serializer_class = s.ActivitySerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_scopes = {"status": rules.REPORT}

    @extend_schema(responses={201: s.ActivitySerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in ("measure", "title", "owner_institution",
                                                                                "starts_on", "ends_on", "event_kind")}
        with service_errors():
            activity = structure_services.activity_create(user=request.user, **data)
        return self.with_etag(Response(self.output(activity), status=status.HTTP_201_CREATED), activity)

    @extend_schema(parameters=[IF_MATCH], request=s.ActivityUpdateSerializer, responses={200: s.ActivitySerializer, **VERSIONED})
    def partial_update(self, request, *args, **kwargs):
        activity = self.get_object()
        serializer = s.ActivityUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)

        def run(expected):
            with service_errors():
                return structure_services.activity_update(user=request.user, activity=activity, expected_version=expected, **fields)

        return self.guarded(activity, request, run, submitted=fields)

    @extend_schema(summary="Record the activity's status (If-Match)", parameters=[IF_MATCH], request=s.ActivityStatusSerializer,
                   responses={200: s.ActivitySerializer, **VERSIONED})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        activity = self.get_object()
        serializer = s.ActivityStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def run(expected):
            with service_errors():
                return structure_services.activity_set_status(user=request.user, activity=activity, expected_version=expected,
                                                              **serializer.validated_data)

        return self.guarded(activity, request, run)

    def _recheck(self, instance, action="change"):
        if not Activity.objects.visible_to(self.request.user, "view").filter(pk=instance.pk).exists():
            raise Http404


@extend_schema_view(list=extend_schema(parameters=[PLAN_FILTER]))
class IndicatorViewSet(PlanFilterMixin, ScopedReadCreateViewSet):
    """Indicators with their targets and actual values; coordinators add them and record values."""

    queryset = Indicator.objects.all().prefetch_related("targets", "values").order_by("id")
    serializer_class = s.IndicatorSerializer
    action_scopes = {"values": "change"}

    @extend_schema(responses={201: s.IndicatorSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        targets = {t["year"]: t["value"] for t in data.pop("targets", [])}
        with service_errors():
            indicator = structure_services.indicator_create(user=request.user, targets=targets, **data)
        return Response(s.IndicatorSerializer(indicator).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Record an actual value for a quarter", request=s.IndicatorValueSerializer,
                   responses={201: s.IndicatorValueSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def values(self, request, pk=None):
        indicator = self.get_object()
        serializer = s.IndicatorValueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            row = structure_services.indicator_value_record(user=request.user, indicator=indicator, **serializer.validated_data)
        return Response(s.IndicatorValueSerializer(row).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(parameters=[PLAN_FILTER]))
class BudgetLineViewSet(PlanFilterMixin, VersionedReadCreate, mixins.UpdateModelMixin):
    """Budget lines (RSD, decimal strings); coordinators add them and change them (If-Match)."""

    queryset = BudgetLine.objects.all().prefetch_related("executions").order_by("id")
    serializer_class = s.BudgetLineSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(responses={201: s.BudgetLineSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        activity = data.pop("activity")
        with service_errors():
            line = budget_services.line_create(user=request.user, activity=activity, **data)
        return self.with_etag(Response(self.output(line), status=status.HTTP_201_CREATED), line)

    @extend_schema(parameters=[IF_MATCH], request=s.BudgetLineUpdateSerializer, responses={200: s.BudgetLineSerializer, **VERSIONED})
    def partial_update(self, request, *args, **kwargs):
        line = self.get_object()
        serializer = s.BudgetLineUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)

        def run(expected):
            with service_errors():
                return budget_services.line_update(user=request.user, line=line, expected_version=expected, **fields)

        return self.guarded(line, request, run, submitted=fields)


@extend_schema_view(list=extend_schema(parameters=[PLAN_FILTER]))
class ExecutionViewSet(PlanFilterMixin, ScopedReadCreateViewSet):
    """Executions of budget lines; the coordinator or the owner institution's staff record them."""

    queryset = Execution.objects.all().order_by("id")
    serializer_class = s.ExecutionSerializer

    @extend_schema(responses={201: s.ExecutionSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            execution = budget_services.execution_record(user=request.user, **serializer.validated_data)
        return Response(s.ExecutionSerializer(execution).data, status=status.HTTP_201_CREATED)
