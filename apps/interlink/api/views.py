"""The interlinking API, for machine tokens only (``Authorization: Machine <token>``): send records
and files, read one's own records and imports, pull the event feed, manage webhooks."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.cases.models import Case
from apps.core.api.pagination import CursorPagination
from apps.core.api.views import ScopedViewSetMixin, UserLanguageMixin

from ..choices import RecordKind, Scope
from ..files import FileErrors
from ..formats import RecordErrors
from ..models import FeedEvent, ImportRun, InboundRecord, WebhookSubscription
from ..services.imports import import_start
from ..services.inbound import StaleVersion, record_receive
from ..services.webhooks import webhook_create, webhook_delete
from . import examples
from .authentication import HasScope, MachineRateThrottle, MachineTokenAuthentication
from .serializers import (
    CourtDecisionIn,
    EmergencyOrderIn,
    EventOut,
    FileErrorOut,
    ImportIn,
    ImportOut,
    PoliceReportIn,
    RecordErrorOut,
    RecordOut,
    WebhookSerializer,
)


class MachineOnly(UserLanguageMixin):
    """Machine tokens only, within the account's scopes and rate."""

    authentication_classes = [MachineTokenAuthentication]
    permission_classes = [IsAuthenticated, HasScope]
    throttle_classes = [MachineRateThrottle]

    @property
    def account(self):
        return self.request.auth


def case_numbers(user, records) -> dict:
    """The numbers of the records' cases that the account may see (one query)."""
    ids = {r.case_id for r in records if r.case_id}
    if not ids:
        return {}
    return dict(Case.objects.visible_to(user, "view").filter(pk__in=ids).values_list("pk", "number"))


def _send_view(kind: str, serializer, example: dict):
    class SendView(MachineOnly, APIView):
        required_scope = {
            RecordKind.POLICE_REPORT: Scope.SEND_POLICE_REPORTS,
            RecordKind.EMERGENCY_ORDER: Scope.SEND_EMERGENCY_ORDERS,
            RecordKind.COURT_DECISION: Scope.SEND_COURT_DECISIONS,
        }[kind]
        parser_classes = [JSONParser]

        @extend_schema(
            request=serializer,
            responses={
                201: RecordOut, 200: RecordOut, 400: RecordErrorOut, 409: RecordErrorOut,
            },
            examples=[OpenApiExample("record", value=example, request_only=True)],
            description="Idempotent: the same external_id and version again changes nothing (200, outcome "
                        "'unchanged'); a higher version updates (200, 'updated'); an older one is refused (409).",
        )
        def post(self, request):
            try:
                with transaction.atomic():
                    record, outcome = record_receive(account=self.account, kind=kind, data=request.data)
            except RecordErrors as exc:
                return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
            except StaleVersion as exc:
                return Response({"errors": exc.message_dict}, status=status.HTTP_409_CONFLICT)
            except PermissionDenied as exc:
                raise ApiPermissionDenied(str(exc)) from exc
            except ValidationError as exc:
                return Response({"errors": exc.message_dict if hasattr(exc, "error_dict") else {"record": exc.messages}},
                                status=status.HTTP_400_BAD_REQUEST)
            body = RecordOut(record, context={"outcome": outcome, "case_numbers": case_numbers(request.user, [record])}).data
            return Response(body, status=status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK)

    SendView.__name__ = f"{kind.title().replace('_', '')}SendView"
    return SendView


PoliceReportSendView = _send_view(RecordKind.POLICE_REPORT, PoliceReportIn, examples.POLICE_REPORT)
EmergencyOrderSendView = _send_view(RecordKind.EMERGENCY_ORDER, EmergencyOrderIn, examples.EMERGENCY_ORDER)
CourtDecisionSendView = _send_view(RecordKind.COURT_DECISION, CourtDecisionIn, examples.COURT_DECISION)


class RecordViewSet(MachineOnly, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The account's own records and where they landed."""

    queryset = InboundRecord.objects.all()
    action_scopes = {"list": "send", "retrieve": "send"}
    serializer_class = RecordOut
    required_scope = Scope.READ_RECORDS
    pagination_class = CursorPagination
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        queryset = super().get_queryset()
        external_id = self.request.query_params.get("external_id")
        if external_id:
            queryset = queryset.filter(external_id=external_id[:80])
        return queryset

    def get_serializer(self, *args, **kwargs):
        many = kwargs.get("many")
        objects = args[0] if args else []
        records = list(objects) if many else ([objects] if objects else [])
        kwargs["context"] = {**self.get_serializer_context(), "case_numbers": case_numbers(self.request.user, records)}
        return super().get_serializer(*args, **kwargs)


class ImportViewSet(MachineOnly, ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """File imports: checked whole (refused with every error), then imported in the background."""

    queryset = ImportRun.objects.all()
    action_scopes = {"list": "send", "retrieve": "send", "create": "send"}
    serializer_class = ImportOut
    pagination_class = CursorPagination
    parser_classes = [MultiPartParser, FormParser]
    required_scopes = {"list": Scope.READ_RECORDS, "retrieve": Scope.READ_RECORDS}
    lookup_value_regex = r"[0-9]{1,18}"

    @extend_schema(request=ImportIn, responses={202: ImportOut, 400: OpenApiResponse(FileErrorOut(many=True))})
    def create(self, request, *args, **kwargs):
        form = ImportIn(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        try:
            run = import_start(account=self.account, kind=form.validated_data["kind"], name=upload.name,
                               data=upload.read(), uploaded_by=None)
        except FileErrors as exc:
            return Response({"errors": exc.errors}, status=status.HTTP_400_BAD_REQUEST)
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from exc
        return Response(ImportOut(run).data, status=status.HTTP_202_ACCEPTED)


class EventPagination(CursorPagination):
    ordering = "id"


class EventFeedViewSet(MachineOnly, ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The pull feed: the account's events, oldest first; keep the ``next`` link to continue."""

    queryset = FeedEvent.objects.all()
    serializer_class = EventOut
    required_scope = Scope.READ_EVENTS
    pagination_class = EventPagination
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return super().get_queryset().filter(account=self.account)


class WebhookViewSet(MachineOnly, ScopedViewSetMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
                     viewsets.ReadOnlyModelViewSet):
    """Where the account's events are pushed, signed with its secret."""

    queryset = WebhookSubscription.objects.all()
    action_scopes = {"list": "change", "retrieve": "change", "create": "change", "destroy": "change"}
    serializer_class = WebhookSerializer
    required_scope = Scope.MANAGE_WEBHOOKS
    pagination_class = CursorPagination
    lookup_value_regex = r"[0-9]{1,18}"

    def get_queryset(self):
        return super().get_queryset().filter(account=self.account)

    def perform_create(self, serializer):
        try:
            serializer.instance = webhook_create(account=self.account, by=self.request.user, **serializer.validated_data)
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict) from exc

    def perform_destroy(self, instance):
        webhook_delete(subscription=instance, by=self.request.user)
