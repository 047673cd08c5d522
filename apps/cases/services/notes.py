"""Notes and contacts on a case: append-only, correctable by the author within 24 hours."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import ContactKind, Visibility
from ..models import Case, CaseNote
from .common import acting_institution, ensure_open, reach_case, touch

CORRECTION_WINDOW = timedelta(hours=24)
# A little clock drift between the browser and the server is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=5)


def author_institution_id(user, case: Case) -> int:
    """The institution the user writes for on this case (the active membership's when it takes
    part in the case, else the lead or a participating one: see cases.acting_institution)."""
    institution = acting_institution(user, case)
    if institution is None:
        raise Http404
    return institution.pk


def _check_occurred_at(occurred_at: datetime | None) -> datetime:
    if occurred_at is None:
        return timezone.now()
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({"occurred_at": _("The time of the contact cannot be in the future.")})
    return occurred_at


def _check_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what happened.")})
    return text


@transaction.atomic
def note_add(
    *,
    user,
    case: Case,
    text: str,
    kind: str = ContactKind.NOTE,
    occurred_at: datetime | None = None,
    visibility: str = Visibility.TEAM,
) -> CaseNote:
    """Record a note or a contact on a case (visible to the team or to the author's institution only)."""
    case = reach_case(user, case, lock=False)
    ensure_open(case)
    errors = {}
    try:
        occurred_at = _check_occurred_at(occurred_at)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        text = _check_text(text)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    note = CaseNote(
        municipality_id=case.municipality_id,
        case=case,
        kind=kind,
        occurred_at=occurred_at,
        text=text,
        visibility=visibility,
        author=user,
        institution_id=author_institution_id(user, case),
    )
    note.full_clean()
    note.save()
    audit_log(
        action=AuditAction.CREATE,
        actor=user,
        obj=note,
        institution_id=note.institution_id,
        details={"case": case.pk, "kind": note.kind, "visibility": note.visibility},
    )
    touch(case)
    return note


@transaction.atomic
def note_update(
    *,
    user,
    note: CaseNote,
    text: str | None = None,
    kind: str | None = None,
    occurred_at: datetime | None = None,
    visibility: str | None = None,
) -> CaseNote:
    """Correct one's own note within 24 hours of writing it; notes are otherwise append-only."""
    found = CaseNote.objects.visible_to(user).select_for_update(of=("self",)).filter(pk=note.pk).first()
    if found is None:
        raise Http404
    note = found
    case = reach_case(user, note.case_id, lock=False)
    if note.author_id != user.pk:
        raise PermissionDenied(_("Only the author can correct a note."))
    if timezone.now() - note.created_at > CORRECTION_WINDOW:
        raise ValidationError(
            {"text": _("A note can be corrected only within 24 hours of writing it. Add a new note instead.")}
        )
    changes = {}
    if text is not None:
        changes["text"] = _check_text(text)
    if kind is not None:
        changes["kind"] = kind
    if occurred_at is not None:
        changes["occurred_at"] = _check_occurred_at(occurred_at)
    if visibility is not None:
        changes["visibility"] = visibility
    changed = [name for name, value in changes.items() if getattr(note, name) != value]
    if not changed:
        return note
    for name in changed:
        setattr(note, name, changes[name])
    note.full_clean()
    note.save(update_fields=[*changed, "updated_at"])
    audit_log(
        action=AuditAction.UPDATE,
        actor=user,
        obj=note,
        institution_id=note.institution_id,
        details={"case": note.case_id, "fields": changed, "correction": True},
    )
    touch(case)
    return note
