"""The official's home page is her dashboard: a panel with the headline figures and the way to the rest."""
from __future__ import annotations

from django.utils import timezone

from apps.core import home
from apps.core.choices import Role

from . import rules
from .indicators import FIGURES_BY_KEY
from .periods import MONTHS
from .selectors import municipal_dashboard

HEADLINE = ("new_cases", "risk", "emergency", "referrals")


def dashboard_panel(request):
    """Officials and coordinators: this year's headline figures of the acting municipality (a fixed
    number of queries: the summary rows and their refresh stamp)."""
    user = request.user
    roles = user.access.roles()
    if not {Role.OFFICIAL, Role.COORDINATOR} & roles:
        return None
    ids = sorted(rules.report_municipality_ids(user.access))
    if not ids:
        return None
    membership = user.active_membership(request)
    municipality_id = membership.municipality_id if membership and membership.municipality_id in ids else ids[0]
    today = timezone.localdate()
    suppressed = rules.reach(user.access, municipality_id) != rules.CASES
    board = municipal_dashboard(user, municipality_id, year=today.year, period=MONTHS[today.month - 1],
                                suppressed=suppressed)
    tables = [t for t in board.tables if t.key in HEADLINE]
    return home.HomePanel(
        key="dashboard", template="reports/home/_dashboard.html", order=1, roles=(Role.OFFICIAL,),
        context={"board": board, "tables": tables, "municipality_id": municipality_id,
                 "figures": FIGURES_BY_KEY, "months": MONTHS},
    )


home.register(dashboard_panel)
