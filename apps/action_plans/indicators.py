"""The action plan's figures on the dashboards (apps/core/indicators.py): the adopted plan's budget of
the year, planned against executed (RSD)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.indicators import ProgrammeFigure

from .choices import ADOPTED_STATUSES
from .models import Plan
from .selectors.money import money_formatter
from .selectors.totals import summary


def budget_figures(user, *, municipality_id: int, year: int, today) -> list[ProgrammeFigure]:
    plan = (Plan.objects.visible_to(user).for_municipality(municipality_id)
            .filter(status__in=ADOPTED_STATUSES, period_from__lte=year, period_to__gte=year).first())
    if plan is None:
        return []
    total = summary(plan, year).total
    money = money_formatter()
    return [
        ProgrammeFigure("budget_planned", _("Action plan budget planned (RSD)"), money(total.planned)),
        ProgrammeFigure("budget_executed", _("Action plan budget executed (RSD)"), money(total.executed),
                        money(total.current), note=_("%(p)s %% of the amount in force") % {"p": total.percent}),
    ]
