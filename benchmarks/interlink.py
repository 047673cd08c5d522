"""Interlinking at volume: a file of police reports imported as the Celery task imports it (chunk by
chunk, each its own transaction, as the machine account's user with row-level security on), and the
matching's precision and recall on a generated set whose truth is known.

The generated reports come from families (a victim and a perpetrator); a family reports again with
spelling variants (diacritics dropped, one letter changed), in Cyrillic, without JMBG, without dates
of birth. Truth: two reports of the same family belong on one case; of different families, not.
"""
from __future__ import annotations

import csv
import io
import random
import time
from datetime import date, timedelta

from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import membership_create
from apps.cases.validators import jmbg_check_digit
from apps.core.choices import Role
from apps.core.text import to_cyrillic
from apps.institutions.choices import InstitutionType
from apps.institutions.services import institution_create
from apps.interlink.choices import Scope
from apps.interlink.files import COLUMNS
from apps.interlink.models import ImportRun, InboundRecord
from apps.interlink.services.accounts import machine_account_create
from apps.interlink.services.imports import import_chunk_run, import_start
from apps.municipalities.choices import MunicipalityKind, SizeClass
from apps.municipalities.services import ensure_role_groups, municipality_create

FIRST_F = ["Ana", "Milica", "Jelena", "Marija", "Ivana", "Snežana", "Dragana", "Jovana", "Tijana", "Nevena", "Gordana",
           "Ljiljana", "Danijela", "Mirjana", "Biljana", "Vesna", "Zorica", "Nataša", "Sanja", "Tamara", "Đurđa", "Željka"]
FIRST_M = ["Marko", "Nikola", "Stefan", "Milan", "Dragan", "Zoran", "Nenad", "Dejan", "Goran", "Petar", "Luka", "Đorđe",
           "Miloš", "Bojan", "Vladimir", "Saša", "Ivan", "Aleksandar", "Dušan", "Željko", "Branko", "Čedomir"]
LAST = ["Primerović", "Uzorić", "Oglednić", "Testić", "Probić", "Demić", "Nacrtić", "Šablonić", "Modelić", "Obrazac",
        "Skicić", "Kalupić", "Predložak", "Matričić", "Kopirić", "Maketić", "Crtežić", "Likić", "Slikić", "Ćirić",
        "Đokić", "Žikić", "Jovanović", "Petrović", "Nikolić", "Marković", "Đorđević", "Stojanović", "Ilić", "Pavlović"]


def _jmbg(born: date, rng: random.Random) -> str:
    while True:
        base = f"{born.day:02d}{born.month:02d}{born.year % 1000:03d}71{rng.randrange(0, 1000):03d}"
        check = jmbg_check_digit(base)
        if check is not None and check <= 9:
            return base + str(check)


def _typo(text: str, rng: random.Random) -> str:
    """One letter changed, or the diacritics dropped (as a system without them writes)."""
    if rng.random() < 0.5:
        return text.translate(str.maketrans("čćšžđČĆŠŽĐ", "ccszdCCSZD"))
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + rng.choice("aeiounr") + text[i + 1:]


def families(count: int, rng: random.Random) -> list[dict]:
    out = []
    for n in range(count):
        last = rng.choice(LAST)
        victim_born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
        perp_born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
        out.append({
            "n": n,
            "victim": {"first_name": rng.choice(FIRST_F), "last_name": last, "birth_date": victim_born,
                       "jmbg": _jmbg(victim_born, rng)},
            "perpetrator": {"first_name": rng.choice(FIRST_M), "last_name": last, "birth_date": perp_born,
                            "jmbg": _jmbg(perp_born, rng)},
        })
    return out


def _variant(person: dict, rng: random.Random, *, first: bool) -> dict:
    """How a police system writes the person this time (the first report is written plainly)."""
    p = dict(person)
    if first:
        p["jmbg"] = p["jmbg"] if rng.random() < 0.3 else ""
        return p
    roll = rng.random()
    if roll < 0.25:
        p["first_name"], p["last_name"] = to_cyrillic(p["first_name"]), to_cyrillic(p["last_name"])
    elif roll < 0.50:
        p["last_name"] = _typo(p["last_name"], rng)
    elif roll < 0.60:
        p["first_name"] = _typo(p["first_name"], rng)
    p["jmbg"] = p["jmbg"] if rng.random() < 0.2 else ""  # mostly missing
    if rng.random() < 0.1:
        p["birth_date"] = None
    return p


