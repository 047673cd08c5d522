"""Retention and anonymisation of closed cases.

A closed case is kept for its municipality's retention period (``Municipality.retention_years``, else
``CASE_RETENTION_YEARS``) counted from its closure. The daily beat job proposes, per municipality,
exactly the cases past that period (a dry run: nothing changes) and tells the coordinators; a
coordinator confirms on the retention page; a task then anonymises the confirmed cases in batches.

Anonymising removes what identifies a person and what was written about them: names, JMBG, contact
data and address, the exact date of birth (the year stays), every note, document and form draft,
and the free texts of the case (summary, incident and measure descriptions, plan texts, referral
reasons, risk reasons). The skeleton stays (the case, its dates and status, the persons' role, sex,
year of birth and relationship, forms of violence, risk levels, measures, referrals), so every
aggregate of the statistics is the same before and after (tests/cases/test_retention.py). Other apps
remove their own texts about the cases through ``hooks.anonymisers``.
"""
from __future__ import annotations

from datetime import date
from functools import partial

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Membership
from apps.core import outbox
from apps.core.audit import audit_log, audit_many
from apps.core.choices import AuditAction, Role
from apps.core.locking import save_with_version
from apps.municipalities.models import Municipality

from .. import hooks
from ..choices import CaseStatus, RetentionStatus
from ..models import (
    Attachment,
    Case,
    CaseNote,
    CasePerson,
    FormDraft,
    Incident,
    MeasureBreach,
    PlanMeasure,
    ProtectionPlan,
    Referral,
    RetentionRun,
    RiskAssessment,
)

BATCH = 200
ANONYMISED_NAME = "—"

# The free texts of a case's rows: emptied (required ones get the dash).
FREE_TEXTS = [
    (Case, "id", {"summary": ""}),
    (Incident, "case_id", {"description": "", "injuries_note": "", "police_event_number": ""}),
    (MeasureBreach, "case_id", {"description": ""}),
    (ProtectionPlan, "case_id", {"monitoring": ""}),
    (PlanMeasure, "case_id", {"description": ANONYMISED_NAME}),
    (Referral, "case_id", {"reason": ANONYMISED_NAME, "decline_reason": ""}),
    (RiskAssessment, "case_id", {"raise_reason": "", "lower_reason": "", "conclusion": ""}),
]


def retention_years(municipality: Municipality) -> int:
    return municipality.retention_years or settings.CASE_RETENTION_YEARS


def cutoff_for(municipality: Municipality, today: date) -> date:
    """Cases closed before this day are past retention."""
    return today - relativedelta(years=retention_years(municipality))


def due_cases(municipality: Municipality, cutoff: date):
    """The closed, not yet anonymised cases of ``municipality`` closed before ``cutoff``."""
    return Case.objects.filter(
        municipality=municipality, status=CaseStatus.CLOSED, anonymised_at__isnull=True,
        closed_at__date__lt=cutoff,
    )


def propose(municipality: Municipality, *, today: date | None = None) -> RetentionRun | None:
    """The dry run: the waiting proposal of ``municipality`` brought up to date (or a new one), None
    when no case is due. Coordinators are told by e-mail when a proposal is new or has grown."""
    today = today or timezone.localdate()
    cutoff = cutoff_for(municipality, today)
    ids = sorted(due_cases(municipality, cutoff).values_list("pk", flat=True))
    with transaction.atomic():
        run = (RetentionRun.objects.select_for_update()
               .filter(municipality=municipality, status=RetentionStatus.PROPOSED).first())
        if not ids:
            if run is not None:
                run.status = RetentionStatus.CANCELLED
                run.save(update_fields=["status", "updated_at"])
            return None
        grown = run is None or set(ids) - set(run.case_ids)
        if run is None:
            run = RetentionRun(municipality=municipality)
        run.case_ids, run.cutoff, run.retention_years = ids, cutoff, retention_years(municipality)
        run.save()
        audit_log(action=AuditAction.CREATE, obj=run, details={"retention": "proposed", "cases": len(ids)})
        if grown:
            _tell_coordinators(run)
    return run


def propose_all(*, today: date | None = None) -> int:
    """Every active municipality's proposal (the beat job); returns how many are waiting."""
    return sum(propose(m, today=today) is not None for m in Municipality.objects.filter(is_active=True))


