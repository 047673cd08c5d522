"""The shape of the generated data: options, municipality plans and the value pools rows are drawn from."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from apps.municipalities.choices import MunicipalityKind, SizeClass

BELGRADE = ZoneInfo("Europe/Belgrade")
BASELINE_CODENAME = "baseline_view_case"
BASELINE_NAME = "Benchmark baseline: view a case (read only by the guardian baseline measurement)"
BUCKETS = 10_000

# Tables filled in bulk; their secondary (non-constraint) indexes are rebuilt after the load.
BIG_TABLES = [
    "cases_case",
    "cases_caseparticipant",
    "cases_caseassignment",
    "cases_casestatuschange",
    "cases_caseperson",
    "cases_incident",
    "cases_riskassessment",
    "cases_emergencymeasure",
    "cases_protectionplan",
    "cases_planmeasure",
    "cases_referral",
    "cases_casenote",
    "cases_consent",
    "cases_casegroupgrant",
    "cases_caseusergrant",
]
ANALYZE_TABLES = BIG_TABLES + [
    "cases_measurebreach",
    "cases_protectivemeasure",
    "cases_reminder",
    "cases_consent_institutions",
    "accounts_user",
    "accounts_membership",
    "accounts_user_groups",
    "auth_group",
    "institutions_institution",
    "municipalities_municipality",
    "municipalities_municipalitygroupgrant",
    "conferences_meeting",
    "conferences_meetinginvitee",
    "conferences_agendaitem",
    "conferences_actionitem",
    "conferences_minutes",
]

NOTE_TEXTS = [
    "Primer beleške: telefonski razgovor sa žrtvom, dogovoren plan bezbednosti.",
    "Primer beleške: kućna poseta, deca bezbedna, majka sarađuje.",
    "Primer beleške: razgovor sa školom o izostancima deteta.",
    "Primer beleške: žrtva upućena na besplatnu pravnu pomoć.",
    "Primer beleške: policija obaveštena o novom prijavljenom incidentu.",
    "Primer beleške: dogovor sa domom zdravlja o pregledu.",
    "Primer beleške: žrtva ne želi smeštaj u sigurnu kuću.",
    "Primer beleške: učinilac pozvan na razgovor u centar.",
    "Пример белешке: разговор са жртвом, договорене следеће мере.",
    "Пример белешке: посета породици, стање стабилно.",
]
ADDRESSES = [f"Primer ulica {n}, Testgrad" for n in range(1, 41)]
PHONES = [f"+381 60 000 {n:04d}" for n in range(1, 41)]
CLOSURE_REASONS = ["safety_achieved", "victim_withdrew", "moved_away", "transferred", "not_dv", "other", "safety_achieved"]
RELATIONSHIPS = ["spouse", "cohabiting_partner", "former_partner", "intimate_partner", "parent", "child", "sibling", "spouse"]
PLACES = ["shared_home", "shared_home", "victim_home", "perpetrator_home", "public_place", "online", "other"]
CHANNELS = ["police_report", "police_report", "in_person", "phone", "referral", "helpline"]
NOTE_KINDS = ["note", "home_visit", "interview", "phone_call", "office_visit", "phone_call"]
RISK_ITEMS = {
    "low": {"prior_violence": {"answer": "yes", "note": ""}, "victim_fear": {"answer": "no", "note": ""}},
    "medium": {
        "prior_violence": {"answer": "yes", "note": ""},
        "intent_to_repeat": {"answer": "yes", "note": ""},
        "substance_abuse": {"answer": "yes", "note": ""},
        "victim_fear": {"answer": "yes", "note": ""},
    },
    "high": {
        "prior_violence": {"answer": "yes", "note": ""},
        "murder_threat": {"answer": "yes", "note": ""},
        "escalation": {"answer": "yes", "note": ""},
        "victim_fear": {"answer": "yes", "note": ""},
    },
    "immediate": {
        "prior_violence": {"answer": "yes", "note": ""},
        "murder_threat": {"answer": "yes", "note": ""},
        "weapon_used": {"answer": "yes", "note": ""},
        "strangling": {"answer": "yes", "note": ""},
        "victim_fear": {"answer": "yes", "note": ""},
    },
}


@dataclass
class SeedOptions:
    """What to generate."""

    cases: int = 1_000_000
    municipalities: int = 174
    users: int = 20_000
    seed: int = 1
    until: date | None = None
    years: int = 10
    chunk: int = 250_000
    rebuild_indexes: bool | None = None  # None: when cases >= 100,000
    vacuum: bool = True


@dataclass
class MunicipalityPlan:
    """One generated municipality before it exists."""

    index: int
    kind: str
    name: str
    name_cyrl: str
    code: str
    population: int
    size_class: str


def _code(i: int) -> str:
    letters = ""
    n = i
    for _ in range(3):
        letters = chr(ord("A") + n % 26) + letters
        n //= 26
    return "Q" + letters


def plan_municipalities(count: int, rng: random.Random) -> list[MunicipalityPlan]:
    """Serbia's shape: 17 Belgrade city municipalities and 28 cities (large), the rest small."""
    n_bg = max(1, round(count * 17 / 174))
    n_city = max(1, round(count * 28 / 174)) if count > 2 else 0
    plans = []
    for i in range(count):
        if i < n_bg:
            kind, k = MunicipalityKind.CITY_MUNICIPALITY, i + 1
            population = int(240_000 / (1 + 0.18 * i)) + rng.randint(0, 20_000)
            name, cyrl = f"Primer-Beograd {k:02d}", f"Пример-Београд {k:02d}"
        elif i < n_bg + n_city:
            kind, k = MunicipalityKind.CITY, i - n_bg + 1
            population = (rng.randint(180_000, 360_000) if k <= 3 else rng.randint(40_000, 130_000))
            name, cyrl = f"Primer-Grad {k:02d}", f"Пример-Град {k:02d}"
        else:
            kind, k = MunicipalityKind.MUNICIPALITY, i - n_bg - n_city + 1
            population = max(2_000, min(80_000, int(rng.lognormvariate(9.7, 0.7))))
            name, cyrl = f"Primer-Opština {k:03d}", f"Пример-Општина {k:03d}"
        size = SizeClass.LARGE if population >= 100_000 else SizeClass.SMALL
        plans.append(MunicipalityPlan(i, kind, name, cyrl, _code(i), population, size))
    return plans
