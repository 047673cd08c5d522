"""Reads for accounts: the staff lists an admin manages (always scoped with visible_to)."""
from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.choices import Role

from .models import AccessNotice, Invitation, Membership


def manages_staff(user) -> bool:
    """Platform admins and institution admins manage staff."""
    return bool(user.is_authenticated and (user.is_platform_admin or user.access.institution_ids(Role.INSTITUTION_ADMIN)))


def staff_memberships(
    *, user, municipality=None, institution=None, role: str = "", status: str = "active", q: str = ""
) -> QuerySet[Membership]:
    """Memberships of the institutions the user administers (all of them for platform admins)."""
    qs = Membership.objects.visible_to(user, "change").select_related("user", "institution", "municipality")
    if municipality is not None:
        qs = qs.for_municipality(municipality.pk)
    if institution is not None:
        qs = qs.filter(institution=institution)
    if role:
        qs = qs.filter(role=role)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "ended":
        qs = qs.filter(is_active=False)
    if q:
        qs = qs.filter(Q(user__email__icontains=q) | Q(user__first_name__icontains=q) | Q(user__last_name__icontains=q))
    return qs.order_by("municipality_id", "institution__name", "user__last_name", "user__first_name", "role", "id")


def invitation_status_filter(status: str) -> Q:
    """The SQL twin of Invitation.status."""
    now = timezone.now()
    open_ = Q(accepted_at__isnull=True, revoked_at__isnull=True)
    return {
        "pending": open_ & Q(expires_at__gt=now),
        "expired": open_ & Q(expires_at__lte=now),
        "accepted": Q(accepted_at__isnull=False),
        "revoked": Q(accepted_at__isnull=True, revoked_at__isnull=False),
    }.get(status, Q())


def staff_invitations(
    *, user, municipality=None, institution=None, role: str = "", status: str = "", q: str = ""
) -> QuerySet[Invitation]:
    """Invitations to the institutions the user administers, newest first."""
    qs = Invitation.objects.visible_to(user, "change").select_related("institution", "municipality", "invited_by")
    if municipality is not None:
        qs = qs.for_municipality(municipality.pk)
    if institution is not None:
        qs = qs.filter(institution=institution)
    if role:
        qs = qs.filter(role=role)
    if status:
        qs = qs.filter(invitation_status_filter(status))
    if q:
        qs = qs.filter(Q(email__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q))
    return qs.order_by("-created_at", "-id")


def users_with_second_factor(user_ids) -> set[int]:
    """Which of these users have a confirmed authenticator (one query)."""

    return set(TOTPDevice.objects.filter(user_id__in=list(user_ids), confirmed=True).values_list("user_id", flat=True))


def reads_access_notices(user) -> bool:
    """Coordinators and institution admins (their municipalities) and platform admins read new access."""
    return bool(
        user.is_authenticated
        and (user.is_platform_admin or user.access.municipality_ids(Role.COORDINATOR, Role.INSTITUTION_ADMIN))
    )


def access_notices(*, user, date_from=None, date_to=None, kind: str = "") -> QuerySet[AccessNotice]:
    """New access to cases in the user's municipalities, newest first; dates are local days, inclusive."""
    qs = AccessNotice.objects.visible_to(user).select_related("user", "institution", "granted_by", "municipality")
    if date_from:
        qs = qs.filter(created_at__gte=timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min)))
    if date_to:
        end = date_to + datetime.timedelta(days=1)
        qs = qs.filter(created_at__lt=timezone.make_aware(datetime.datetime.combine(end, datetime.time.min)))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def recent_access_notices(*, user, since, limit: int = 20) -> list[AccessNotice]:
    """New access in the municipalities the user coordinates since a moment (the work queue's group)."""
    return list(
        AccessNotice.objects.coordinated_by(user)
        .filter(created_at__gte=since)
        .select_related("user", "institution", "granted_by")
        .order_by("-created_at", "-id")[:limit]
    )
