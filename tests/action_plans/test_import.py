"""Importing a budget table: good XLSX and CSV files, and malformed ones refused by row and column with
nothing saved."""
import io

from django.urls import reverse
from openpyxl import Workbook

from apps.action_plans.models import BudgetLine
from apps.action_plans.services.importing import SAMPLE_HEADERS, ImportRefused, import_budget
from apps.core.choices import Role

GOOD = [
    ["1.1.1", 2027, "0901", "0901-0001", "090", "423", "01", "", "Obuka", "150.000,50", "", "0"],
    ["1.1.2", 2027, "0901", "0901-P1", "090", "481", "06", "Donator", "Kampanja", 20000.25, "", ""],
]


def _xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(SAMPLE_HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv(rows):
    lines = [";".join(SAMPLE_HEADERS)] + [";".join(str(c) for c in r) for r in rows]
    return ("\n".join(lines)).encode("utf-8")


def test_a_good_xlsx_and_csv_are_imported(plan_world):
    world, plan, *_ = plan_world
    user = world.users[Role.COORDINATOR]
    before = BudgetLine.objects.count()
    lines = import_budget(user=user, plan=plan, name="budzet.xlsx", data=_xlsx(GOOD))
    assert [line.planned for line in lines] == [__import__("decimal").Decimal("150000.50"), __import__("decimal").Decimal("20000.25")]
    import_budget(user=user, plan=plan, name="budzet.csv", data=_csv(GOOD))
    assert BudgetLine.objects.count() == before + 4


def test_a_malformed_table_is_refused_by_row_and_column_and_nothing_is_saved(plan_world):
    world, plan, *_ = plan_world
    bad = [GOOD[0],
           ["1.1.1", 2027, "0901", "0901-0001", "090", "999", "01", "", "", "100", "", ""],
           ["9.9.9", 2027, "0901", "0901-0001", "090", "423", "01", "", "", "-5", "", ""],
           ["1.1.1", 2027, "0901", "0901-0001", "090", "423", "01", "", "", "abc", "", ""]]
    before = BudgetLine.objects.count()
    try:
        import_budget(user=world.users[Role.COORDINATOR], plan=plan, name="budzet.xlsx", data=_xlsx(bad))
    except ImportRefused as refused:
        messages = [str(e) for e in refused.errors]
    else:
        raise AssertionError("not refused")
    assert any(m.startswith("Row 3, column F (konto)") and "2027" in m for m in messages), messages
    assert any(m.startswith("Row 4, column A (aktivnost)") for m in messages), messages
    assert any(m.startswith("Row 5, column J (planirano)") for m in messages), messages
    assert BudgetLine.objects.count() == before


def test_missing_columns_and_garbage_files(plan_world):
    world, plan, *_ = plan_world
    user = world.users[Role.COORDINATOR]
    for name, data, expected in (("x.csv", b"godina;konto\n2027;423\n", "aktivnost"),
                                 ("x.xlsx", b"not a zip", "neither an XLSX"),
                                 ("x.csv", b"", "no rows")):
        try:
            import_budget(user=user, plan=plan, name=name, data=data)
        except ImportRefused as refused:
            assert any(expected in str(e) for e in refused.errors), [str(e) for e in refused.errors]
        else:
            raise AssertionError(name)


def test_the_import_page_names_the_errors(plan_world, login):
    world, plan, *_ = plan_world
    client = login(world.users[Role.COORDINATOR])
    upload = io.BytesIO(_csv([["1.1.1", 2027, "0901", "0901-0001", "090", "999", "01", "", "", "100", "", ""]]))
    upload.name = "budzet.csv"
    response = client.post(reverse("action_plans:import", kwargs={"pk": plan.pk}), {"file": upload})
    assert response.status_code == 200
    assert "Row 2, column F (konto)" in response.content.decode()
    sample = client.get(reverse("action_plans:sample", kwargs={"fmt": "csv"}))
    assert sample.content.decode("utf-8-sig").startswith("aktivnost;godina")
