"""Filters of the protocols lists (shared by the API)."""
from __future__ import annotations

import django_filters

from .choices import AgreementStatus, ResponseStatus, RoundStatus, VersionStatus
from .models import Agreement, AssessmentResponse, AssessmentRound, ProtocolVersion


class VersionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices)

    class Meta:
        model = ProtocolVersion
        fields = ["status", "protocol"]


class AgreementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AgreementStatus.choices)

    class Meta:
        model = Agreement
        fields = ["status"]


class RoundFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices)

    class Meta:
        model = AssessmentRound
        fields = ["status"]


class ResponseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ResponseStatus.choices)

    class Meta:
        model = AssessmentResponse
        fields = ["status", "round"]
