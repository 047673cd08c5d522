"""Certificates of attendance: a run per request, done by a Celery task with visible progress.

Only participants who attended get one (a request naming someone who did not is refused); a
participant keeps one certificate (a repeated run issues only the missing ones). The PDF is in the
participant's language and script and carries the verification code checked at the public page. A
revoked certificate stays (its code answers "revoked"); its holder may be issued a new one.
"""
from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import outbox
from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from .. import pdf
from ..choices import EventStatus, RunStatus
from ..models import Certificate, CertificateRun, Event, Participant
from ..tasks import issue_certificates

CHUNK = 50  # certificates per rendered document: the progress moves every chunk
PROGRESS_KEY = "events:certificate-run:{}:{}"  # the run and its creation moment (ids repeat across databases)


def progress_key(run: CertificateRun) -> str:
    return PROGRESS_KEY.format(run.pk, int(run.created_at.timestamp() * 1000))


def _progress(run: CertificateRun, done: int, status: str) -> None:
    """The progress as others see it while the task runs: a task runs in one transaction (its
    tenant context), so its row changes appear only at the end; the cache shows them meanwhile."""
    cache.set(progress_key(run), {"done": done, "status": status}, 3600)


def progress(run: CertificateRun) -> tuple[int, str]:
    """Certificates done and the status of a run: the cache while it runs, then the row."""
    if run.status in (RunStatus.DONE, RunStatus.FAILED):
        return run.done, run.status
    value = cache.get(progress_key(run)) or {}
    status = value.get("status", run.status)
    if status == RunStatus.DONE:
        status = RunStatus.RUNNING  # the cache runs ahead of the commit: "done" is the row's word
    return value.get("done", run.done), status


def without_valid_certificate(participants):
    """The participants with no certificate, or only revoked ones (a revoked one may be re-issued)."""
    return participants.filter(~Exists(Certificate.objects.filter(participant=OuterRef("pk"), revoked_at__isnull=True)))


def participant_language(participant: Participant) -> str:
    if participant.user_id:
        return getattr(participant.user, "language", "") or participant.language
    return participant.language


@transaction.atomic
def certificates_request(*, user, event: Event, participant_ids: list[int] | None = None) -> CertificateRun:
    """Queue a run issuing certificates to the event's attendees (or the named ones)."""
    current = Event.objects.visible_to(user, "change").filter(pk=event.pk).first()
    if current is None:
        raise Http404
    if current.status != EventStatus.HELD:
        raise ValidationError(_("Certificates are issued only for an event that was held."))
    participants = Participant.objects.filter(event=current)
    if participant_ids:
        chosen = list(participants.filter(pk__in=participant_ids))
        if len(chosen) != len(set(participant_ids)):
            raise Http404
        absent = [p for p in chosen if not p.attended]
        if absent:
            raise ValidationError(_("No certificate for someone who did not attend: %(names)s.")
                                  % {"names": ", ".join(p.display_name for p in absent)})
        participants = participants.filter(pk__in=participant_ids)
    pending = without_valid_certificate(participants.filter(attended=True)).count()
    if not pending:
        raise ValidationError(_("Everyone who attended already has a certificate."))
    ids = sorted(participant_ids) if participant_ids else []
    run = CertificateRun.objects.create(event=current, municipality_id=current.municipality_id, requested_by=user,
                                        total=pending, participant_ids=ids)
    audit_log(action=AuditAction.CREATE, actor=user, obj=run, details={"certificates": pending})
    run_id = run.pk
    outbox.after_commit(issue_certificates, run_id=run_id)
    return run


def run_certificates(*, run_id: int) -> int:
    """Issue the missing certificates of the run's event, chunk by chunk (progress after each)."""
    run = CertificateRun.objects.select_related("event", "event__municipality", "event__area").filter(pk=run_id).first()
    if run is None or run.status == RunStatus.DONE:
        return 0
    event = run.event
    CertificateRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    _progress(run, 0, RunStatus.RUNNING)
    ids = run.participant_ids
    todo = without_valid_certificate(Participant.objects.filter(event=event, attended=True)).select_related("user")
    if ids:
        todo = todo.filter(pk__in=ids)
    by_language: dict[str, list[Participant]] = {}
    for participant in todo.order_by("id"):
        by_language.setdefault(participant_language(participant), []).append(participant)
    done = 0
    try:
        for language, people in sorted(by_language.items()):
            for start in range(0, len(people), CHUNK):
                done += _issue_chunk(event, people[start:start + CHUNK], language)
                CertificateRun.objects.filter(pk=run.pk).update(done=done)
                _progress(run, done, RunStatus.RUNNING)
    except Exception as error:  # noqa: BLE001 - the run shows that it failed; the task logs the rest
        _progress(run, done, RunStatus.FAILED)  # the row's own update is rolled back with the task
        CertificateRun.objects.filter(pk=run.pk).update(status=RunStatus.FAILED, error=str(error)[:255],
                                                        finished_at=timezone.now())
        raise
    CertificateRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, done=done, total=max(done, run.total),
                                                    finished_at=timezone.now())
    # "done" shows once the certificates are committed (the task's transaction ends after this body).
    transaction.on_commit(lambda: _progress(run, done, RunStatus.DONE))
    audit_log(action=AuditAction.UPDATE, actor=run.requested_by, obj=event, details={"certificates_issued": done})
    return done


def _issue_chunk(event: Event, people: list[Participant], language: str) -> int:
    now = timezone.now()
    with transaction.atomic():
        certificates = [Certificate(participant=p, event=event, municipality_id=event.municipality_id,
                                    language=language, hours=p.hours, issued_at=now) for p in people]
        files = pdf.certificates(event, certificates, language)
        for certificate, body in zip(certificates, files, strict=True):
            certificate.pdf.save(f"certificate-{certificate.code}.pdf", ContentFile(body), save=False)
        Certificate.objects.bulk_create(certificates)
    return len(certificates)


@transaction.atomic
def certificate_revoke(*, user, event: Event, certificate_id: int, reason: str) -> Certificate:
    """Revoke a certificate (who runs the event), with the reason: its code then answers "revoked" on
    the public page, and the participant may be issued a new one (a new code)."""
    current = Event.objects.visible_to(user, "change").filter(pk=event.pk).first()
    if current is None:
        raise Http404
    certificate = Certificate.objects.select_for_update().filter(event=current, pk=certificate_id).first()
    if certificate is None:
        raise Http404
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Write why the certificate is revoked.")]})
    if certificate.revoked_at is not None:
        raise ValidationError(_("This certificate was already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:255]
    certificate.revoked_by = user
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by", "updated_at"])
    # The reason is free text: the audit entry names the certificate, never its words.
    audit_log(action=AuditAction.UPDATE, actor=user, obj=certificate, details={"revoked": True, "event": current.pk})
    return certificate


def check(code: str) -> dict | None:
    """What the public page shows of the certificate with this code (any municipality): the event's
    title, kind and start and whether it was revoked; None if no certificate has it. Read through the
    narrow function of migration events 0003, with no tenant context opened and no audit entry."""
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT title, kind, starts_at, revoked FROM kzn_event_certificate_check(%s)", [code])
        row = cursor.fetchone()
    if row is None:
        return None
    return {"title": row[0], "kind": row[1], "starts_at": row[2], "revoked": row[3]}
