"""Referrals: sent from cases you work on, and incoming to your institutions."""
from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.errors import service_errors

from ...models import Referral
from ...services import referrals as referral_services
from ..serializers.referrals import ReferralDeclineSerializer, ReferralSerializer
from .base import CASE_FILTER, ERRORS, RecordViewSet


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
    create=extend_schema(responses={201: ReferralSerializer, **ERRORS}),
    retrieve=extend_schema(responses={200: ReferralSerializer, 404: ERRORS[404]}),
)
class ReferralViewSet(RecordViewSet):
    """Referrals: sent from cases you work on, and incoming to your institutions (?box=incoming)."""
    queryset = Referral.objects.select_related("case")
    serializer_class = ReferralSerializer

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
        with transaction.atomic(), service_errors():
            referral = call(int(self.kwargs["pk"]))
        return Response(self.get_serializer(referral).data, status=status_code)

    @extend_schema(request=None, responses={200: ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The receiving institution accepts: its staff may see the case until the referral ends."""
        return self._answer(request, lambda pk: referral_services.referral_accept(user=request.user, referral=pk))

    @extend_schema(request=ReferralDeclineSerializer, responses={200: ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The receiving institution declines, saying why."""
        data = ReferralDeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(request, lambda pk: referral_services.referral_decline(
            user=request.user, referral=pk, reason=data.validated_data["decline_reason"]))

    @extend_schema(request=None, responses={200: ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Either side marks an accepted referral completed (the receiving side's access ends)."""
        return self._answer(request, lambda pk: referral_services.referral_complete(user=request.user, referral=pk))

    @extend_schema(request=None, responses={200: ReferralSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The referring side withdraws an open or accepted referral."""
        return self._answer(request, lambda pk: referral_services.referral_withdraw(user=request.user, referral=pk))
