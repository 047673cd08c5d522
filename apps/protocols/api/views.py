"""Protocols, agreements, self-assessment and compliance over the API, scoped like the pages
(``visible_to``; 404 outside scope); versioned records (protocol versions, agreements, answers) answer
with an ETag and change only with If-Match (428 without, 412 when someone saved in between)."""
from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.errors import service_errors
from apps.core.api.versioning import IF_MATCH, VersionedViewSetMixin
from apps.core.api.views import ScopedReadOnlyViewSet, ScopedViewSetMixin
from apps.municipalities.models import Municipality

from ..filters import AgreementFilter, ResponseFilter, RoundFilter, VersionFilter
from ..models import (
    Agreement,
    AgreementParty,
    AssessmentResponse,
    AssessmentRound,
    Checklist,
    Protocol,
    ProtocolVersion,
)
from ..querysets import REVIEW, SIGN, managed_municipalities, municipality_institutions
from ..rules import compliance_reach
from ..selectors.compliance import MEASURES, compliance_table
from ..services import agreements as agreement_services
from ..services import assessment as assessment_services
from ..services import protocols as protocol_services
from . import serializers as s

ERRORS = {
    400: OpenApiResponse(description="Invalid input; the body names each field with its message."),
    404: OpenApiResponse(description="No such record within your scope."),
    412: OpenApiResponse(description="Someone saved the record since your GET; the body has the changed fields."),
    428: OpenApiResponse(description="If-Match is missing."),
}


class ProtocolViewSet(ScopedReadOnlyViewSet):
    """National templates and the municipalities' protocols the user reads."""

    queryset = Protocol.objects.order_by("id")
    serializer_class = s.ProtocolSerializer


