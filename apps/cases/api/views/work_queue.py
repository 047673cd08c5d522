"""The work queue of the requesting user."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from apps.core.api.openapi import SingleObjectSchema
from apps.core.api.views import UserLanguageMixin

from ...selectors.work_queue import work_queue_for
from ..serializers.work_queue import WorkQueueSerializer


class WorkQueueViewSet(UserLanguageMixin, viewsets.ViewSet):
    """Your work queue: expiring measures, overdue plan measures, referrals waiting for an answer,
    cases without activity for 30 days and unread reminders."""

    schema = SingleObjectSchema()  # one queue object, not a list of them

    @extend_schema(responses=WorkQueueSerializer)
    def list(self, request):
        queue = work_queue_for(request.user)
        return Response(WorkQueueSerializer(queue).data)
