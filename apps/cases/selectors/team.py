"""The case team as a user may see it: a consent override's reason only for the lead institution."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import Http404

from ..models import Case, CaseParticipant
from ..querysets import marked_for
from .case_rows import case_rows


@dataclass(frozen=True)
class TeamMember:
    """One institution on the case team."""

    participant: CaseParticipant
    institution_name: str
    joined_at: datetime
    is_lead: bool
    # Whether it joined without the victim's consent (immediate danger); everyone on the team sees that.
    without_consent: bool
    # Why it joined without consent: shown to the lead institution's staff only ("" for others).
    override_reason: str


def case_team_for(user, case: Case) -> list[TeamMember]:
    """Current team members of a case the user may see (Http404 otherwise)."""
    lead_staff = case.lead_institution_id in user.access.institution_ids()
    if not marked_for(case, user):
        case = Case.objects.visible_to(user).filter(pk=case.pk).first()
        if case is None:
            raise Http404("No case matches the given query.")
        participants = (
            CaseParticipant.objects.filter(case=case, ended_at__isnull=True)
            .select_related("institution", "added_by")
            .order_by("joined_at", "id")
        )
    else:
        # The case page's timeline reads the same rows (all of them, ordered by joining).
        participants = [p for p in case_rows(user, case, CaseParticipant) if p.ended_at is None]
    return [
        TeamMember(
            participant=p,
            institution_name=p.institution.display_name(),
            joined_at=p.joined_at,
            is_lead=p.institution_id == case.lead_institution_id,
            without_consent=bool(p.consent_override_reason),
            override_reason=p.consent_override_reason if lead_staff else "",
        )
        for p in participants
    ]
