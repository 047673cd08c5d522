"""Memberships and the current user over the API."""
import django_filters
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api.permissions import CreateByAdmins
from apps.core.api.views import ScopedViewSetMixin
from apps.core.choices import Role
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from ..models import Membership
from ..services import membership_end
from .serializers import MembershipSerializer, MeSerializer


class MembershipFilter(django_filters.FilterSet):
    """Narrowing filters (plain ids: an unknown id gives an empty list, not an error)."""

    institution = django_filters.NumberFilter(field_name="institution_id")
    municipality = django_filters.NumberFilter(field_name="municipality_id")
    user = django_filters.NumberFilter(field_name="user_id")

    class Meta:
        model = Membership
        fields = ["institution", "municipality", "user", "role", "is_active"]


class MembershipViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Own memberships, an institution admin's staff, a coordinator's municipality; admins add and end them."""

    queryset = Membership.objects.select_related("user")
    serializer_class = MembershipSerializer
    permission_classes = [IsAuthenticated, CreateByAdmins]
    filterset_class = MembershipFilter
    action_scopes = {"end": "change"}

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """End a membership (the person loses the role in that institution)."""
        membership = self.get_object()
        if membership.is_active:
            with transaction.atomic():
                membership = membership_end(membership=membership, ended_by=request.user)
        return Response(self.get_serializer(membership).data)


class MeView(APIView):
    """The current user, their active memberships and roles."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        user = request.user
        refs = user.access.memberships
        institutions = dict(
            Institution.objects.visible_to(user)
            .filter(pk__in={m.institution_id for m in refs})
            .values_list("pk", "name")
        )
        municipalities = dict(
            Municipality.objects.visible_to(user)
            .filter(pk__in={m.municipality_id for m in refs})
            .values_list("pk", "name")
        )
        data = {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "is_platform_admin": user.is_platform_admin,
            "roles": sorted(user.access.roles()),
            "memberships": [
                {
                    "id": m.id,
                    "institution_id": m.institution_id,
                    "institution_name": institutions.get(m.institution_id, ""),
                    "municipality_id": m.municipality_id,
                    "municipality_name": municipalities.get(m.municipality_id, ""),
                    "role": m.role,
                    "role_label": str(Role(m.role).label),
                }
                for m in refs
            ],
        }
        return Response(MeSerializer(data).data)
