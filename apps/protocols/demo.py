"""Demo protocols, agreements and self-assessment for the 8 programme municipalities:

- the national general protocol (adopted) and model checklist, published by the platform admin;
- per municipality, a local adaptation of the protocol (adopted; its police step shortened to 12 hours);
- a cooperation agreement with every demo institution plus the bar association and the employment
  service as outside parties: Kragujevac's signed by all; Loznica's with two signatures missing;
  Ćuprija's expiring next month (its 60-day reminder is due); the others in force for four years;
- two completed self-assessment rounds (the past two half-years, scores rising) and one open round;
- compliance figures need nothing more: they are computed from the demo cases.

Idempotent: a municipality that already has a demo protocol is left alone.
"""
from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from apps.core.text import to_cyrillic

from .choices import Answer, ProtocolKind, ResponseStatus, RoundStatus
from .demo_content import CHECKLIST, STEPS
from .models import AssessmentAnswer, AssessmentResponse, AssessmentRound, Checklist, ChecklistItem, Protocol
from .services.agreements import agreement_save, annex_add, party_add, party_sign
from .services.assessment import action_point_add, round_open
from .services.protocols import protocol_create, step_save, version_adopt

NATIONAL = "Opšti protokol o postupanju i saradnji u slučajevima nasilja u porodici (demo)"
OUTSIDE = ["Advokatska komora (demo)", "Nacionalna služba za zapošljavanje – filijala (demo)"]
PARTIES = ("local", "csr", "police", "prosecutor", "health", "school", "ngo")


def _national(admin, today: date):
    protocol = Protocol.objects.filter(municipality__isnull=True, title=NATIONAL).first()
    if protocol is None:
        protocol = protocol_create(user=admin, municipality=None, kind=ProtocolKind.GENERAL, title=NATIONAL,
                                   title_cyrl=to_cyrillic(NATIONAL),
                                   title_en="General protocol on action and cooperation in domestic violence (demo)")
        version = protocol.versions.get()
        for sector, number, actor, action, amount, unit, basis, event, english in STEPS:
            version.refresh_from_db()
            step_save(user=admin, version=version, expected_version=version.version, sector=sector, position=number,
                      actor=actor, actor_cyrl=to_cyrillic(actor), action=action, action_cyrl=to_cyrillic(action),
                      action_en=english, time_amount=amount, time_unit=unit, legal_basis=basis, proving_event=event)
        version.refresh_from_db()
        version_adopt(user=admin, version=version, expected_version=version.version,
                      adopted_on=date(today.year - 1, 3, 1), decision_number="05 br. 110-1/2025 (demo)")
    checklist = Checklist.objects.filter(municipality__isnull=True, name__startswith="Ček lista").first()
    if checklist is None:
        name = "Ček lista za samoprocenu službi (demo)"
        checklist = Checklist.objects.create(name=name, name_cyrl=to_cyrillic(name),
                                             name_en="Self-assessment checklist for services (demo)", created_by=admin)
        ChecklistItem.objects.bulk_create([
            ChecklistItem(checklist=checklist, theme=theme, position=n, text=text, text_cyrl=to_cyrillic(text),
                          text_en=english)
            for n, (theme, text, english) in enumerate(CHECKLIST, start=1)
        ])
    return protocol, checklist


def _adapt(protocol, coordinator, municipality, today: date) -> None:
    local = protocol_create(user=coordinator, municipality=municipality, kind=ProtocolKind.GENERAL,
                            title=f"Lokalni protokol o saradnji – {municipality.name} (demo)",
                            title_cyrl=f"Локални протокол о сарадњи – {municipality.name_cyrl} (демо)",
                            based_on=protocol)
    version = local.versions.get()
    step = version.steps.get(sector="police", position=2)
    step_save(user=coordinator, version=version, expected_version=version.version, step=step,
              action="Obaveštava centar za socijalni rad o prijavi nasilja odmah, a najkasnije u roku od 12 sati",
              action_cyrl=to_cyrillic("Obaveštava centar za socijalni rad o prijavi nasilja odmah, a najkasnije "
                                      "u roku od 12 sati"), time_amount=12)
    version.refresh_from_db()
    version_adopt(user=coordinator, version=version, expected_version=version.version,
                  adopted_on=today - timedelta(days=200), decision_number=f"06-{municipality.code}-14/2026 (demo)")