def generate(reports: int, *, repeat_share: float = 0.35, seed: int = 20) -> tuple[list[dict], list[int]]:
    """CSV rows and, per row, the family it truly belongs to."""
    rng = random.Random(seed)
    family_count = max(1, int(reports * (1 - repeat_share)))
    fams = families(family_count, rng)
    order = list(range(family_count)) + [rng.randrange(family_count) for _ in range(reports - family_count)]
    rng.shuffle(order)
    seen, rows, truth = set(), [], []
    start = timezone.now() - timedelta(days=60)
    for index, f in enumerate(order):
        fam = fams[f]
        first = f not in seen
        seen.add(f)
        victim, perp = _variant(fam["victim"], rng, first=first), _variant(fam["perpetrator"], rng, first=first)
        occurred = start + timedelta(minutes=5 * index)
        row = dict.fromkeys(COLUMNS["police_report"], "")
        row.update({
            "external_id": f"B-{index}", "version": 1, "occurred_at": occurred.isoformat(),
            "reported_at": (occurred + timedelta(minutes=20)).isoformat(), "forms": rng.choice(["physical", "psychological|economic"]),
            "place_type": "shared_home", "risk_yes": "prior_violence" if rng.random() < 0.5 else "",
            "perpetrator_relationship": "spouse",
        })
        for who, p in (("victim", victim), ("perpetrator", perp)):
            row[f"{who}_first_name"], row[f"{who}_last_name"] = p["first_name"], p["last_name"]
            row[f"{who}_birth_date"] = p["birth_date"].isoformat() if p["birth_date"] else ""
            row[f"{who}_jmbg"] = p["jmbg"]
        rows.append(row)
        truth.append(f)
    return rows, truth


def to_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS["police_report"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def fresh_police_account():
    """A new municipality of its own (so earlier runs do not match), its CSR and police, a machine account."""
    code = "".join(random.choice("ABCDEFGHIJKLMNOPRSTUVZ") for _ in range(6))
    admin = User.objects.filter(is_platform_admin=True).first() or User.objects.create(
        username=f"bench.admin.{code}", email=f"bench.admin.{code}@bench.kzn.example", is_platform_admin=True)
    municipality = municipality_create(
        name=f"Benchgrad {code}", name_cyrl=f"Бенчград {code}", code=f"B{code}"[:8], slug=f"benchgrad-{code.lower()}",
        kind=MunicipalityKind.MUNICIPALITY, district="Bench", population=50000, size_class=SizeClass.SMALL, created_by=admin,
    )
    ensure_role_groups(municipality=municipality, granted_by=admin)
    institution_create(municipality=municipality, type=InstitutionType.CSR, name=f"CSR Benchgrad {code}", created_by=admin)
    police = institution_create(municipality=municipality, type=InstitutionType.POLICE, name=f"PS Benchgrad {code}",
                                created_by=admin)
    police_admin = User.objects.create(username=f"bench.police.{code}", email=f"bench.police.{code}@bench.kzn.example")
    membership_create(user=police_admin, institution=police, role=Role.INSTITUTION_ADMIN, created_by=admin)
    police_admin.refresh_access()
    account, _secret = machine_account_create(user=police_admin, institution=police, name=f"Bench {code}",
                                              scopes=[Scope.SEND_POLICE_REPORTS, Scope.READ_RECORDS])
    return account


def import_file(reports: int, *, seed: int = 20) -> dict:
    """Generate, check and import ``reports`` reports; the seconds of each stage and the outcome."""
    account = fresh_police_account()
    rows, truth = generate(reports, seed=seed)
    data = to_csv(rows)
    started = time.perf_counter()
    run = import_start(account=account, kind="police_report", name="bench.csv", data=data)
    checked = time.perf_counter()
    chunks = 0
    while import_chunk_run(run.pk):
        chunks += 1
    done = time.perf_counter()
    run = ImportRun.objects.get(pk=run.pk)
    result = {
        "reports": reports, "file_mb": round(len(data) / 2**20, 2), "check_s": round(checked - started, 1),
        "import_s": round(done - checked, 1), "total_s": round(done - started, 1),
        "reports_per_s": round(reports / (done - started), 1), "chunks": chunks + 1,
        "counts": {k: v for k, v in run.counts.items() if k != "refused_rows"},
    }
    result["matching"] = quality(account, truth)
    return result


def quality(account, truth: list[int]) -> dict:
    """Pairwise precision and recall: a pair of reports is 'together' when both landed on one case."""
    cases = dict(InboundRecord.objects.filter(account=account).values_list("external_id", "case_id"))
    status = dict(InboundRecord.objects.filter(account=account).values_list("external_id", "status"))
    by_family: dict[int, list[str]] = {}
    for index, family in enumerate(truth):
        by_family.setdefault(family, []).append(f"B-{index}")
    true_pairs = sum(len(v) * (len(v) - 1) // 2 for v in by_family.values())
    by_case: dict[int, list[int]] = {}
    for index, family in enumerate(truth):
        case = cases.get(f"B-{index}")
        if case is not None:
            by_case.setdefault(case, []).append(family)
    predicted = sum(len(v) * (len(v) - 1) // 2 for v in by_case.values())
    correct = sum(
        sum(n * (n - 1) // 2 for n in _counts(families_on_case).values()) for families_on_case in by_case.values()
    )
    queued = sum(1 for s in status.values() if s == "queued")
    return {
        "true_pairs": true_pairs, "predicted_pairs": predicted, "correct_pairs": correct,
        "precision": round(correct / predicted, 4) if predicted else 1.0,
        "recall": round(correct / true_pairs, 4) if true_pairs else 1.0,
        "queued_for_review": queued, "queued_share": round(queued / len(truth), 4),
    }


def _counts(values) -> dict:
    out: dict = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out
