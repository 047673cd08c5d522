"""Persons on cases and the victim's consents."""
from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from apps.core.api.errors import service_errors
from apps.core.api.versioning import VersionedUpdateMixin

from ...models import CasePerson, Consent
from ...services import consent as consent_services
from ..serializers.persons import CasePersonSerializer, ConsentSerializer, ConsentWithdrawSerializer
from .base import ERRORS, RecordViewSet, record_docs, versioned_docs


@versioned_docs(CasePersonSerializer)
class CasePersonViewSet(VersionedUpdateMixin, mixins.UpdateModelMixin, RecordViewSet):
    """Persons on cases. The JMBG is write-only (masked on reads); contact data is in the detail only,
    as you may see it (a confidential address only for the lead institution's assigned staff)."""

    queryset = CasePerson.objects.all()
    serializer_class = CasePersonSerializer
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


@record_docs(ConsentSerializer)
class ConsentViewSet(RecordViewSet):
    """The victim's consents to share the case."""
    queryset = Consent.objects.prefetch_related("institutions")
    serializer_class = ConsentSerializer
    action_scopes = {"withdraw": "change"}

    @extend_schema(request=ConsentWithdrawSerializer, responses={200: ConsentSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Record that the victim withdrew the consent (today unless ``withdrawn_at`` says otherwise)."""
        consent = self.get_object()
        data = ConsentWithdrawSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic(), service_errors():
            consent = consent_services.consent_withdraw(
                user=request.user, consent=consent, withdrawn_at=data.validated_data.get("withdrawn_at")
            )
        return Response(self.get_serializer(consent).data)
