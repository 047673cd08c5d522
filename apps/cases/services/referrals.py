"""Referrals between institutions, also to another municipality's service (e.g. a safe house).

Accepting a referral shares the case with the receiving institution's staff through a per-object
grant on the group ``institution-<id>:staff`` (granter, reason, 90-day expiry); completing or
withdrawing it takes the grant back. The receiving side then finds the case through
``Case.objects.shared_with(user)`` and ``visible_to(user)`` (read-only).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.choices import AccessNoticeKind
from apps.accounts.models import Membership
from apps.accounts.notices import access_notice_record
from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.grants import grant_object_permission, revoke_object_permission
from apps.institutions.models import Institution
from apps.institutions.services import staff_group_name

from ..choices import ReferralStatus, ReferralUrgency
from ..models import Case, CaseGroupGrant, Referral
from ..querysets import CASE_ROLES
from .common import ensure_open, reachable_case, touch_case
from .consent import has_valid_consent, needs_consent
from .plans import is_participating
from .risk import is_immediate_danger

GRANT_DAYS = 90
GRANT_CODENAME = "view_case"
OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


def institution_staff_group(institution: Institution) -> Group:
    """The institution's staff group, created on first use and filled with its active case staff.

    Only the roles that work on cases join (officials and institution admins never read a case).
    """
    group, _created = Group.objects.get_or_create(name=staff_group_name(institution.pk))
    user_ids = set(
        Membership.objects.filter(
            institution=institution, is_active=True, user__is_active=True, role__in=CASE_ROLES
        ).values_list("user_id", flat=True)
    )
    present = set(group.user_set.values_list("pk", flat=True))
    if user_ids - present:
        group.user_set.add(*(user_ids - present))
    return group


@transaction.atomic
def referral_send(
    *,
    user,
    case: Case,
    from_institution: Institution,
    to_institution: Institution,
    reason: str,
    urgency: str = ReferralUrgency.REGULAR,
    consent_override_reason: str = "",
    now: datetime | None = None,
) -> Referral:
    """Refer the case to another institution; to another municipality or sector only with the victim's
    consent naming it, or in immediate danger with a recorded reason."""
    now = now or timezone.now()
    case = reachable_case(user, case)
    ensure_open(case)
    reason = (reason or "").strip()
    consent_override_reason = (consent_override_reason or "").strip()
    from_id = getattr(from_institution, "pk", from_institution)
    to_id = getattr(to_institution, "pk", to_institution)
    errors = {}
    if from_id not in user.access.institution_ids(*CASE_ROLES) or not is_participating(case, from_id):
        errors["from_institution"] = _("Refer on behalf of your own institution on the case team.")
    target = Institution.objects.filter(pk=to_id, is_active=True).first()
    if target is None:
        errors["to_institution"] = _("Choose an active institution.")
    elif target.pk == from_id:
        errors["to_institution"] = _("An institution cannot refer a case to itself.")
    if not reason:
        errors["reason"] = _("Enter the reason for the referral.")
    if urgency not in ReferralUrgency.values:
        errors["urgency"] = _("Choose the urgency.")
    if errors:
        raise ValidationError(errors)
    if Referral.objects.filter(case=case, to_institution=target, status__in=OPEN_STATUSES).exists():
        raise ValidationError(
            {"to_institution": _("This case already has an open referral to this institution.")}, code="duplicate"
        )
    override = ""
    # Another municipality always needs consent; within the municipality, another sector does.
    if target.municipality_id != case.municipality_id or needs_consent(case, target):
        if not has_valid_consent(case, target, timezone.localdate(now)):
            if not consent_override_reason:
                raise ValidationError(
                    {
                        "to_institution": _(
                            "The victim has not given valid consent naming this institution. A referral to "
                            "another municipality or another sector needs her consent, or immediate danger "
                            "and a reason."
                        )
                    },
                    code="no_consent",
                )
            if not is_immediate_danger(case):
                raise ValidationError(
                    {
                        "consent_override_reason": _(
                            "Acting without consent is allowed only when the latest risk assessment found immediate danger."
                        )
                    },
                    code="no_danger",
                )
            override = consent_override_reason
    referral = Referral(
        municipality_id=case.municipality_id,
        case=case,
        from_institution_id=from_id,
        to_institution=target,
        to_municipality_id=target.municipality_id,
        reason=reason,
        urgency=urgency,
        status=ReferralStatus.SENT,
        sent_at=now,
        sent_by=user,
        consent_override_reason=override,
    )
    referral.full_clean()
    referral.save()
    touch_case(case, now)
    audit_log(
        action=AuditAction.CREATE,
        actor=user,
        obj=referral,
        details={
            "case": case.pk,
            "to": target.pk,
            "to_municipality": target.municipality_id,
            "consent_override": bool(override),
        },
    )
    return referral


def _received(user, referral: Referral | int) -> Referral:
    """A referral addressed to one of the user's institutions (locked), else 404."""
    referral_id = referral.pk if isinstance(referral, Referral) else referral
    if user is None or not getattr(user, "is_active", False):
        raise Http404
    found = (
        Referral.objects.addressed_to(user)
        .select_for_update(of=("self",))
        .select_related("case", "to_institution")
        .filter(pk=referral_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _sent(user, referral: Referral | int) -> Referral:
    """A referral of a case the user works on (locked), else 404."""
    referral_id = referral.pk if isinstance(referral, Referral) else referral
    found = Referral.objects.visible_to(user, "change").filter(pk=referral_id).first()
    if found is None:
        raise Http404
    reachable_case(user, found.case_id)
    return Referral.objects.select_for_update(of=("self",)).select_related("case", "to_institution").get(pk=found.pk)


def _require_status(referral: Referral, *allowed: str) -> None:
    if referral.status not in allowed:
        raise ValidationError(
            {"status": _("This referral is %(status)s; it cannot be changed that way.") % {"status": referral.get_status_display()}},
            code="status",
        )


def _end_grant(referral: Referral, user) -> int:
    """Take the case back from the receiving institution unless another accepted referral still needs it."""
    still = Referral.objects.filter(
        case_id=referral.case_id, to_institution_id=referral.to_institution_id, status=ReferralStatus.ACCEPTED
    ).exclude(pk=referral.pk)
    if still.exists():
        return 0
    group = Group.objects.filter(name=staff_group_name(referral.to_institution_id)).first()
    if group is None:
        return 0
    return revoke_object_permission(
        grant_model=CaseGroupGrant, obj=referral.case, codename=GRANT_CODENAME, revoked_by=user, group=group
    )


@transaction.atomic
def referral_accept(*, user, referral: Referral, now: datetime | None = None) -> Referral:
    """The receiving institution accepts: time to answer is recorded and its staff may see the case."""
    now = now or timezone.now()
    referral = _received(user, referral)
    _require_status(referral, ReferralStatus.SENT)
    if referral.sent_by_id == user.pk:
        # Accepting shares the case with the receiving institution: nobody grants that to themselves.
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("You sent this referral; someone else at the receiving institution accepts it.")]},
            code="self_grant",
        )
    referral.status = ReferralStatus.ACCEPTED
    referral.answered_at = max(now, referral.sent_at)
    referral.answered_by = user
    referral.full_clean()
    referral.save(update_fields=["status", "answered_at", "answered_by", "updated_at"])
    group = institution_staff_group(referral.to_institution)
    grant_object_permission(
        grant_model=CaseGroupGrant,
        obj=referral.case,
        codename=GRANT_CODENAME,
        group=group,
        granted_by=user,
        reason=f"referral {referral.pk}",
        expires_at=now + timedelta(days=GRANT_DAYS),
    )
    # Shown on the municipality's "New access" list and its coordinators' work queue.
    access_notice_record(
        kind=AccessNoticeKind.CASE_GRANT, institution=referral.to_institution, granted_by=user,
        case_number=referral.case.number, municipality_id=referral.case.municipality_id, email=False,
    )
    touch_case(referral.case, now)
    audit_log(
        action=AuditAction.UPDATE,
        actor=user,
        obj=referral,
        details={"status": referral.status, "seconds_to_answer": referral.seconds_to_answer},
    )
    return referral