def _agreement(slug, municipality, coordinator, institutions, protocol, today: date) -> None:
    until = today + timedelta(days=25) if slug == "cuprija" else today + timedelta(days=4 * 365)
    start = today - timedelta(days=300)
    agreement = agreement_save(
        user=coordinator, municipality=municipality, title=f"Sporazum o saradnji u sprečavanju nasilja – {municipality.name} (demo)",
        subject="Zajednički principi rada, razmena informacija i konferencije slučaja (demo).",
        protocol=protocol, valid_from=start, valid_until=until)
    names = {"local": "Predsednik opštine (demo)", "csr": "Direktorka centra (demo)", "police": "Načelnik (demo)",
             "prosecutor": "Javna tužiteljka (demo)", "health": "Direktor doma zdravlja (demo)",
             "school": "Direktorka škole (demo)", "ngo": "Predsednica udruženja (demo)"}
    parties = [party_add(user=coordinator, agreement=agreement, institution=institutions[key],
                         signatory_name=names[key], signatory_function="(demo)") for key in PARTIES]
    parties += [party_add(user=coordinator, agreement=agreement, outside_name=name, signatory_name="Potpisnik (demo)",
                          signatory_function="(demo)") for name in OUTSIDE]
    unsigned = 2 if slug == "loznica" else 0
    for n, party in enumerate(parties[: len(parties) - unsigned]):
        party_sign(user=coordinator, party=party, signed_on=start - timedelta(days=10 - n % 5),
                   signatory_name=party.signatory_name, signatory_function=party.signatory_function)
    if slug == "kragujevac":
        annex_add(user=coordinator, agreement=agreement, title="Aneks 1: škole i zdravstvo u timu za slučaj (demo)",
                  summary="Proširenje tima za slučaj (demo).", signed_on=today - timedelta(days=60))


def _value(seed: str, level: int) -> str:
    """A stable answer whose chance of yes grows with ``level`` (0, 1, 2: the three rounds)."""
    roll = int(hashlib.sha256(seed.encode()).hexdigest()[:4], 16) % 10
    if roll == 9:
        return Answer.NOT_APPLICABLE
    if roll < 3 + 2 * level:
        return Answer.YES
    return Answer.PARTLY if roll < 6 + level else Answer.NO


def _rounds(slug, municipality, coordinator, institutions, checklist, today: date) -> None:
    members = [institutions[key] for key in ("csr", "police", "health", "school", "ngo")]
    halves = [(today - timedelta(days=545), today - timedelta(days=365)),
              (today - timedelta(days=364), today - timedelta(days=183)), (today - timedelta(days=182), today)]
    items = list(checklist.items.all())
    for level, (start, end) in enumerate(halves):
        round_ = round_open(user=coordinator, municipality=municipality, checklist=checklist,
                            title=f"Samoprocena {end:%m.%Y} (demo)", period_from=start, period_to=end,
                            deadline=end + timedelta(days=21), institutions=members)
        answers = []
        for response in AssessmentResponse.objects.filter(round=round_).select_related("institution"):
            rows = {a.item_id: a for a in response.answers.all()}
            partial = level == 2 and response.institution_id in (institutions["school"].pk, institutions["ngo"].pk)
            for n, item in enumerate(items):
                if partial and n > 5:
                    continue
                row = rows[item.pk]
                row.value = _value(f"{slug}:{response.institution_id}:{item.pk}:{level}", level)
                row.note = "Demo napomena." if row.value == Answer.PARTLY else ""
                answers.append(row)
            if not partial:
                AssessmentResponse.objects.filter(pk=response.pk).update(status=ResponseStatus.SUBMITTED,
                                                                          submitted_at=timezone.now(),
                                                                          submitted_by=coordinator)
            if level == 1 and response.institution_id == institutions["police"].pk:
                action_point_add(user=coordinator, response=response, theme="training",
                                 text="Obuka novih policijskih službenika o proceni rizika (demo)",
                                 due=today + timedelta(days=90))
        AssessmentAnswer.objects.bulk_update(answers, ["value", "note"])
        if level < 2:
            AssessmentRound.objects.filter(pk=round_.pk).update(status=RoundStatus.CLOSED, closed_at=timezone.now())


def seed(context: dict) -> None:
    """Add the demo protocols, agreements and rounds to every demo municipality that has none yet."""
    today = timezone.localdate()
    admin = context["users"]["platform.admin"]
    with transaction.atomic():
        protocol, checklist = _national(admin, today)
    for slug, municipality in sorted(context["municipalities"].items()):
        if Protocol.objects.filter(municipality=municipality, title__endswith="(demo)").exists():
            continue
        coordinator = context["users"][f"{slug}.coordinator"]
        coordinator.refresh_access()
        institutions = context["institutions"][slug]
        with transaction.atomic():
            _adapt(protocol, coordinator, municipality, today)
            _agreement(slug, municipality, coordinator, institutions, protocol, today)
            _rounds(slug, municipality, coordinator, institutions, checklist, today)
