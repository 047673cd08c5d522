"""Renewal reminders of cooperation agreements: 60 and 30 days before expiry, to the coordinators
(in the app and by e-mail); once per agreement, coordinator and stage."""
from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _t

from apps.accounts.notices import coordinators_of
from apps.core import outbox
from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import AgreementStatus
from ..models import Agreement, AgreementReminder

STAGES = (60, 30)


def reminder_email(agreement: Agreement, days: int, language: str) -> tuple[str, str]:
    """Subject and body (no case, no person; the agreement's title and its end)."""
    with translation.override(language):
        until = formats.date_format(agreement.valid_until, "SHORT_DATE_FORMAT")
        subject = _t("Cooperation agreement expires in %(days)s days") % {"days": days}
        body = _t(
            "The cooperation agreement \"%(title)s\" is valid until %(until)s. "
            "Start the renewal with the parties in time."
        ) % {"title": agreement.title, "until": until}
    return subject, body


@transaction.atomic
def agreement_reminders_send(*, today: date | None = None) -> int:
    """Create the reminders due today and queue their e-mails; returns how many were created."""
    today = today or timezone.localdate()
    created = 0
    due = Agreement.objects.filter(
        status=AgreementStatus.IN_FORCE, valid_until__isnull=False, valid_until__gte=today,
        valid_until__lte=today + timedelta(days=max(STAGES)),
    )
    for agreement in due:
        left = (agreement.valid_until - today).days
        stage = min(s for s in STAGES if left <= s)
        for user in coordinators_of(agreement.municipality_id):
            _obj, new = AgreementReminder.objects.get_or_create(
                agreement=agreement, user=user, days_before=stage, defaults={"municipality_id": agreement.municipality_id},
            )
            if not new:
                continue
            created += 1
            if user.email:
                subject, body = reminder_email(agreement, left, getattr(user, "language", "") or "sr-latn")
                outbox.send_email(subject=subject, body=body, to=[user.email], kind="protocols.agreement_reminder",
                                  municipality_id=agreement.municipality_id)
    if created:
        audit_log(action=AuditAction.CREATE, object_type=AgreementReminder._meta.label_lower,
                  details={"agreement_reminders": created})
    return created
