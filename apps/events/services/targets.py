"""Programme targets per municipality, programme period and kind of event, kept by its coordinators.

A row overrides the default (``choices.DEFAULT_TARGETS`` and ``settings.EVENTS_TARGETS``); an empty
value removes the row, so the default applies again. The municipality's rows are saved together and
refused if someone saved any of them meanwhile (``stamp``: the rows' kinds and versions as the page
showed them). Every change is audited with the kinds and numbers (no personal data)."""
from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from .. import rules
from ..choices import EventKind
from ..models import ProgrammeTarget
from ..querysets import MANAGE


class TargetsConflict(ValidationError):
    """Someone saved the municipality's targets since the page was loaded; nothing was saved."""

    def __init__(self):
        super().__init__({NON_FIELD_ERRORS: [ValidationError(
            _("Someone else saved these targets while you were editing them. Nothing was saved; the form "
              "shows their values now."), code="version_conflict")]})


def stamp(rows) -> str:
    """The state of a municipality's rows as a page shows them (kind:version, sorted)."""
    return ",".join(sorted(f"{row.kind}:{row.version}" for row in rows))


@transaction.atomic
def targets_save(*, user, municipality_id: int, period: str, targets: dict[str, int | None], seen: str) -> int:
    """Set the municipality's targets of ``period`` (kind -> number, None: the default). Returns the
    kinds changed."""
    if municipality_id not in user.access.municipalities_with(MANAGE):
        raise Http404
    errors = {}
    for kind, value in targets.items():
        if kind not in EventKind.values:
            raise ValidationError(_("Choose kinds of event from the list."))
        if value is not None and (not isinstance(value, int) or value < 0 or value > 1000):
            errors[kind] = [_("A target is a whole number from 0 to 1000.")]
    if errors:
        raise ValidationError(errors)
    mine = rules.of_municipalities(ProgrammeTarget.objects.visible_to(user, "change"), [municipality_id])
    rows = {row.kind: row for row in mine.select_for_update().filter(period=period)}
    if stamp(rows.values()) != (seen or ""):
        raise TargetsConflict()
    changed = {}
    for kind, value in targets.items():
        row = rows.get(kind)
        if value is None:
            if row is not None:
                row.delete()
                changed[kind] = None
        elif row is None:
            ProgrammeTarget.objects.create(municipality_id=municipality_id, period=period, kind=kind, target=value)
            changed[kind] = value
        elif row.target != value:
            ProgrammeTarget.objects.filter(pk=row.pk).update(target=value, version=row.version + 1)
            changed[kind] = value
    if changed:
        audit_log(action=AuditAction.UPDATE, actor=user, object_type="events.programmetarget",
                  municipality_id=municipality_id,
                  details={"municipality": municipality_id, "period": period, "targets": changed})
    return len(changed)
