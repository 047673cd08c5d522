"""Every indicator against values counted by hand on the fixture of conftest.py (docs/indicators.md)."""
from __future__ import annotations

import pytest

from apps.reports.services.figures import compute

from .conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(year):
    return compute(year.w.mun_a.pk, 2026, now=NOW)


def v(values, unit, category, period, institution=0):
    return values.get((unit, category, period, institution), 0)


def test_new_cases_by_month_quarter_year_and_institution(values, year):
    assert [v(values, "cases", "", m) for m in ("01", "02", "03", "04", "05", "06")] == [1, 1, 1, 0, 0, 1]
    assert v(values, "cases", "", "Q1") == 3 and v(values, "cases", "", "Q2") == 1
    assert v(values, "cases", "", "Y") == 4  # the 2025 case and municipality B's are not counted
    assert v(values, "cases", "", "Y", year.w.csr_a.pk) == 2
    assert v(values, "cases", "", "Y", year.w.police_a.pk) == 2
    # 31.1. 23:30 UTC is 1.2. in Belgrade: February.
    assert v(values, "cases", "", "02", year.w.police_a.pk) == 1


def test_risk_share(values):
    assert v(values, "cases", "risk:high", "01") == 1
    assert v(values, "cases", "risk:immediate", "02") == 1
    assert v(values, "cases", "risk:other", "Y") == 2


def test_forms_count_cases_not_incidents(values):
    assert v(values, "forms", "form:physical", "01") == 1  # two physical incidents, one case
    assert v(values, "forms", "form:physical", "Y") == 2
    assert v(values, "forms", "form:psychological", "Y") == 1
    assert v(values, "forms", "form:sexual", "Y") == 0


def test_victims_and_perpetrators_by_sex_age_and_relationship(values):
    assert v(values, "victims", "", "Y") == 4
    assert v(values, "victims", "sex:female", "Y") == 3 and v(values, "victims", "sex:male", "Y") == 1
    assert v(values, "victims", "age:26-64", "Y") == 2  # born 1.5.1990: 35 on 10.1.2026
    assert v(values, "victims", "age:0-17", "Y") == 1  # born in 2010
    assert v(values, "victims", "age:unknown", "Y") == 1
    assert v(values, "perpetrators", "sex:male", "Y") == 3 and v(values, "perpetrators", "sex:female", "Y") == 1
    assert v(values, "perpetrators", "age:65+", "Y") == 2  # born 2.2.1960 (65 on 10.1.2026) and in 1950
    assert v(values, "perpetrators", "age:18-25", "Y") == 0  # born in 2000: 26 in 2026
    assert v(values, "perpetrators", "age:26-64", "Y") == 2  # born in 1980 and in 2000
    assert v(values, "perpetrators", "rel:spouse", "Y") == 1 and v(values, "perpetrators", "rel:parent", "Y") == 1
    assert v(values, "perpetrators", "rel:sibling", "Y") == 1 and v(values, "perpetrators", "rel:unknown", "Y") == 1


def test_repeat_within_twelve_months(values):
    assert v(values, "repeat", "repeat:perpetrator", "01") == 1  # the 2025 case's perpetrator again
    assert v(values, "repeat", "repeat:victim", "06") == 1  # January's victim again in June
    assert v(values, "repeat", "repeat:victim", "Y") == 1


def test_measures_referrals_and_plans(values):
    assert v(values, "emergency", "", "Y") == 2
    assert v(values, "emergency", "kind:removal", "01") == 1 and v(values, "emergency", "kind:contact_ban", "02") == 1
    assert v(values, "extension_proposed", "", "01") == 1
    assert v(values, "extended", "", "01") == 1
    assert v(values, "breaches", "", "02") == 1
    assert v(values, "protective", "kind:approach_ban", "03") == 1
    assert v(values, "referrals", "", "Y") == 2
    assert v(values, "referrals", "answer:24h", "01") == 1 and v(values, "referrals", "answer:none", "03") == 1
    assert v(values, "plans", "", "01") == 1
