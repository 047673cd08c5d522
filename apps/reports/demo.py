"""Demo data of the reports: the summary tables of this year and last, a year of monthly reports already
produced for every demo municipality (the PDF drawn from each snapshot when first downloaded), the
demo officials subscribed to the e-mail, and a national reader."""
from __future__ import annotations

from django.utils import timezone

from apps.accounts.models import User

from .choices import RunStatus
from .models import Figure, ReportRun
from .services.figures import refresh, refresh_national
from .services.runs import subscribe
from .snapshots import take

NATIONAL_READER = "national.reader"


def _source(municipality_id: int, year: int) -> dict:
    rows = Figure.objects.filter(municipality_id=municipality_id, year=year, institution_id=0)
    return {(u, c, p): (v, s) for u, c, p, v, s in rows.values_list("unit", "category", "period", "value", "state")}


def seed(context: dict) -> None:
    today = timezone.localdate()
    years = (today.year - 2, today.year - 1, today.year)
    months = []
    year, month = today.year, today.month
    for _i in range(12):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        months.append((year, month))
    for slug, municipality in context["municipalities"].items():
        for y in years:
            refresh(municipality_id=municipality.pk, year=y)
        for y, m in months:
            period = f"{y}-{m:02d}"
            if ReportRun.objects.filter(municipality=municipality, period=period).exists():
                continue
            snapshot = take(_source(municipality.pk, y), _source(municipality.pk, y - 1), year=y, month=f"{m:02d}")
            ReportRun.objects.create(municipality=municipality, period=period, status=RunStatus.DONE,
                                     language="sr-latn", snapshot=snapshot, finished_at=timezone.now())
        official = context["users"].get(f"{slug}.official")
        if official is not None:
            subscribe(user=official, municipality_id=municipality.pk, on=True)
    for y in years:
        refresh_national(year=y)
    reader = User.objects.filter(username=NATIONAL_READER).first()
    if reader is None:
        reader = User(username=NATIONAL_READER, email=f"{NATIONAL_READER}@demo.kzn.example")
    reader.first_name, reader.last_name, reader.is_demo, reader.is_national_reader = "Nada", "Primer (demo)", True, True
    reader.set_password(context["password"])
    reader.save()
    context["users"][NATIONAL_READER] = reader