@transaction.atomic
def referral_decline(*, user, referral: Referral, reason: str, now: datetime | None = None) -> Referral:
    """The receiving institution declines, saying why; the case is not shared."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    referral = _received(user, referral)
    _require_status(referral, ReferralStatus.SENT)
    if not reason:
        raise ValidationError({"decline_reason": _("Enter the reason for declining.")})
    referral.status = ReferralStatus.DECLINED
    referral.answered_at = max(now, referral.sent_at)
    referral.answered_by = user
    referral.decline_reason = reason
    referral.full_clean()
    referral.save(update_fields=["status", "answered_at", "answered_by", "decline_reason", "updated_at"])
    touch_case(referral.case, now)
    audit_log(
        action=AuditAction.UPDATE,
        actor=user,
        obj=referral,
        details={"status": referral.status, "seconds_to_answer": referral.seconds_to_answer},
    )
    return referral


@transaction.atomic
def referral_complete(*, user, referral: Referral, now: datetime | None = None) -> Referral:
    """Either side marks an accepted referral completed; the receiving institution's access ends."""
    now = now or timezone.now()
    referral_id = referral.pk if isinstance(referral, Referral) else referral
    if Referral.objects.addressed_to(user).filter(pk=referral_id).exists():
        referral = _received(user, referral_id)
    else:
        referral = _sent(user, referral_id)
    _require_status(referral, ReferralStatus.ACCEPTED)
    referral.status = ReferralStatus.COMPLETED
    referral.completed_at = now
    referral.full_clean()
    referral.save(update_fields=["status", "completed_at", "updated_at"])
    _end_grant(referral, user)
    touch_case(referral.case, now)
    audit_log(action=AuditAction.UPDATE, actor=user, obj=referral, details={"status": referral.status})
    return referral


@transaction.atomic
def referral_withdraw(*, user, referral: Referral, now: datetime | None = None) -> Referral:
    """The referring side withdraws an open referral; an accepted one's access ends too."""
    now = now or timezone.now()
    referral = _sent(user, referral)
    _require_status(referral, ReferralStatus.SENT, ReferralStatus.ACCEPTED)
    was_accepted = referral.status == ReferralStatus.ACCEPTED
    referral.status = ReferralStatus.WITHDRAWN
    referral.completed_at = now
    referral.full_clean()
    referral.save(update_fields=["status", "completed_at", "updated_at"])
    if was_accepted:
        _end_grant(referral, user)
    touch_case(referral.case, now)
    audit_log(action=AuditAction.UPDATE, actor=user, obj=referral, details={"status": referral.status})
    return referral
