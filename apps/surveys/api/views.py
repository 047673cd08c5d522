"""API views of the surveys app: questionnaires, collections and their suppressed aggregates (read
only; the same results as the pages, apps/surveys/results.py). The public answer endpoint is the
page /surveys/a/<token>/ (README), not part of the authenticated API."""
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.views import ScopedReadOnlyViewSet

from ..models import Collection, Questionnaire
from ..results import as_data, collection_results
from . import serializers as s


class QuestionnaireViewSet(ScopedReadOnlyViewSet):
    queryset = Questionnaire.objects.all().order_by("id")
    serializer_class = s.QuestionnaireSerializer


class CollectionViewSet(ScopedReadOnlyViewSet):
    queryset = Collection.objects.all().order_by("id")
    serializer_class = s.CollectionSerializer

    @extend_schema(responses={200: dict}, description="Suppressed aggregates: nothing under 10 answers, cells under 5 as \"< 5\".")
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        return Response(as_data(collection_results(self.get_object())))
