"""The coordinator's operational figures beside the dashboard: open cases per lead institution,
referrals waiting for an answer, plan measures past their deadline. Counted live from the cases she
may open (``visible_to``), so never protected and never shown to anyone else."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from apps.cases.choices import CaseStatus, PlanMeasureStatus, ReferralStatus
from apps.cases.models import Case, PlanMeasure, Referral
from apps.institutions.models import Institution


@dataclass
class Operational:
    caseloads: list[tuple[str, int]]
    referrals_waiting: int
    measures_overdue: int


def operational(user, municipality_id: int) -> Operational:
    """Four statements on the municipality's indexes."""
    open_cases = (Case.objects.visible_to(user).for_municipality(municipality_id).exclude(status=CaseStatus.CLOSED)
                  .values("lead_institution_id").annotate(n=Count("id")).order_by())
    counts = {row["lead_institution_id"]: row["n"] for row in open_cases}
    names = {i.pk: i.display_name() for i in Institution.objects.visible_to(user).filter(pk__in=list(counts))}
    waiting = (Referral.objects.visible_to(user).for_municipality(municipality_id)
               .filter(status=ReferralStatus.SENT).count())
    overdue = (PlanMeasure.objects.visible_to(user).for_municipality(municipality_id)
               .filter(status__in=(PlanMeasureStatus.PLANNED, PlanMeasureStatus.IN_PROGRESS),
                       deadline__lt=timezone.localdate()).count())
    caseloads = sorted(((names.get(k, "—"), v) for k, v in counts.items()), key=lambda item: -item[1])
    return Operational(caseloads=caseloads, referrals_waiting=waiting, measures_overdue=overdue)
