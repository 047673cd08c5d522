"""Suppression: one implementation, the same in the page, the exports and the API; a suppressed cell
cannot be recovered from totals; nothing under 10 answers; a published version cannot be edited."""
import csv
import io
import itertools

import openpyxl
import pypdf
import pytest
from django.core.exceptions import ValidationError

from apps.core.choices import Role
from apps.surveys.models import Question
from apps.surveys.results import HIDDEN, collection_results, mean_is_safe, suppress
from apps.surveys.services import builder

from .conftest import GOOD, post_answer

pytestmark = pytest.mark.django_db


def test_suppress_rules():
    assert suppress({"a": 12, "b": 3, "c": 7}) == {"a": 12, "b": None, "c": None}  # complementary
    assert suppress({"a": 12, "b": 3, "c": 2}) == {"a": 12, "b": None, "c": None}
    assert suppress({"yes": 9, "no": 1}) == {"yes": None, "no": None}
    assert suppress({"a": 5, "b": 6}) == {"a": 5, "b": 6}


def test_hidden_cell_cannot_be_recovered_from_totals():
    """Every distribution of 10-14 answers over 3 options: from what is shown (the shown cells and n,
    no mean when a cell is hidden) the hidden cells always admit at least two solutions."""
    for counts in itertools.product(range(15), repeat=3):
        n = sum(counts)
        if not 10 <= n <= 14:
            continue
        shown = suppress(dict(zip("abc", counts, strict=True)))
        hidden = [k for k, v in shown.items() if v is None]
        if not hidden:
            continue
        assert len(hidden) >= 2
        remainder = n - sum(v for v in shown.values() if v is not None)
        solutions = [c for c in itertools.product(range(remainder + 1), repeat=len(hidden)) if sum(c) == remainder]
        assert len(solutions) >= 2, counts


def _compositions(n, k):
    if k == 1:
        yield (n,)
        return
    for first in range(n + 1):
        for rest in _compositions(n - first, k - 1):
            yield (first, *rest)


@pytest.mark.parametrize("n", [10, 11, 12, 13])
def test_scale_mean_never_reveals_a_hidden_cell(n):
    """Every 1-5 distribution of n answers: someone who knows n, the shown cells, the shown mean (one
    decimal) and even which hidden cells are under 5, solving by brute force, finds at least two
    possible counts for every hidden cell. And the mean is still shown for most distributions."""
    shown_means = 0
    for counts in _compositions(n, 5):
        full = {str(v): c for v, c in zip(range(1, 6), counts, strict=True)}
        shown = suppress(full)
        mean = sum(int(k) * c for k, c in full.items()) / n
        if not mean_is_safe(full, shown, n, mean):
            continue
        shown_means += 1
        hidden = [k for k, v in shown.items() if v is None]
        if not hidden:
            continue
        m = round(mean, 1)
        rest = n - sum(v for v in shown.values() if v is not None)
        known = sum(int(k) * v for k, v in shown.items() if v is not None)
        ranges = [range(0, 5) if full[k] < 5 else range(5, rest + 1) for k in hidden]
        possible = [set() for _ in hidden]
        for guess in itertools.product(*ranges):
            if sum(guess) != rest:
                continue
            total = known + sum(int(k) * g for k, g in zip(hidden, guess, strict=True))
            if n * (m - 0.05) - 1e-9 <= total <= n * (m + 0.05) + 1e-9:
                for i, g in enumerate(guess):
                    possible[i].add(g)
        assert all(len(p) >= 2 for p in possible), (counts, m, possible)
    assert shown_means > 0


def _answers(client, survey, n, **overrides):
    for i in range(n):
        answers = {**GOOD, "q_recommend": "no" if i < 2 else "yes", **overrides}
        assert post_answer(client, survey, answers, REMOTE_ADDR=f"10.0.0.{i + 1}").status_code == 302


def test_nothing_under_ten_answers_everywhere(client, login, survey, world):
    _answers(client, survey, 7)
    results = collection_results(survey)
    assert not results.available and results.questions == []
    coordinator = login(world.users[Role.COORDINATOR])
    page = coordinator.get(f"/surveys/collections/{survey.pk}/").content.decode()
    assert "at least 10 answers" in page
    api = coordinator.get(f"/api/v1/survey-collections/{survey.pk}/results/").json()
    assert api["available"] is False and api["questions"] == []
    rows = list(csv.reader(io.StringIO(coordinator.get(f"/surveys/collections/{survey.pk}/results.csv").content.decode("utf-8-sig"))))
    assert len(rows) == 2 and "10" in rows[1][0]


