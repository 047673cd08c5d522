"""Demo questionnaires (JOURNEYS.md): the client questionnaire at the info desks of the centres for
social work in Zvezdara (enough answers for results, and last quarter's collection for the trend) and
Kragujevac (7 answers: nothing shown yet), and a professionals' before/after wave around a training
in Lazarevac. The answers are generated (fixed seed) through the same service as the public page.

Idempotent: a municipality that already has a demo questionnaire is left alone.
"""
from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from .choices import WavePhase
from .models import Questionnaire
from .services import builder, collections
from .services.answers import submit

COMMENTS = [
    "Hvala na strpljenju (demo).", "Čekaonica je premala (demo).", "Socijalna radnica me je saslušala (demo).",
    "Više informacija o besplatnoj pravnoj pomoći (demo).",
]


def _data(pairs: dict) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in pairs.items():
        for value in values if isinstance(values, list) else [values]:
            data.appendlist(f"q_{key}", value)
    return data


def _client_answer(rng: random.Random, mood: float) -> QueryDict:
    def likert():
        return str(max(1, min(5, round(rng.gauss(mood, 0.9)))))

    recommend = "yes" if rng.random() < (mood - 1) / 4.2 else "no"
    answer = {"reach": likert(), "believed": likert(), "respect": likert(), "informed": likert(), "safer": likert(),
              "waiting": rng.choices(["under15", "under60", "over60", "another_day"], [5, 4, 2, 1])[0],
              "recommend": recommend, "first_contact": rng.choice(["yes", "no"])}
    if rng.random() < 0.25:
        answer["comment"] = rng.choice(COMMENTS)
    if recommend == "no" and rng.random() < 0.5:
        answer["change"] = "Kraće čekanje (demo)."
    return _data(answer)


def _answer_many(collection, count: int, make, day) -> None:
    questions = list(collection.questionnaire_version.questions.select_related("show_if").order_by("position"))
    for i in range(count):
        submit(collection, questions, make(i), today=day)


def _client(context, slug: str, answers: int, *, history: int = 0) -> None:
    municipality = context["municipalities"][slug]
    csr = context["institutions"][slug]["csr"]
    coordinator = context["users"][f"{slug}.coordinator"]
    coordinator.refresh_access()
    today = timezone.localdate()
    questionnaire = builder.adopt_template(actor=coordinator, municipality=municipality, institution=csr,
                                           key="client_experience")
    version = questionnaire.versions.get()
    builder.publish(actor=coordinator, version=version)
    rng = random.Random(f"surveys-{slug}")
    if history:
        past = collections.create_collection(
            actor=coordinator, version=version, institution=csr, title=f"Info pult CSR {municipality.name}, prošli kvartal (demo)",
            opens_on=today - timedelta(days=150), closes_on=today - timedelta(days=61))
        _answer_many(past, history, lambda i: _client_answer(rng, 3.4), today - timedelta(days=90))
    current = collections.create_collection(
        actor=coordinator, version=version, institution=csr, title=f"Info pult CSR {municipality.name} (demo)",
        opens_on=today - timedelta(days=60), closes_on=today + timedelta(days=30))
    _answer_many(current, answers, lambda i: _client_answer(rng, 4.0), today)


def _professional_answer(rng: random.Random, phase: str, code: str) -> QueryDict:
    better = 0.9 if phase == WavePhase.POST else 0.0

    def likert(base):
        return str(max(1, min(5, round(rng.gauss(base + better, 0.8)))))

    def knows(right, wrong, chance):
        return right if rng.random() < chance + (0.3 if better else 0) else rng.choice(wrong)

    answer = {"prep_ask": likert(2.6), "prep_risk": likert(2.3), "prep_refer": likert(3.0),
              "know_emergency": knows("48h", ["24h", "8d", "dk"], 0.5), "know_group": knows("15d", ["7d", "30d", "dk"], 0.3),
              "know_duty": knows("all", ["victim", "police", "dk"], 0.55),
              "att_private": likert(2.2 - 2 * better), "att_stays": likert(2.6 - 2 * better), "att_role": likert(3.6)}
    data = _data(answer)
    return data, code


def _wave(context, slug: str) -> None:
    municipality = context["municipalities"][slug]
    coordinator = context["users"][f"{slug}.coordinator"]
    coordinator.refresh_access()
    today = timezone.localdate()
    questionnaire = builder.adopt_template(actor=coordinator, municipality=municipality, key="professional_kap")
    version = questionnaire.versions.get()
    builder.publish(actor=coordinator, version=version)
    wave = collections.create_wave(
        actor=coordinator, version=version, title="Obuka: procena rizika i hitne mere (demo)",
        pre_opens_on=today - timedelta(days=21), pre_closes_on=today - timedelta(days=20),
        post_opens_on=today - timedelta(days=14), post_closes_on=today + timedelta(days=7),
    )
    rng = random.Random(f"surveys-wave-{slug}")
    questions = list(version.questions.select_related("show_if").order_by("position"))
    for collection in wave.collections.all():
        count, day = (16, today - timedelta(days=21)) if collection.phase == WavePhase.PRE else (14, today)
        for i in range(count):
            code = f"demo{i:02d}" if i < 12 else ""
            data, code = _professional_answer(rng, collection.phase, code)
            submit(collection, questions, data, code=code, today=day)


def seed(context: dict) -> None:
    plan = {"zvezdara": lambda: _client(context, "zvezdara", 34, history=18),
            "kragujevac": lambda: _client(context, "kragujevac", 7),
            "lazarevac": lambda: _wave(context, "lazarevac")}
    for slug, make in plan.items():
        municipality = context["municipalities"].get(slug)
        if municipality is None or Questionnaire.objects.filter(municipality=municipality).exists():
            continue
        with transaction.atomic():
            make()
