"""The action plans' panel of the home page (officials and coordinators): each plan in force of the
user's municipalities with this year's budget in force against executed, and its late activities."""
from __future__ import annotations

from django.utils import timezone

from apps.core import home
from apps.core.choices import Role

from .selectors.plans import late_activities, plan_lists
from .selectors.totals import summary

ROLES = (Role.OFFICIAL, Role.COORDINATOR)


def plans_panel(request):
    """Plans in force of the user's municipalities: budget executed this year and late activities."""
    user = request.user
    if not set(ROLES) & user.access.roles():
        return None
    own, _published = plan_lists(user)
    in_force = [p for p in own if p.is_adopted][:3]
    if not in_force:
        return None
    today = timezone.localdate()
    late = late_activities([p.pk for p in in_force], today)
    rows = []
    for plan in in_force:
        year = min(max(today.year, plan.period_from), plan.period_to)
        rows.append({"plan": plan, "year": year, "total": summary(plan, year).total,
                     "late": sum(1 for a in late if a.plan_id == plan.pk)})
    return home.HomePanel(key="action_plans", template="action_plans/home/_plans.html", order=35, roles=ROLES,
                          context={"rows": rows})


home.register(plans_panel)