class ProtocolVersionViewSet(VersionedViewSetMixin, ScopedReadOnlyViewSet):
    """Versions with their steps; ``adopt`` a draft (If-Match)."""

    queryset = ProtocolVersion.objects.prefetch_related("steps").order_by("id")
    serializer_class = s.VersionSerializer
    filterset_class = VersionFilter
    versioned = True
    action_scopes = {"adopt": "change"}

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.with_etag(Response(self.get_serializer(obj).data), obj)

    @extend_schema(summary="Adopt a draft version", request=s.AdoptSerializer, parameters=[IF_MATCH],
                   responses={200: s.VersionSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        version = self.get_object()
        serializer = s.AdoptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)

        def run(expected):
            with service_errors():
                return protocol_services.version_adopt(user=request.user, version=version, expected_version=expected,
                                                       **serializer.validated_data)

        return self.guarded(version, request, run)


class AgreementViewSet(VersionedViewSetMixin, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Cooperation agreements; coordinators create and change them (If-Match)."""

    queryset = Agreement.objects.prefetch_related("parties", "annexes").order_by("id")
    serializer_class = s.AgreementSerializer
    filterset_class = AgreementFilter
    versioned = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.with_etag(Response(self.get_serializer(obj).data), obj)

    @extend_schema(responses={201: s.AgreementSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        municipality = managed_municipalities(request.user).first()
        if municipality is None:
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in agreement_services.AGREEMENT_FIELDS}
        with service_errors():
            agreement = agreement_services.agreement_save(user=request.user, municipality=municipality, **data)
        return self.with_etag(Response(self.get_serializer(agreement).data, status=status.HTTP_201_CREATED), agreement)

    @extend_schema(parameters=[IF_MATCH], responses={200: s.AgreementSerializer, **ERRORS})
    def partial_update(self, request, *args, **kwargs):
        agreement = self.get_object()
        serializer = self.get_serializer(agreement, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {k: v for k, v in serializer.validated_data.items() if k in agreement_services.AGREEMENT_FIELDS}
        for name in ("valid_from", "valid_until"):
            data.setdefault(name, getattr(agreement, name))

        def run(expected):
            with service_errors():
                return agreement_services.agreement_save(user=request.user, municipality=agreement.municipality,
                                                         agreement=agreement, expected_version=expected, **data)

        return self.guarded(agreement, request, run, submitted=data)


class AgreementPartyViewSet(ScopedReadOnlyViewSet):
    """Parties of the agreements the user reads; ``sign`` records a signature (own institution's admin or
    a coordinator)."""

    queryset = AgreementParty.objects.order_by("id")
    serializer_class = s.PartySerializer
    action_scopes = {"sign": SIGN}

    @extend_schema(summary="Record the party's signature", request=s.SignSerializer,
                   responses={200: s.PartySerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        party = self.get_object()
        serializer = s.SignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            party = agreement_services.party_sign(user=request.user, party=party, **serializer.validated_data)
        return Response(s.PartySerializer(party).data)


class RoundViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    """Self-assessment rounds; coordinators open and close them."""

    queryset = AssessmentRound.objects.order_by("id")
    serializer_class = s.RoundSerializer
    filterset_class = RoundFilter
    action_scopes = {"close": "change"}

    @extend_schema(responses={201: s.RoundSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        municipality = managed_municipalities(request.user).first()
        if municipality is None:
            raise Http404
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        wanted = set(data.pop("institutions"))
        institutions = list(municipality_institutions(request.user, municipality.pk).filter(pk__in=wanted))
        checklist = Checklist.objects.visible_to(request.user).filter(pk=data["checklist"].pk).first()
        if len(institutions) != len(wanted) or checklist is None:
            raise Http404
        data["checklist"] = checklist
        with service_errors():
            round_ = assessment_services.round_open(user=request.user, municipality=municipality,
                                                    institutions=institutions, **data)
        return Response(s.RoundSerializer(round_).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Close the round (once)", request=None, responses={200: s.RoundSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        round_ = self.get_object()
        with service_errors():
            round_ = assessment_services.round_close(user=request.user, round_=round_)
        return Response(s.RoundSerializer(round_).data)


class ResponseViewSet(VersionedViewSetMixin, ScopedReadOnlyViewSet):
    """An institution's answers; ``answers`` saves (and with ``submit`` submits) them with If-Match;
    ``return`` sends them back for completion (coordinators)."""

    queryset = AssessmentResponse.objects.select_related("round").prefetch_related("answers", "action_points").order_by("id")
    serializer_class = s.ResponseSerializer
    filterset_class = ResponseFilter
    versioned = True
    action_scopes = {"answers": "change", "send_back": REVIEW}

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.with_etag(Response(self.get_serializer(obj).data), obj)

    @extend_schema(summary="Save the answers (and submit them)", request=s.AnswersInputSerializer,
                   parameters=[IF_MATCH], responses={200: s.ResponseSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def answers(self, request, pk=None):
        response = self.get_object()
        serializer = s.AnswersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        given = {row["item"]: row for row in serializer.validated_data["answers"]}

        def run(expected):
            with service_errors():
                saved = assessment_services.answers_save(user=request.user, response=response,
                                                         expected_version=expected, answers=given)
                if serializer.validated_data["submit"]:
                    saved = assessment_services.response_submit(user=request.user, response=saved,
                                                                expected_version=saved.version)
                return saved

        return self.guarded(response, request, run)

    @extend_schema(summary="Return submitted answers for completion", request=s.ResponseSerializer,
                   parameters=[IF_MATCH], responses={200: s.ResponseSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        response = self.get_object()

        def run(expected):
            with service_errors():
                return assessment_services.response_return(user=request.user, response=response,
                                                           expected_version=expected,
                                                           note=str(request.data.get("return_note", "")))

        return self.guarded(response, request, run)


class ComplianceView(APIView):
    """Compliance figures of one municipality, year and measure (figures only; "< 5" cells as nulls with
    ``suppressed``)."""

    @extend_schema(
        parameters=[OpenApiParameter("municipality", OpenApiTypes.INT, description="Default: the first municipality whose figures you read."),
                    OpenApiParameter("year", OpenApiTypes.INT), OpenApiParameter("measure", OpenApiTypes.STR, enum=MEASURES)],
        responses={200: s.ComplianceSerializer, 404: ERRORS[404]},
    )
    def get(self, request):
        try:
            wanted = request.query_params.get("municipality", "")
            municipality_id = int(wanted) if wanted else None
            year = int(request.query_params.get("year", timezone.localdate().year))
        except ValueError:
            raise Http404 from None
        measure = request.query_params.get("measure", MEASURES[0])
        readable = [m for m in Municipality.objects.visible_to(request.user).order_by("name")
                    if compliance_reach(request.user.access, m.pk) is not None]
        municipality = next((m for m in readable if municipality_id in (None, m.pk)), None)
        if municipality is None or measure not in MEASURES or not 2000 <= year <= 2199:
            raise Http404
        table = compliance_table(request.user, municipality, year, measure)
        rows = []
        for row in table.rows:
            cells = []
            for month, cell in row["cells"]:
                hidden = cell.hidden
                cells.append({"month": month, "due": None if hidden else cell.due,
                              "on_time": None if hidden else cell.on_time, "running": None if hidden else cell.running,
                              "share": cell.share, "median_hours": None if hidden else cell.median_hours,
                              "suppressed": hidden})
            rows.append({"institution": row["institution_id"], "months": cells})
        return Response(s.ComplianceSerializer({"municipality": municipality.pk, "year": year, "measure": measure,
                                                "suppressed": table.suppressed, "rows": rows}).data)
