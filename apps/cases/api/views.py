"""The case record over the API: scoped viewsets whose writes go through the case services.

Versioned records (case, person, emergency measure, plan, plan measure) answer GET with an ETag
derived from (model, id, version). Changing them needs ``If-Match`` with that ETag: without it the
answer is 428 Precondition Required; when someone saved the record since, 412 Precondition Failed
with the changed fields and the current representation. There is no ``version`` in the body.
"""
from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from apps.core.api.openapi import SingleObjectSchema
from apps.core.api.views import ScopedViewSetMixin
from apps.core.audit import audit_log, audit_many
from apps.core.choices import AuditAction
from apps.core.dates import validate_date_window

from ..models import (
    Attachment,
    Case,
    CaseNote,
    CaseParticipant,
    CasePerson,
    Consent,
    EmergencyMeasure,
    Incident,
    MeasureBreach,
    PlanMeasure,
    ProtectionPlan,
    ProtectiveMeasure,
    Referral,
    RiskAssessment,
)
from ..selectors.lists import DEFAULT_PAGE_SIZE, case_list
from ..selectors.search import case_search
from ..selectors.team import case_team_for
from ..selectors.timeline import case_timeline
from ..selectors.work_queue import work_queue_for
from ..services import attachments as attachment_services
from ..services import cases as case_services
from ..services import consent as consent_services
from ..services import measures as measure_services
from ..services import plans as plan_services
from ..services import referrals as referral_services
from ..services.locking import VersionConflict
from . import serializers as s

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_(
        "The ETag of the version you are changing, as returned by GET (e.g. \"case-42-3\"). "
        "There is no version field in the body."
    ),
)
CASE_FILTER = OpenApiParameter("case", OpenApiTypes.INT, description=_("Only rows of this case."))
ERRORS = {
    400: OpenApiResponse(description=_("Invalid input; the body names each field with its message.")),
    403: OpenApiResponse(description=_("The record is visible to you but this action is not yours to take.")),
    404: OpenApiResponse(description=_("No such record within your scope.")),
}
VERSIONED_ERRORS = {
    **ERRORS,
    412: OpenApiResponse(s.ConflictSerializer, description=_("Someone saved the record since your ETag; nothing was saved.")),
    428: OpenApiResponse(s.PreconditionRequiredSerializer, description=_("If-Match is missing.")),
}
ETAG_NOTE = _("The ETag header identifies this version; send it back in If-Match to change the record.")


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = _(
        "Send the ETag of the version you are changing in the If-Match header (GET the record to get it)."
    )
    default_code = "precondition_required"


def etag_for(obj) -> str:
    """A strong ETag naming the model, the row and its version."""
    return f'"{obj._meta.model_name}-{obj.pk}-{obj.version}"'


def version_from_if_match(request, obj) -> int | None:
    """The version the client claims to change (None if If-Match names another record); 428 without it."""
    header = (request.headers.get("If-Match") or "").strip()
    if not header:
        raise PreconditionRequired()
    for tag in header.split(","):
        tag = tag.strip()
        if tag.startswith("W/"):
            tag = tag[2:]
        parts = tag.strip('"').rsplit("-", 2)
        if len(parts) == 3 and parts[0] == obj._meta.model_name and parts[1] == str(obj.pk) and parts[2].isdigit():
            return int(parts[2])
    return None


def activate_user_language(request) -> None:
    """Messages in the user's language unless the client asked for one (Accept-Language)."""
    user = request.user
    if "HTTP_ACCEPT_LANGUAGE" not in request.META and getattr(user, "language", ""):
        translation.activate(user.language)
        request.LANGUAGE_CODE = translation.get_language()


class CaseFilter(django_filters.FilterSet):
    """Rows of one case (a plain id: an unknown or foreign id gives an empty list)."""
    case = django_filters.NumberFilter(field_name="case_id")


class RecordViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                    mixins.ListModelMixin, viewsets.GenericViewSet):
    """List (optionally ?case=), read and create rows of the case record; reads are audited."""
    audit_reads = True
    filterset_class = CaseFilter
    versioned = False
    # Extra actions that take If-Match (they change a versioned row).
    guarded_actions: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        activate_user_language(request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["expected_version"] = getattr(self, "_expected_version", None)
        return context

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        if rows:
            audit_many(action=AuditAction.VIEW, objects=rows, actor=self.request.user, details={"view": "api"})
        return page

    def with_etag(self, response, obj):
        if self.versioned and obj is not None:
            response["ETag"] = etag_for(obj)
        return response

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=instance)
        return self.with_etag(Response(self.get_serializer(instance).data), instance)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return self.with_etag(Response(self.output(serializer.instance), status=status.HTTP_201_CREATED), serializer.instance)

    def output(self, instance) -> dict:
        return self.get_serializer(instance).data

    # --- optimistic locking -----------------------------------------------------------------------

    def conflict(self, current, changed_fields, message=None) -> Response:
        if message is None:
            message = VersionConflict(current=current, changed_fields=changed_fields).messages[0]
        response = Response(
            {"detail": str(message), "changed_fields": list(changed_fields), "current": self.output(current)},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )
        response["ETag"] = etag_for(current)
        return response

    def guarded(self, instance, request, run, *, submitted: dict | None = None):
        """Run ``run(expected_version)`` for a change of a versioned row, answering 428/412 as needed."""
        expected = version_from_if_match(request, instance)
        if expected != instance.version:
            # Refused before the service runs (it still guards the race while saving).
            changed = [
                name for name, value in (submitted or {}).items()
                if hasattr(instance, name) and getattr(instance, name) != value
            ]
            return self.conflict(instance, changed)
        self._expected_version = expected
        try:
            with transaction.atomic():
                result = run(expected)
                self._recheck(result)
        except VersionConflict as exc:
            return self.conflict(exc.current, exc.changed_fields, exc.messages[0])
        return self.with_etag(Response(self.output(result)), result)


class VersionedUpdateMixin:
    """PUT/PATCH with If-Match."""
    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        version_from_if_match(request, instance)  # 428 before validation when If-Match is missing
        serializer.is_valid(raise_exception=True)

        def run(expected):
            self._expected_version = expected
            serializer.context["expected_version"] = expected
            return serializer.save()

        return self.guarded(instance, request, run, submitted=dict(serializer.validated_data))

    def partial_update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return self.update(request, *args, **kwargs)


def versioned_docs(serializer, *, updatable=True):
    """Schema of a versioned resource: ETag on reads, If-Match on changes."""
    docs = {
        "retrieve": extend_schema(responses={200: serializer, 404: ERRORS[404]}, description=str(ETAG_NOTE)),
        "create": extend_schema(responses={201: serializer, **ERRORS}),
        "list": extend_schema(parameters=[CASE_FILTER]),
    }
    if updatable:
        change = extend_schema(parameters=[IF_MATCH], responses={200: serializer, **VERSIONED_ERRORS})
        docs["update"] = change
        docs["partial_update"] = change
    return extend_schema_view(**docs)


def record_docs(serializer):
    return extend_schema_view(
        list=extend_schema(parameters=[CASE_FILTER]),
        create=extend_schema(responses={201: serializer, **ERRORS}),
        retrieve=extend_schema(responses={200: serializer, 404: ERRORS[404]}),
    )


# --- cases ------------------------------------------------------------------------------------------

CASE_LIST_PARAMETERS = [
    OpenApiParameter("scope", OpenApiTypes.STR, enum=["mine", "institution", "all", "shared"],
                     description=_("mine (default), my institution's, all (coordinators), shared with me")),
    OpenApiParameter("status", OpenApiTypes.STR, many=True),
    OpenApiParameter("risk_level", OpenApiTypes.STR, many=True),
    OpenApiParameter("form", OpenApiTypes.STR, description=_("A form of violence of any incident.")),
    OpenApiParameter("reported_after", OpenApiTypes.DATE),
    OpenApiParameter("reported_before", OpenApiTypes.DATE),
    OpenApiParameter("institution", OpenApiTypes.INT),
    OpenApiParameter("q", OpenApiTypes.STR, description=_(
        "Case number or person name in either script (Đorđević = Djordjevic = Ђорђевић); one page of results.")),
    OpenApiParameter("cursor", OpenApiTypes.STR),
    OpenApiParameter("page_size", OpenApiTypes.INT),
]


