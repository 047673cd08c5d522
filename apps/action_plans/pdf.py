"""The plan as a PDF (WeasyPrint): goals, measures, activities, indicators and the budget summary, in
the reader's language and script. Fonts are the system's DejaVu; nothing is fetched from the network
(the fetcher of apps/conferences/pdf.py refuses remote URLs)."""
from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from apps.conferences.pdf import local_url_fetcher

from .models import Plan
from .selectors.plans import indicator_status, plan_tree
from .selectors.totals import summary


def plan_context(plan: Plan, language: str) -> dict:
    goals = plan_tree(plan)
    for goal in goals:
        for indicator in goal.indicators.all():
            indicator.status = indicator_status(indicator)
        for measure in goal.measures.all():
            for indicator in measure.indicators.all():
                indicator.status = indicator_status(indicator)
    return {"plan": plan, "goals": goals, "budget": summary(plan, None, language),
            "documents": list(plan.documents.all()), "versions": list(plan.versions.all()),
            "generated": timezone.localtime(), "language": language}


def plan_html(plan: Plan, language: str) -> str:
    with translation.override(language):
        return render_to_string("action_plans/pdf/plan.html", plan_context(plan, language))


def plan_pdf(plan: Plan, language: str) -> bytes:
    return HTML(string=plan_html(plan, language), url_fetcher=local_url_fetcher()).write_pdf()
