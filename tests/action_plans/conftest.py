"""Fixtures of the action plan tests: the code lists of two years and a plan of municipality A with a
goal, a measure, two activities (CSR A and police A) and budget lines."""
from datetime import date
from decimal import Decimal

import pytest

from apps.action_plans.choices import CodeKind
from apps.action_plans.models import BudgetCode
from apps.action_plans.services import budget as budget_services
from apps.action_plans.services import plans as plan_services
from apps.action_plans.services import structure as structure_services
from apps.core.choices import Role

CODES = [
    (CodeKind.PROGRAMME, "0901", "Socijalna i dečja zaštita", "Социјална и дечја заштита"),
    (CodeKind.ACTIVITY, "0901-0001", "Jednokratne pomoći", "Једнократне помоћи"),
    (CodeKind.ACTIVITY, "0901-0005", "Podrška udruženjima", "Подршка удружењима"),
    (CodeKind.ACTIVITY, "0901-P1", "Projekat prevencije nasilja", "Пројекат превенције насиља"),
    (CodeKind.FUNCTION, "090", "Socijalna zaštita", "Социјална заштита"),
    (CodeKind.ECONOMIC, "423", "Usluge po ugovoru", "Услуге по уговору"),
    (CodeKind.ECONOMIC, "424", "Specijalizovane usluge", "Специјализоване услуге"),
    (CodeKind.ECONOMIC, "481", "Dotacije nevladinim organizacijama", "Дотације невладиним организацијама"),
    (CodeKind.SOURCE, "01", "Opšti prihodi i primanja budžeta", "Општи приходи и примања буџета"),
    (CodeKind.SOURCE, "06", "Donacije od međunarodnih organizacija", "Донације од међународних организација"),
    (CodeKind.SOURCE, "07", "Transferi od drugih nivoa vlasti", "Трансфери од других нивоа власти"),
]


def make_codes(*years):
    for year in years:
        for kind, code, name, name_cyrl in CODES:
            BudgetCode.objects.get_or_create(year=year, kind=kind, code=code, defaults={"name": name, "name_cyrl": name_cyrl})


def line_values(**overrides):
    values = {"year": 2027, "programme": "0901", "programme_activity": "0901-0001", "function": "090", "konto": "423",
              "source": "01", "planned": Decimal("100000.00")}
    values.update(overrides)
    return values


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Service messages in English (the msgids) whatever an earlier request left active; restored after,
    so no language leaks into the next test."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def codes(db):
    make_codes(2027, 2028)


@pytest.fixture
def plan_world(world, codes):
    """A draft plan 2027-2030 of municipality A with one goal, one measure, two activities and three lines."""
    coordinator = world.users[Role.COORDINATOR]
    plan = plan_services.plan_create(user=coordinator, municipality=world.mun_a, title="Plan Testgrad (test)",
                                     title_cyrl="План Тестград (тест)", period_from=2027, period_to=2030,
                                     general_goal="Manje nasilja (test)")
    goal = structure_services.goal_create(user=coordinator, plan=plan, title="Bolja zaštita")
    measure = structure_services.measure_create(user=coordinator, goal=goal, title="Obuke", programme_activity="0901-0001")
    a1 = structure_services.activity_create(user=coordinator, measure=measure, title="Obuka CSR", owner_institution=world.csr_a,
                                            starts_on=date(2027, 2, 1), ends_on=date(2027, 6, 30),
                                            responsible=world.users[Role.CASEWORKER], partners=[world.police_a])
    a2 = structure_services.activity_create(user=coordinator, measure=measure, title="Kampanja", owner_institution=world.police_a,
                                            starts_on=date(2027, 3, 1), ends_on=date(2027, 12, 31))
    lines = [
        budget_services.line_create(user=coordinator, activity=a1, **line_values(planned=Decimal("150000.10"))),
        budget_services.line_create(user=coordinator, activity=a1, **line_values(source="06", planned=Decimal("50000.25"), donor="Donator (test)")),
        budget_services.line_create(user=coordinator, activity=a2, **line_values(programme_activity="0901-P1", konto="481", source="07", planned=Decimal("300000.00"))),
    ]
    return world, plan, goal, measure, [a1, a2], lines


@pytest.fixture
def token_client():
    """A fresh API client authenticated with a new token of ``user``."""
    import datetime

    from knox.models import AuthToken
    from rest_framework.test import APIClient

    def make(user):
        _instance, key = AuthToken.objects.create(user=user, expiry=datetime.timedelta(days=1))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make
