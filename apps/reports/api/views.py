"""The reports API: a municipality's figures (protected as on the page), the national figures (national
readers) and the report runs."""
from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.views import ScopedReadOnlyViewSet
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from .. import rules
from ..models import ReportRun
from ..periods import PERIODS
from ..selectors import municipal_dashboard, national_dashboard
from . import serializers as s

YEAR = OpenApiParameter("year", OpenApiTypes.INT)


def _year(request) -> int:
    try:
        year = int(request.query_params.get("year", timezone.localdate().year))
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2199:
        raise Http404
    return year


class FiguresView(APIView):
    """Every figure of a municipality's year (or one institution's), as the page shows it to you."""

    @extend_schema(parameters=[OpenApiParameter("municipality", OpenApiTypes.INT), YEAR,
                               OpenApiParameter("institution", OpenApiTypes.INT)],
                   responses={200: s.FiguresSerializer})
    def get(self, request):
        access = request.user.access
        wanted = request.query_params.get("municipality", "")
        readable = [m for m in Municipality.objects.visible_to(request.user).order_by("name") if rules.reach(access, m.pk)]
        municipality = next((m for m in readable if str(m.pk) == wanted or not wanted), None)
        if municipality is None:
            raise Http404
        reach = rules.reach(access, municipality.pk)
        wanted_inst = request.query_params.get("institution", "")
        institution_id = 0
        if wanted_inst or isinstance(reach, frozenset):
            ids = [i.pk for i in Institution.objects.visible_to(request.user).for_municipality(municipality.pk)]
            if isinstance(reach, frozenset):
                ids = [i for i in ids if i in reach]
            chosen = next((i for i in ids if str(i) == wanted_inst), None if wanted_inst else (ids[0] if ids else None))
            if chosen is None:
                raise Http404
            institution_id = chosen
        year = _year(request)
        suppressed = reach != rules.CASES
        board = municipal_dashboard(request.user, municipality.pk, year=year, period=PERIODS[-1],
                                    institution_id=institution_id, suppressed=suppressed)
        return Response(s.FiguresSerializer({
            "municipality": municipality.pk, "institution": institution_id or None, "year": year,
            "suppressed": suppressed, "figures": s.figures_data(board.tables)}).data)


class NationalFiguresView(APIView):
    """Every municipality together (national readers only); never a case."""

    @extend_schema(parameters=[YEAR], responses={200: s.FiguresSerializer})
    def get(self, request):
        if not rules.is_national_reader(request.user):
            raise Http404
        year = _year(request)
        board = national_dashboard(year=year, period=PERIODS[-1])
        return Response(s.FiguresSerializer({"municipality": None, "institution": None, "year": year,
                                             "suppressed": True, "figures": s.figures_data(board.tables)}).data)


class ReportRunViewSet(ScopedReadOnlyViewSet):
    """The monthly report runs of the municipalities whose reports you read (status; a link to the PDF)."""

    queryset = ReportRun.objects.order_by("-period", "-id")
    serializer_class = s.ReportRunSerializer
