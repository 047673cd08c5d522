"""Sums of the lines equal the totals shown on the page, in the exports (CSV, XLSX) and in the PDF."""
import csv
import io
from datetime import date
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.action_plans.models import BudgetLine, Execution
from apps.action_plans.selectors.totals import summary
from apps.action_plans.services import budget as budget_services
from apps.core.choices import Role


def _with_executions(plan_world):
    world, plan, goal, measure, activities, lines = plan_world
    user = world.users[Role.COORDINATOR]
    for index, line in enumerate(lines):
        for month in (2, 5, 9):
            budget_services.execution_record(user=user, line=line, executed_on=date(2027, month, 3 + index),
                                             document=f"{month}-{index}/2027", amount=Decimal("1234.57"))
    return world, plan


def test_the_summary_adds_up(plan_world):
    world, plan = _with_executions(plan_world)
    data = summary(plan, 2027)
    planned = sum(BudgetLine.objects.filter(plan=plan).values_list("planned", flat=True), Decimal("0"))
    executed = sum(Execution.objects.filter(plan=plan).values_list("amount", flat=True), Decimal("0"))
    assert data.total.planned == planned == Decimal("500000.35")
    assert data.total.executed == executed == Decimal("11111.13")
    for groups in (data.by_programme, data.by_source, data.by_institution):
        assert sum((g.totals.planned for g in groups), Decimal("0")) == planned
        assert sum((g.totals.executed for g in groups), Decimal("0")) == executed
    assert len(data.by_source) == 3


def test_page_exports_and_pdf_show_the_same_totals(plan_world, login):
    world, plan = _with_executions(plan_world)
    client = login(world.users[Role.OFFICIAL])
    page = client.get(reverse("action_plans:budget", kwargs={"pk": plan.pk}) + "?year=2027").content.decode()
    assert "500.000,35 RSD" in page and "11.111,13 RSD" in page
    # CSV: the total row equals the sum of the lines.
    response = client.get(reverse("action_plans:export", kwargs={"pk": plan.pk, "name": "lines", "fmt": "csv"}) + "?year=2027")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    body, total = rows[1:-1], rows[-1]
    assert len(body) == 3
    planned_col = rows[0].index("Planned (RSD)")
    executed_col = rows[0].index("Executed (RSD)")
    assert sum(Decimal(r[planned_col]) for r in body) == Decimal(total[planned_col]) == Decimal("500000.35")
    assert sum(Decimal(r[executed_col]) for r in body) == Decimal(total[executed_col]) == Decimal("11111.13")
    for name in ("programme", "source", "institution"):
        response = client.get(reverse("action_plans:export", kwargs={"pk": plan.pk, "name": name, "fmt": "xlsx"}) + "?year=2027")
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        col = values[0].index("Planned (RSD)")
        assert sum(Decimal(str(r[col])) for r in values[1:-1]) == Decimal(str(values[-1][col])) == Decimal("500000.35")
    pdf = client.get(reverse("action_plans:pdf", kwargs={"pk": plan.pk}))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "500.000,35" in text


def test_the_pdf_follows_the_readers_script(plan_world, verified_client):
    world, plan = _with_executions(plan_world)
    client = verified_client(world.users[Role.OFFICIAL])
    client.cookies["kzn_language"] = "sr-cyrl"
    pdf = client.get(reverse("action_plans:pdf", kwargs={"pk": plan.pk}))
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "План Тестград" in text
    assert "500.000,35" in text
