"""Demo programme events (obviously fictional, "(demo)" in every name):

- per municipality: a training held two weeks ago with attendance (staff and outside participants),
  hours and certificates; a public round table planned in three weeks; an expert meeting held last
  month; two materials with their stock, handed out at three info desks;
- one inter-municipal meeting of Zvezdara, Voždovac and Palilula (the Belgrade coordination area of
  the conference demo), planned for next month.

Idempotent: a municipality that already has demo events is left alone.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.conferences.models import AreaMunicipality, CoordinationArea

from .choices import EventKind
from .models import CertificateRun, Event, Participant
from .services import events as services
from .services.certificates import run_certificates
from .services.materials import distribution_record, material_create

PLACE = "Sala za obuke, Gradska uprava (demo)"
OUTSIDE = [
    ("Ivana Demo-Primer", "Udruženje „Primer“ (demo)", "savetnica", "sr-latn"),
    ("Петар Демо-Пример", "Школа „Пример“ (демо)", "педагог", "sr-cyrl"),
    ("Ana Demo-Example", "Dom zdravlja (demo)", "medicinska sestra", "en"),
]
DESKS = ("Info pult – Gradska uprava (demo)", "Info pult – Dom zdravlja (demo)", "Info pult – Centar za socijalni rad (demo)")


def _at(days: int, hour: int):
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(hour, 0)))


def _training(municipality, coordinator, people) -> Event:
    event = services.event_plan(
        user=coordinator, municipality=municipality, kind=EventKind.TRAINING,
        title="Procena rizika i hitne mere – napredni seminar (demo)", starts_at=_at(30, 9), ends_at=_at(30, 15),
        place=PLACE, organiser="Koordinaciono telo (demo)", facilitators="Trenerka Demo Primer",
        target_groups=["csr", "police", "health"], topics="Zakon o sprečavanju nasilja u porodici; procena rizika; "
        "hitne mere; individualni plan zaštite", hours=Decimal("6"), staff=people,
        outside=[services.Outside(n, i, f, language=lang) for n, i, f, lang in OUTSIDE],
    )
    start = _at(-14, 9)
    Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + timedelta(hours=6))
    event.refresh_from_db()
    participants = list(Participant.objects.filter(event=event).order_by("id"))
    attended = {p.pk: i != len(participants) - 1 for i, p in enumerate(participants)}  # the last one did not come
    services.attendance_record(user=coordinator, event=event, attended=attended,
                               hours={participants[0].pk: Decimal("4.5")})
    run = CertificateRun.objects.create(event=event, municipality_id=municipality.pk, requested_by=coordinator,
                                        total=sum(attended.values()))
    run_certificates(run_id=run.pk)
    return event


def _materials(municipality, coordinator, institutions) -> None:
    leaflet = material_create(user=coordinator, municipality=municipality, title="Kome se obratiti – letak (demo)",
                              kind="leaflet", languages=["sr-latn", "sr-cyrl"], audience="građani",
                              material_version="2. izdanje", copies=600)
    material_create(user=coordinator, municipality=municipality, title="Plakat: Nasilje nije privatna stvar (demo)",
                    kind="poster", languages=["sr-cyrl"], audience="javnost", material_version="1", copies=80)
    for days, desk in enumerate(DESKS):
        distribution_record(user=coordinator, material=leaflet, copies=100 + 20 * days,
                            distributed_on=timezone.localdate() - timedelta(days=10 - days), info_desk=desk)
    distribution_record(user=coordinator, material=leaflet, copies=50, institution=institutions["police"],
                        distributed_on=timezone.localdate() - timedelta(days=3))


def seed(context: dict) -> None:
    """Add the demo events to every demo municipality that has none yet."""
    for slug, municipality in sorted(context["municipalities"].items()):
        if Event.objects.filter(municipality=municipality, created_by__is_demo=True).exists():
            continue
        users, institutions = context["users"], context["institutions"][slug]
        coordinator = users[f"{slug}.coordinator"]
        coordinator.refresh_access()
        people = [users[f"{slug}.{key}"] for key in ("caseworker", "police", "ngo", "supervisor")]
        with transaction.atomic():
            _training(municipality, coordinator, people)
            services.event_plan(
                user=coordinator, municipality=municipality, kind=EventKind.ROUND_TABLE,
                title="Javni okrugli sto: zajedno protiv nasilja u porodici (demo)", starts_at=_at(21, 17),
                ends_at=_at(21, 19), place="Kulturni centar (demo)", organiser="Opštinska uprava (demo)",
                target_groups=["public", "local_government", "ngo"],
            )
            expert = services.event_plan(
                user=coordinator, municipality=municipality, kind=EventKind.EXPERT_MEETING,
                title="Stručni sastanak: saradnja CSR i policije (demo)", starts_at=_at(20, 10), ends_at=_at(20, 12),
                place=PLACE, target_groups=["csr", "police"], staff=people[:2],
            )
            start = _at(-30, 10)
            Event.objects.filter(pk=expert.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
            expert.refresh_from_db()
            services.attendance_record(user=coordinator, event=expert, attended={
                p.pk: True for p in Participant.objects.filter(event=expert)})
            _materials(municipality, coordinator, institutions)
    _inter_municipal(context)


def _inter_municipal(context: dict) -> None:
    zvezdara = context["municipalities"].get("zvezdara")
    if zvezdara is None or Event.objects.filter(kind=EventKind.INTER_MUNICIPAL, municipality=zvezdara).exists():
        return
    wanted = {context["municipalities"][s].pk for s in ("zvezdara", "vozdovac", "palilula") if s in context["municipalities"]}
    area_ids = AreaMunicipality.objects.filter(municipality_id__in=wanted).values_list("area_id", flat=True)
    area = next((a for a in set(area_ids)
                 if set(AreaMunicipality.objects.filter(area_id=a).values_list("municipality_id", flat=True)) >= wanted),
                None)
    if area is None:
        return
    coordinator = context["users"]["zvezdara.coordinator"]
    coordinator.refresh_access()
    services.event_plan(
        user=coordinator, area=CoordinationArea.objects.get(pk=area), municipality=zvezdara,
        kind=EventKind.INTER_MUNICIPAL, title="Međuopštinski sastanak Zvezdara – Voždovac – Palilula (demo)",
        starts_at=_at(35, 10), ends_at=_at(35, 13), place="Opština Zvezdara, velika sala (demo)",
        organiser="Koordinaciono telo Zvezdara (demo)", target_groups=["local_government", "csr", "police"],
        staff=[context["users"][f"{s}.coordinator"] for s in ("vozdovac", "palilula") if f"{s}.coordinator" in context["users"]],
    )
