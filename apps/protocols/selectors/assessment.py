"""Self-assessment scores: per theme and overall (yes 2, partly 1, no 0 points; not applicable left
out), per response, across the rounds of a municipality (trends)."""
from __future__ import annotations

from collections import defaultdict

from django.db.models import Case as SqlCase
from django.db.models import Count, IntegerField, Q, Sum, Value, When

from ..choices import Answer, Theme
from ..models import AssessmentAnswer, AssessmentResponse

POINTS = SqlCase(
    When(value=Answer.YES, then=Value(2)), When(value=Answer.PARTLY, then=Value(1)),
    default=Value(0), output_field=IntegerField(),
)
SCORED = Q(value__in=[Answer.YES, Answer.PARTLY, Answer.NO])


def _percent(points: int, scored: int) -> float | None:
    return round(100.0 * points / (2 * scored), 1) if scored else None


def scores_of(response_ids) -> dict[int, dict]:
    """{response_id: {"themes": {theme: percent}, "overall": percent, "answered": n, "items": n}} in one query."""
    result: dict[int, dict] = defaultdict(lambda: {"themes": {}, "overall": None, "answered": 0, "items": 0,
                                                   "_p": 0, "_n": 0})
    rows = (
        AssessmentAnswer.objects.filter(response_id__in=list(response_ids))
        .values("response_id", "item__theme")
        .annotate(points=Sum(POINTS, filter=SCORED), scored=Count("id", filter=SCORED),
                  answered=Count("id", filter=~Q(value="")), items=Count("id"))
    )
    for row in rows:
        entry = result[row["response_id"]]
        entry["themes"][row["item__theme"]] = _percent(row["points"] or 0, row["scored"])
        entry["_p"] += row["points"] or 0
        entry["_n"] += row["scored"]
        entry["answered"] += row["answered"]
        entry["items"] += row["items"]
    for entry in result.values():
        entry["overall"] = _percent(entry.pop("_p"), entry.pop("_n"))
    return dict(result)


def round_scores(round_, responses) -> list[dict]:
    """Per response of a round (already read through visible_to): its scores."""
    scores = scores_of([r.pk for r in responses])
    rows = []
    for r in responses:
        entry = scores.get(r.pk, {"themes": {}, "overall": None, "answered": 0, "items": 0})
        rows.append({"response": r, **entry, "cells": [(t, entry["themes"].get(t.value)) for t in Theme]})
    return rows


def trends(responses) -> dict:
    """Overall score per institution and round, oldest round first: {"rounds": [...], "rows": [...]}."""
    responses = list(responses.select_related("round", "institution"))
    scores = scores_of([r.pk for r in responses])
    rounds = sorted({r.round for r in responses}, key=lambda r: (r.period_to, r.pk))
    table: dict = {}
    for r in responses:
        table.setdefault(r.institution, {})[r.round_id] = scores.get(r.pk, {}).get("overall")
    rows = [{"institution": inst, "cells": [(rd, values.get(rd.pk)) for rd in rounds]}
            for inst, values in sorted(table.items(), key=lambda kv: str(kv[0]))]
    return {"rounds": rounds, "rows": rows}


THEMES = list(Theme)


def visible_responses(user):
    return AssessmentResponse.objects.visible_to(user, "view")
