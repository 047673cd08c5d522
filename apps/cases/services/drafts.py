"""Drafts of the case forms (notes, risk, persons, plan): what the user typed is kept on the server
while they type, so that an ended session or a lost connection does not lose it.

A draft belongs to one user, one case and one form (``form_key``: "note_add", "person_edit-12", ...);
it is stored encrypted, is never shown to anyone else, is deleted when the form is saved or the draft
discarded, and expires after ``DRAFT_TTL`` (an expired draft is never restored and is removed the next
time the user saves a draft). Nothing is kept in the browser (computers are shared). Every change and
every restore is audited, without the values.
"""
from __future__ import annotations

import json
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..models import Case, FormDraft
from .common import reach_case

DRAFT_TTL = timedelta(days=7)
MAX_DRAFT_CHARS = 100_000
# Never part of a draft: the CSRF token is per session, and a fresh one comes with the page.
SKIPPED_FIELDS = frozenset({"csrfmiddlewaretoken"})


def _values(data) -> dict[str, list[str]]:
    """{name: [values]} from a QueryDict (or a plain dict of strings / lists)."""
    if hasattr(data, "lists"):
        items = data.lists()
    else:
        items = ((k, v if isinstance(v, list) else [v]) for k, v in data.items())
    return {str(k): [str(v) for v in vs] for k, vs in items if k not in SKIPPED_FIELDS}


def _own(user, case: Case, form_key: str):
    return FormDraft.objects.visible_to(user).filter(case_id=case.pk, form_key=form_key)


@transaction.atomic
def draft_save(*, user, case: Case, form_key: str, data) -> FormDraft:
    """Keep what the user typed into one form of one case (replacing their earlier draft of it)."""
    case = reach_case(user, case, lock=False)
    values = _values(data)
    text = json.dumps(values, ensure_ascii=False, sort_keys=True)
    if len(text) > MAX_DRAFT_CHARS:
        raise ValidationError(_("The form is too long to keep as a draft; save it with the button."), code="too_long")
    now = timezone.now()
    FormDraft.objects.visible_to(user).filter(expires_at__lte=now).delete()
    draft = _own(user, case, form_key).select_for_update().first()
    created = draft is None
    if created:
        draft = FormDraft(municipality_id=case.municipality_id, user=user, case=case, form_key=form_key)
    elif draft.data == text:
        FormDraft.objects.filter(pk=draft.pk).update(expires_at=now + DRAFT_TTL)
        return draft
    draft.data = text
    draft.expires_at = now + DRAFT_TTL
    draft.full_clean()
    draft.save()
    audit_log(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=user,
        obj=draft,
        details={"case": case.pk, "form": form_key},
    )
    return draft


def draft_load(*, user, case: Case, form_key: str) -> FormDraft | None:
    """The user's unexpired draft of the form, with ``values`` ({name: [values]}); the restore is audited."""
    draft = _own(user, case, form_key).filter(expires_at__gt=timezone.now()).first()
    if draft is None:
        return None
    try:
        draft.values = json.loads(draft.data)
    except ValueError:
        return None
    audit_log(action=AuditAction.VIEW, actor=user, obj=draft, details={"case": case.pk, "form": form_key})
    return draft


def draft_discard(*, user, case: Case, form_key: str) -> bool:
    """Delete the user's draft of the form (after saving it, or when they discard it)."""
    drafts = list(_own(user, case, form_key))
    for draft in drafts:
        audit_log(action=AuditAction.DELETE, actor=user, obj=draft, details={"case": case.pk, "form": form_key})
    if drafts:
        FormDraft.objects.filter(pk__in=[d.pk for d in drafts]).delete()
    return bool(drafts)


def drafts_delete_expired(*, now=None) -> int:
    """Delete every expired draft, whoever typed it (run hourly by beat: a draft of someone who never
    comes back is not kept past ``DRAFT_TTL``). Returns how many were deleted."""
    deleted, _per_model = FormDraft.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted
