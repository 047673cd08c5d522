"""Who and what the benchmark acts on (the largest municipality: the worst case), the clients it logs
in with, and the guardian baseline a typical Django project would write."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.shortcuts import get_objects_for_user
from knox.models import AuthToken

from apps.accounts.models import Membership, User
from apps.cases.models import Case, CaseAssignment, CaseGroupGrant, CaseNote, CasePerson, Incident
from apps.cases.selectors import lists
from apps.conferences.models import Meeting
from apps.core.audit import audit_many
from apps.core.choices import AuditAction, Role
from apps.institutions.choices import InstitutionType
from apps.municipalities.models import Municipality

BASELINE_PERMISSION = "cases.baseline_view_case"
LIST_PAGE_SIZE = 50


# --- who is measured ------------------------------------------------------------------------------


@dataclass
class Subjects:
    """The users and objects the benchmark acts on (the largest municipality: the worst case)."""

    municipality: object
    caseworker: object
    coordinator: object
    official: object
    api_user: object
    detail_case: object
    meeting: object | None


def pick_subjects() -> Subjects:
    """The municipality with the most cases; its CSR caseworker with the most assigned cases."""

    top = (
        Case.objects.values("municipality_id").annotate(n=Count("id")).order_by("-n", "municipality_id").first()
    )
    if top is None:
        raise RuntimeError("No cases: run seed_scale first.")
    municipality = Municipality.objects.get(pk=top["municipality_id"])

    def member(role, inst_type=None, exclude=()):
        qs = Membership.objects.filter(municipality=municipality, role=role, is_active=True).exclude(user_id__in=exclude)
        if inst_type:
            qs = qs.filter(institution__type=inst_type)
        return qs.order_by("id").first()

    csr_staff = Membership.objects.filter(
        municipality=municipality, role=Role.CASEWORKER, institution__type=InstitutionType.CSR, is_active=True
    ).values_list("user_id", flat=True)
    busiest = (
        CaseAssignment.objects.filter(municipality=municipality, user_id__in=list(csr_staff), ended_at__isnull=True)
        .values("user_id").annotate(n=Count("id")).order_by("-n", "user_id").first()
    )
    caseworker = User.objects.get(pk=busiest["user_id"])
    coordinator = User.objects.get(pk=member(Role.COORDINATOR).user_id)
    official = User.objects.get(pk=member(Role.OFFICIAL).user_id)
    api_member = member(Role.CASEWORKER, InstitutionType.POLICE) or member(Role.CASEWORKER, exclude=[caseworker.pk])
    api_user = User.objects.get(pk=api_member.user_id)
    # The case page of a full case: the caseworker's open case with the most recorded on it.
    mine = Case.objects.filter(
        assignments__user=caseworker, assignments__ended_at__isnull=True, is_restricted=False
    ).exclude(status="closed")
    detail_case = (
        mine.annotate(
            n=Count("notes", distinct=True) + Count("plan_measures", distinct=True) + Count("emergency_measures", distinct=True)
            + Count("incidents", distinct=True) + Count("persons", distinct=True)
        )
        .order_by("-n", "-id")
        .first()
    ) or Case.objects.filter(assignments__user=caseworker).order_by("-id").first()
    meeting = (
        Meeting.objects.filter(municipality=municipality, status="scheduled", starts_at__gte=timezone.now())
        .order_by("starts_at").first()
    )
    return Subjects(municipality, caseworker, coordinator, official, api_user, detail_case, meeting)


def verified_client(user) -> Client:
    """A client logged in with a verified second factor (as after a real TOTP login)."""

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def api_client(user) -> Client:
    """A client authenticating with a personal API token (knox)."""

    _instance, token = AuthToken.objects.create(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}", HTTP_ACCEPT="application/json")


# --- the guardian baseline ------------------------------------------------------------------------------


def guardian_queryset(user):
    """What a typical Django project writes: guardian's get_objects_for_user over per-case grants."""


    return get_objects_for_user(user, BASELINE_PERMISSION, klass=Case, accept_global_perms=False)


def guardian_case_list(user, *, scope="institution", cursor=None, page_size=LIST_PAGE_SIZE, audit=True,
                       fields=None, forms=True, **filters):
    """The same list as selectors.lists.case_list (order, keyset page, row data, audit), its rows
    chosen by guardian instead of the tenant-scoped queryset. ``fields`` and ``forms=False`` load
    what the list page loads (the columns of a row, no forms of violence), for the page's baseline."""

    queryset = guardian_queryset(user)
    if cursor:
        at, pk = lists.decode_cursor(cursor)
        queryset = queryset.filter(Q(reported_at__lt=at) | Q(reported_at=at, id__lt=pk))
    # Row data the way a typical project loads it (select_related + prefetch_related): it keeps the
    # baseline's query parallel-safe, so PostgreSQL may scan with several workers (the baseline's
    # best case; the platform's list puts the forms in its own query instead).
    queryset = queryset.select_related("lead_institution")
    if fields is not None:
        queryset = queryset.only(*fields, "lead_institution__id", "lead_institution__name")
    if forms:
        incidents = Incident.objects.only("id", "case_id", "forms").order_by()
        queryset = queryset.prefetch_related(Prefetch("incidents", queryset=incidents, to_attr="list_incidents"))
    rows = list(queryset.order_by("-reported_at", "-id")[: page_size + 1])
    has_more = len(rows) > page_size
    rows = rows[:page_size]
    if forms:
        for case in rows:
            case.list_forms = [f for incident in case.list_incidents for f in incident.forms]
            case.violence_forms = lists.violence_forms(case)
    if audit and rows:
        audit_many(action=AuditAction.VIEW, objects=rows, actor=user, details={"view": "list", "scope": scope})
    return lists.CasePage(cases=rows, next_cursor=lists.encode_cursor(rows[-1]) if has_more else None, scope=scope)


def dataset_size() -> dict:

    def estimate(model) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [model._meta.db_table])
            row = cursor.fetchone()
        return int(row[0]) if row and row[0] and row[0] > 0 else model.objects.count()

    return {
        "cases": Case.objects.count(),
        "municipalities": Municipality.objects.count(),
        "users": User.objects.count(),
        "persons": estimate(CasePerson),
        "notes": estimate(CaseNote),
        "case_group_grants": estimate(CaseGroupGrant),
        "conferences": Meeting.objects.count(),
    }
