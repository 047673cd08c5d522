"""Notes and contacts on a case: append-only, correctable by the author within 24 hours."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import context
from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import ContactKind, Visibility
from ..models import Case, CaseNote, CaseParticipant

CORRECTION_WINDOW = timedelta(hours=24)
# A little clock drift between the browser and the server is not "the future".
FUTURE_TOLERANCE = timedelta(minutes=5)


def reachable_case(user, case: Case | int, *, lock: bool = False) -> Case:
    """The case as the user may reach it (404 otherwise), re-read so that no caller bypasses scoping."""
    pk = case.pk if isinstance(case, Case) else case
    queryset = Case.objects.visible_to(user, "change").filter(pk=pk)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    found = queryset.first()
    if found is None:
        raise Http404
    return found


def acting_institution_id(user, case: Case) -> int:
    """The institution the user acts for on this case.

    The institution of the request (the active membership) when it takes part in the case,
    otherwise the user's first institution that does (lead or active team member), otherwise
    the active membership's institution (e.g. a service working on a shared case).
    """
    memberships = user.access.memberships
    if not memberships:
        raise Http404
    own = [m.institution_id for m in memberships]
    current = context.current().institution_id
    participating = set(
        CaseParticipant.objects.filter(case_id=case.pk, institution_id__in=own, ended_at__isnull=True).values_list(
            "institution_id", flat=True
        )
    )
    if case.lead_institution_id in own:
        participating.add(case.lead_institution_id)
    if current in participating:
        return current
    for institution_id in own:
        if institution_id in participating:
            return institution_id
    if current in own:
        return current
    in_municipality = [m.institution_id for m in memberships if m.municipality_id == case.municipality_id]
    return (in_municipality or own)[0]


def touch_case(case: Case | int, at: datetime | None = None) -> None:
    """Record activity on the case (the work queue's "no activity for 30 days")."""
    at = at or timezone.now()
    Case.objects.filter(pk=case.pk if isinstance(case, Case) else case).filter(Q(last_activity_at__lt=at) | Q(last_activity_at__isnull=True)).update(
        last_activity_at=at
    )


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
    case = reachable_case(user, case)
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
        institution_id=acting_institution_id(user, case),
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
    touch_case(case)
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
    reachable_case(user, note.case_id)
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
    touch_case(note.case_id)
    return note