@extend_schema_view(
    # The cursor page's envelope (next, previous, results) comes from the pagination class.
    list=extend_schema(parameters=CASE_LIST_PARAMETERS, responses={200: s.CaseSerializer(many=True), 400: ERRORS[400]}),
    retrieve=extend_schema(responses={200: s.CaseSerializer, 404: ERRORS[404]}, description=str(ETAG_NOTE)),
    create=extend_schema(responses={201: s.CaseSerializer, **ERRORS}),
    update=extend_schema(parameters=[IF_MATCH], responses={200: s.CaseSerializer, **VERSIONED_ERRORS}),
    partial_update=extend_schema(parameters=[IF_MATCH], responses={200: s.CaseSerializer, **VERSIONED_ERRORS}),
)
class CaseViewSet(VersionedUpdateMixin, mixins.UpdateModelMixin, RecordViewSet):
    """Cases: the scoped list (my cases, my institution's, all, shared with me), opening a case,
    editing it with If-Match, and steering it (status, team, staff, conference)."""

    queryset = Case.objects.select_related("lead_institution")
    serializer_class = s.CaseSerializer
    filterset_class = None
    versioned = True
    action_scopes = {
        "status": "change", "team": "change", "team_remove": "change", "assign": "change",
        "propose_conference": "change", "timeline": "view",
    }

    def list(self, request, *args, **kwargs):
        params = request.query_params
        q = (params.get("q") or "").strip()
        with s.service_call():
            if q:
                cases = [r.case for r in case_search(request.user, q)]
                return Response({"next": None, "previous": None, "results": self.get_serializer(cases, many=True).data})
            filters = {
                "status": params.getlist("status") or None,
                "risk_level": params.getlist("risk_level") or None,
                "form": params.get("form") or None,
                "reported_from": self._date(params, "reported_after"),
                "reported_to": self._date(params, "reported_before"),
                "institution": params.get("institution") or None,
            }
            page = case_list(
                request.user,
                scope=params.get("scope") or "mine",
                cursor=params.get("cursor") or None,
                page_size=params.get("page_size") or DEFAULT_PAGE_SIZE,
                **filters,
            )
        url = request.build_absolute_uri()
        next_url = replace_query_param(url, "cursor", page.next_cursor) if page.next_cursor else None
        return Response({"next": next_url, "previous": None, "results": self.get_serializer(page.cases, many=True).data})

    @staticmethod
    def _date(params, name):
        from rest_framework import serializers as drf

        value = params.get(name)
        if not value:
            return None
        try:
            day = drf.DateField().to_internal_value(value)
            validate_date_window(day)
        except drf.ValidationError as exc:
            raise drf.ValidationError({name: exc.detail}) from None
        except DjangoValidationError as exc:
            raise drf.ValidationError({name: exc.messages}) from None
        return day

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=instance)
        return self.with_etag(Response(self.get_serializer(instance).data), instance)

    @extend_schema(request=s.CaseStatusSerializer, parameters=[IF_MATCH],
                   responses={200: s.CaseSerializer, **VERSIONED_ERRORS})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        """Move the case to another status (closing needs a reason)."""
        case = self.get_object()
        version_from_if_match(request, case)
        data = s.CaseStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)

        def run(expected):
            with s.service_call():
                return case_services.case_change_status(
                    user=request.user, case=case, expected_version=expected,
                    to_status=data.validated_data["to_status"],
                    closure_reason=data.validated_data.get("closure_reason", ""),
                    note=data.validated_data.get("note", ""),
                )

        return self.guarded(case, request, run, submitted={"status": data.validated_data["to_status"]})

    @extend_schema(methods=["GET"], request=None, responses={200: s.TeamMemberSerializer(many=True), 404: ERRORS[404]})
    @extend_schema(methods=["POST"], request=s.TeamAddSerializer,
                   responses={201: s.TeamMemberSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def team(self, request, pk=None):
        """The case team; POST adds an institution (without the victim's consent only in immediate
        danger, with ``override_reason``)."""
        case = self.get_object()
        if request.method == "POST":
            data = s.TeamAddSerializer(data=request.data, context=self.get_serializer_context())
            data.is_valid(raise_exception=True)
            with transaction.atomic(), s.service_call():
                case_services.case_add_participant(user=request.user, case=case, **data.validated_data)
            members = case_team_for(request.user, case)
            return Response(s.TeamMemberSerializer(members, many=True).data, status=status.HTTP_201_CREATED)
        return Response(s.TeamMemberSerializer(case_team_for(request.user, case), many=True).data)

    @extend_schema(request=None, responses={200: s.TeamMemberSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["post"], url_path=r"team/(?P<participant_id>[0-9]+)/remove", url_name="team-remove",
            pagination_class=None)
    def team_remove(self, request, pk=None, participant_id=None):
        """Take an institution off the team (its staff's assignments on the case end)."""
        case = self.get_object()
        participant = CaseParticipant.objects.filter(case=case, pk=participant_id).select_related("institution").first()
        if participant is None:
            raise Http404
        with transaction.atomic(), s.service_call():
            case_services.case_remove_participant(user=request.user, case=case, institution=participant.institution)
        return Response(s.TeamMemberSerializer(case_team_for(request.user, case), many=True).data)

    @extend_schema(request=s.AssignSerializer, responses={201: s.AssignmentSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign a staff member of a team institution (a new case manager replaces the old one)."""
        case = self.get_object()
        data = s.AssignSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        with transaction.atomic(), s.service_call():
            assignment = case_services.case_assign_user(user=request.user, case=case, **data.validated_data)
        return Response(s.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.CaseSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="propose-conference", url_name="propose-conference")
    def propose_conference(self, request, pk=None):
        """Propose the case for the next case conference."""
        case = self.get_object()
        with transaction.atomic(), s.service_call():
            case = case_services.case_propose_for_conference(user=request.user, case=case)
        return self.with_etag(Response(self.get_serializer(case).data), case)

    @extend_schema(request=None, responses={200: s.TimelineEntrySerializer(many=True), 404: ERRORS[404]})
    @action(detail=True, methods=["get"], pagination_class=None)
    def timeline(self, request, pk=None):
        """Everything recorded on the case that you may see, newest first."""
        case = self.get_object()
        return Response(s.TimelineEntrySerializer(case_timeline(request.user, case), many=True).data)


# --- persons, incidents, risk, consent -------------------------------------------------------------


@versioned_docs(s.CasePersonSerializer)
class CasePersonViewSet(VersionedUpdateMixin, mixins.UpdateModelMixin, RecordViewSet):
    """Persons on cases. The JMBG is write-only (masked on reads); contact data is in the detail only,
    as you may see it (a confidential address only for the lead institution's assigned staff)."""

    queryset = CasePerson.objects.all()
    serializer_class = s.CasePersonSerializer
    versioned = True

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["with_contact"] = getattr(self, "action", None) != "list"
        return context

    def output(self, instance) -> dict:
        data = self.get_serializer(instance).data
        if getattr(instance, "repeat_pair", None) is not None:
            data["repeat_pair"] = instance.repeat_pair
        return data


@record_docs(s.IncidentSerializer)
class IncidentViewSet(RecordViewSet):
    """Incidents of violence."""
    queryset = Incident.objects.all()
    serializer_class = s.IncidentSerializer


@record_docs(s.RiskAssessmentSerializer)
class RiskAssessmentViewSet(RecordViewSet):
    """Art. 16 risk assessments; creating one answers what it asks of the team (conference, plan, prosecutor)."""
    queryset = RiskAssessment.objects.all()
    serializer_class = s.RiskAssessmentSerializer


@record_docs(s.ConsentSerializer)
class ConsentViewSet(RecordViewSet):
    """The victim's consents to share the case."""
    queryset = Consent.objects.prefetch_related("institutions")
    serializer_class = s.ConsentSerializer
    action_scopes = {"withdraw": "change"}

    @extend_schema(request=s.ConsentWithdrawSerializer, responses={200: s.ConsentSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Record that the victim withdrew the consent (today unless ``withdrawn_at`` says otherwise)."""
        consent = self.get_object()
        data = s.ConsentWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic(), s.service_call():
            consent = consent_services.consent_withdraw(
                user=request.user, consent=consent, withdrawn_at=data.validated_data.get("withdrawn_at")
            )
        return Response(self.get_serializer(consent).data)


# --- measures -------------------------------------------------------------------------------------------


@versioned_docs(s.EmergencyMeasureSerializer, updatable=False)
class EmergencyMeasureViewSet(RecordViewSet):
    """Police emergency measures (48 hours) and their extension steps; each step needs If-Match."""
    queryset = EmergencyMeasure.objects.all()
    serializer_class = s.EmergencyMeasureSerializer
    versioned = True
    action_scopes = {"propose_extension": "change", "court_decision": "change", "appeal": "change"}

    def _step(self, request, serializer_class, call):
        measure = self.get_object()
        version_from_if_match(request, measure)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)

        def run(expected):
            with s.service_call():
                return call(measure, expected, data.validated_data)

        return self.guarded(measure, request, run, submitted=dict(data.validated_data))

    @extend_schema(request=s.ExtensionProposalSerializer, parameters=[IF_MATCH],
                   responses={200: s.EmergencyMeasureSerializer, **VERSIONED_ERRORS})
    @action(detail=True, methods=["post"], url_path="propose-extension", url_name="propose-extension")
    def propose_extension(self, request, pk=None):
        """The prosecutor's extension proposal (due within 24 hours of delivery)."""
        return self._step(request, s.ExtensionProposalSerializer, lambda m, v, d: (
            measure_services.emergency_measure_propose_extension(
                user=request.user, measure=m, proposed_at=d["extension_proposed_at"], expected_version=v)))

    @extend_schema(request=s.CourtDecisionSerializer, parameters=[IF_MATCH],
                   responses={200: s.EmergencyMeasureSerializer, **VERSIONED_ERRORS})
    @action(detail=True, methods=["post"], url_path="court-decision", url_name="court-decision")
    def court_decision(self, request, pk=None):
        """The court's decision on the extension (30 days, or rejected)."""
        return self._step(request, s.CourtDecisionSerializer, lambda m, v, d: (
            measure_services.emergency_measure_court_decision(
                user=request.user, measure=m, decision=d["court_decision"], decided_at=d["court_decided_at"],
                expected_version=v)))

    @extend_schema(request=s.AppealSerializer, parameters=[IF_MATCH],
                   responses={200: s.EmergencyMeasureSerializer, **VERSIONED_ERRORS})
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        """An appeal against the court's decision (3 days)."""
        return self._step(request, s.AppealSerializer, lambda m, v, d: (
            measure_services.emergency_measure_appeal(
                user=request.user, measure=m, filed_at=d["appeal_filed_at"], expected_version=v)))


@record_docs(s.BreachSerializer)
class BreachViewSet(RecordViewSet):
    """Breaches of emergency or protective measures."""
    queryset = MeasureBreach.objects.all()
    serializer_class = s.BreachSerializer


@record_docs(s.ProtectiveMeasureSerializer)
class ProtectiveMeasureViewSet(RecordViewSet):
    """Family Law protective measures; renewal creates the continuing measure."""
    queryset = ProtectiveMeasure.objects.all()
    serializer_class = s.ProtectiveMeasureSerializer
    action_scopes = {"renew": "change"}

    @extend_schema(request=s.ProtectiveRenewSerializer, responses={201: s.ProtectiveMeasureSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Renew the measure before it ends (art. 199), for up to a year."""
        measure = self.get_object()
        data = s.ProtectiveRenewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic(), s.service_call():
            renewal = measure_services.protective_measure_renew(user=request.user, measure=measure, **data.validated_data)
        return Response(self.get_serializer(renewal).data, status=status.HTTP_201_CREATED)


@versioned_docs(s.ProtectionPlanSerializer)
class ProtectionPlanViewSet(VersionedUpdateMixin, mixins.UpdateModelMixin, RecordViewSet):
    """Individual protection and support plans."""
    queryset = ProtectionPlan.objects.all()
    serializer_class = s.ProtectionPlanSerializer
    versioned = True


@versioned_docs(s.PlanMeasureSerializer)
class PlanMeasureViewSet(VersionedUpdateMixin, mixins.UpdateModelMixin, RecordViewSet):
    """Measures of the plans; status changes need If-Match like every change."""
    queryset = PlanMeasure.objects.select_related("plan")
    serializer_class = s.PlanMeasureSerializer
    versioned = True
    action_scopes = {"status": "change"}

    @extend_schema(request=s.PlanMeasureStatusSerializer, parameters=[IF_MATCH],
                   responses={200: s.PlanMeasureSerializer, **VERSIONED_ERRORS})
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request, pk=None):
        """Planned, in progress, done (records when) or cancelled."""
        measure = self.get_object()
        version_from_if_match(request, measure)
        data = s.PlanMeasureStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)

        def run(expected):
            with s.service_call():
                return plan_services.plan_measure_update_status(
                    user=request.user, measure=measure, status=data.validated_data["status"], expected_version=expected
                )

        return self.guarded(measure, request, run, submitted=dict(data.validated_data))


# --- referrals --------------------------------------------------------------------------------------


def incoming_referrals(user):
    """Referrals addressed to the user's own institutions (the receiving side sees them before the
    case is shared with it; the same branch as the work queue's)."""
    return Referral.objects.addressed_to(user)


@extend_schema_view(
    list=extend_schema(parameters=[
        CASE_FILTER,
        OpenApiParameter("box", OpenApiTypes.STR, enum=["sent", "incoming"], description=_(
            "incoming: referrals addressed to your institutions (also before the case is shared with you)")),
    ]),
    create=extend_schema(responses={201: s.ReferralSerializer, **ERRORS}),
    retrieve=extend_schema(responses={200: s.ReferralSerializer, 404: ERRORS[404]}),
)
class ReferralViewSet(RecordViewSet):
    """Referrals: sent from cases you work on, and incoming to your institutions (?box=incoming)."""
    queryset = Referral.objects.select_related("case")
    serializer_class = s.ReferralSerializer

    def get_queryset(self):
        if self.action == "list" and self.request.query_params.get("box") == "incoming":
            return incoming_referrals(self.request.user).select_related("case")
        return super().get_queryset()

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            found = incoming_referrals(self.request.user).select_related("case").filter(pk=self.kwargs["pk"]).first()
            if found is None:
                raise
            return found

    def _answer(self, request, call, status_code=status.HTTP_200_OK):
        with transaction.atomic(), s.service_call():
            referral = call(int(self.kwargs["pk"]))
        return Response(self.get_serializer(referral).data, status=status_code)

    @extend_schema(request=None, responses={200: s.ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The receiving institution accepts: its staff may see the case until the referral ends."""
        return self._answer(request, lambda pk: referral_services.referral_accept(user=request.user, referral=pk))

    @extend_schema(request=s.ReferralDeclineSerializer, responses={200: s.ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The receiving institution declines, saying why."""
        data = s.ReferralDeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(request, lambda pk: referral_services.referral_decline(
            user=request.user, referral=pk, reason=data.validated_data["decline_reason"]))

    @extend_schema(request=None, responses={200: s.ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Either side marks an accepted referral completed (the receiving side's access ends)."""
        return self._answer(request, lambda pk: referral_services.referral_complete(user=request.user, referral=pk))

    @extend_schema(request=None, responses={200: s.ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The referring side withdraws an open or accepted referral."""
        return self._answer(request, lambda pk: referral_services.referral_withdraw(user=request.user, referral=pk))


# --- notes and attachments ----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(parameters=[CASE_FILTER]),
    create=extend_schema(responses={201: s.CaseNoteSerializer, **ERRORS}),
    retrieve=extend_schema(responses={200: s.CaseNoteSerializer, 404: ERRORS[404]}),
    update=extend_schema(responses={200: s.CaseNoteSerializer, **ERRORS}),
    partial_update=extend_schema(responses={200: s.CaseNoteSerializer, **ERRORS}),
)
class CaseNoteViewSet(mixins.UpdateModelMixin, RecordViewSet):
    """Notes and contacts; "own institution only" notes stay inside the author's institution. The
    author corrects a note within 24 hours (PATCH)."""

    queryset = CaseNote.objects.all()
    serializer_class = s.CaseNoteSerializer


@record_docs(s.AttachmentSerializer)
class AttachmentViewSet(RecordViewSet):
    """Documents on cases: multipart upload (type checked by content), download through ``download``."""
    queryset = Attachment.objects.all()
    serializer_class = s.AttachmentSerializer
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=None, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: ERRORS[404]})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        """The file itself (the read is audited)."""
        attachment = attachment_services.attachment_open(user=request.user, attachment=int(pk))
        response = FileResponse(
            attachment.file, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- the work queue --------------------------------------------------------------------------------


class WorkQueueViewSet(viewsets.ViewSet):
    """Your work queue: expiring measures, overdue plan measures, referrals waiting for an answer,
    cases without activity for 30 days and unread reminders."""

    schema = SingleObjectSchema()  # one queue object, not a list of them

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        activate_user_language(request)

    @extend_schema(responses=s.WorkQueueSerializer)
    def list(self, request):
        queue = work_queue_for(request.user)
        return Response(s.WorkQueueSerializer(queue).data)

