"""Messages that name the case and, where one is scheduled, the case conference that takes it up."""
from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .. import hooks


def proposed_message(user, case, *, already: bool = False) -> str:
    """“Case X was proposed for the case conference of 10.12.2026 10:00”: the next scheduled one the user
    may see; without one, “for the next case conference”."""
    start = hooks.next_conference_start(user, case)
    if start is None:
        if already:
            return _("Case %(case)s was already proposed for the next case conference.") % {"case": case.number}
        return _("Case %(case)s was proposed for the next case conference.") % {"case": case.number}
    when = date_format(timezone.localtime(start), "SHORT_DATETIME_FORMAT")
    if already:
        return _("Case %(case)s was already proposed for the case conference of %(when)s.") % {
            "case": case.number, "when": when,
        }
    return _("Case %(case)s was proposed for the case conference of %(when)s.") % {"case": case.number, "when": when}