def test_same_suppression_in_page_export_and_api(client, login, survey, world):
    _answers(client, survey, 12)  # recommend: 2 no (hidden), 10 yes (hidden as the complement)
    results = collection_results(survey)
    recommend = next(q for q in results.questions if q.key == "recommend")
    assert [c.shown for c in recommend.cells] == [HIDDEN, HIDDEN]
    assert recommend.mean is None
    coordinator = login(world.users[Role.COORDINATOR])
    api = coordinator.get(f"/api/v1/survey-collections/{survey.pk}/results/").json()
    q = next(q for q in api["questions"] if q["key"] == "recommend")
    assert [c["count"] for c in q["cells"]] == [HIDDEN, HIDDEN]
    text = coordinator.get(f"/surveys/collections/{survey.pk}/results.csv").content.decode("utf-8-sig")
    recommend_rows = [r for r in csv.reader(io.StringIO(text)) if r[0] == recommend.text]
    assert {r[2] for r in recommend_rows} == {HIDDEN}
    assert "2" not in {r[2] for r in recommend_rows} and "10" not in {r[2] for r in recommend_rows}
    page = coordinator.get(f"/surveys/collections/{survey.pk}/").content.decode()
    assert "&lt; 5" in page
    # The Likert item answered 5 by all twelve: shown, with its mean.
    believed = next(q for q in results.questions if q.key == "believed")
    assert believed.mean is None  # all twelve answered 5: the hidden zeros would follow from a mean of 5.0
    xlsx = coordinator.get(f"/surveys/collections/{survey.pk}/results.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = [row[2] for row in sheet.iter_rows(values_only=True) if row[0] == recommend.text]
    assert cells == [HIDDEN, HIDDEN]
    pdf = coordinator.get(f"/surveys/collections/{survey.pk}/results.pdf")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert HIDDEN in text and "n = 12" in text


def test_free_text_only_for_who_manages_never_in_exports(client, login, survey, world):
    _answers(client, survey, 10, q_comment="Secret remark (demo)")
    coordinator = login(world.users[Role.COORDINATOR])
    assert "Secret remark" in coordinator.get(f"/surveys/collections/{survey.pk}/").content.decode()
    raw = coordinator.get(f"/surveys/collections/{survey.pk}/answers.csv")
    assert raw.status_code == 200 and "Secret remark" not in raw.content.decode()
    assert "Secret remark" not in coordinator.get(f"/surveys/collections/{survey.pk}/results.csv").content.decode()
    official = login(world.users[Role.OFFICIAL])
    page = official.get(f"/surveys/collections/{survey.pk}/")
    assert page.status_code == 200 and "Secret remark" not in page.content.decode()
    assert official.get(f"/surveys/collections/{survey.pk}/answers.csv").status_code == 404


def test_published_version_cannot_be_edited(survey, world, login):
    version = survey.questionnaire_version
    coordinator = world.users[Role.COORDINATOR]
    section = version.sections.first()
    with pytest.raises(ValidationError):
        builder.add_question(actor=coordinator, version=version, section=section, kind="yes_no",
                             text={"sr-latn": "Novo pitanje"})
    with pytest.raises(ValidationError):
        builder.delete_question(actor=coordinator, question=version.questions.first())
    count = Question.objects.filter(questionnaire_version=version).count()
    client = login(coordinator)
    client.post(f"/surveys/versions/{version.pk}/add_question/", {"kind": "yes_no", "text_sr_latn": "Novo"})
    assert Question.objects.filter(questionnaire_version=version).count() == count
    copy = builder.new_version(actor=coordinator, version=version)
    builder.add_question(actor=coordinator, version=copy, section=copy.sections.first(), kind="yes_no",
                         text={"sr-latn": "Novo pitanje"})
    assert copy.questions.count() == count + 1


def test_other_municipality_sees_nothing(login, survey, world):
    other = login(world.users["other_municipality"][Role.COORDINATOR])
    assert other.get(f"/surveys/collections/{survey.pk}/").status_code == 404
    assert other.get(f"/api/v1/survey-collections/{survey.pk}/results/").status_code == 404
    caseworker = login(world.users[Role.CASEWORKER])
    assert caseworker.get(f"/surveys/collections/{survey.pk}/").status_code == 404