def _tell_coordinators(run: RetentionRun) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("cases:retention_run", args=[run.pk])
    recipients = sorted(set(
        Membership.objects.filter(municipality_id=run.municipality_id, role=Role.COORDINATOR, is_active=True,
                                  user__is_active=True).exclude(user__email="").values_list("user__email", flat=True)
    ))
    if not recipients:
        return
    subject = "KZN: closed cases past retention wait for your decision / zatvoreni predmeti čekaju odluku"
    body = (f"{len(run.case_ids)} closed cases are past the retention period of {run.retention_years} years.\n"
            f"Nothing is removed until you confirm: {link}\n\n"
            f"{len(run.case_ids)} zatvorenih predmeta je prešlo rok čuvanja od {run.retention_years} godina.\n"
            f"Ništa se ne briše dok ne potvrdite: {link}\n")
    outbox.send_email(subject=subject, body=body, to=recipients, kind="cases.retention_proposal",
                      key=f"cases.retention_proposal:{run.pk}", municipality_id=run.municipality_id)


def confirm(run: RetentionRun, *, user, version) -> RetentionRun:
    """The coordinator's decision: anonymise the listed cases (a task does it in batches)."""
    # cycle: services.retention -> tasks -> services.retention (the task calls anonymise_run below)
    from ..tasks import anonymise_retention_run

    with transaction.atomic():
        _require_proposed(run)
        run.status, run.confirmed_by, run.confirmed_at = RetentionStatus.CONFIRMED, user, timezone.now()
        save_with_version(run, version, ["status", "confirmed_by", "confirmed_at"], validate=False)
        audit_log(action=AuditAction.UPDATE, actor=user, obj=run, details={"retention": "confirmed"})
        outbox.after_commit(anonymise_retention_run, run_id=run.pk)
    return run


def cancel(run: RetentionRun, *, user, version) -> RetentionRun:
    with transaction.atomic():
        _require_proposed(run)
        run.status = RetentionStatus.CANCELLED
        save_with_version(run, version, ["status"], validate=False)
        audit_log(action=AuditAction.UPDATE, actor=user, obj=run, details={"retention": "cancelled"})
    return run


def _require_proposed(run: RetentionRun) -> None:
    if run.status != RetentionStatus.PROPOSED:
        raise ValidationError(_("This proposal was already decided (%(status)s).") % {"status": run.get_status_display()})


def anonymise_run(run_id: int) -> int:
    """Anonymise the cases of a confirmed run, in batches (each its own transaction); a case reopened
    or anonymised since the proposal is left out. Returns how many cases were anonymised."""
    run = RetentionRun.objects.get(pk=run_id)
    if run.status != RetentionStatus.CONFIRMED:
        return 0
    done = 0
    for start in range(0, len(run.case_ids), BATCH):
        chunk = run.case_ids[start:start + BATCH]
        with transaction.atomic():
            ids = list(due_cases(run.municipality, run.cutoff).filter(pk__in=chunk).values_list("pk", flat=True))
            anonymise_cases(ids, run=run)
            done += len(ids)
    RetentionRun.objects.filter(pk=run.pk).update(status=RetentionStatus.DONE, finished_at=timezone.now(),
                                                  anonymised=done)
    return done


def blank_persons(persons) -> int:
    """Remove what identifies the persons of ``persons`` (the year of birth stays); returns how many."""
    for person in persons.only("pk", "birth_date", "birth_year"):
        if person.birth_date and not person.birth_year:
            CasePerson.objects.filter(pk=person.pk).update(birth_year=person.birth_date.year)
    return persons.update(first_name=ANONYMISED_NAME, last_name=ANONYMISED_NAME, name_key="", birth_date=None,
                          jmbg="", jmbg_hash="", phone="", email="", address="", confidential_address=False)


def anonymise_cases(ids: list[int], *, run: RetentionRun | None = None) -> None:
    """Remove the identifying data of the cases ``ids`` (inside the caller's transaction)."""
    if not ids:
        return
    blank_persons(CasePerson.objects.filter(case_id__in=ids))
    files = list(Attachment.objects.filter(case_id__in=ids).exclude(file="").values_list("file", flat=True))
    Attachment.objects.filter(case_id__in=ids).delete()
    CaseNote.objects.filter(case_id__in=ids).delete()
    FormDraft.objects.filter(case_id__in=ids).delete()
    for model, key, values in FREE_TEXTS:
        model.objects.filter(**{f"{key}__in": ids}).update(**values)
    Case.objects.filter(pk__in=ids).update(anonymised_at=timezone.now())
    for anonymiser in hooks.anonymisers:
        anonymiser(ids)
    audit_many(action=AuditAction.UPDATE, objects=Case.objects.filter(pk__in=ids).only("pk", "municipality_id"),
               details={"anonymised": True, "retention_run": run.pk if run else None})
    transaction.on_commit(partial(_delete_files, files))


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
