"""Isolation matrix entries of the programme events: pages, PDFs, exports, public pages and the API.

Scopes: OWN and SAME are events of municipality A (OWN with a participant from CSR A, SAME with one
from police A), OTHER an event of municipality B; each scope has a planned event (next week) and a
held one (last week, with attendance and a certificate). Following apps/events/querysets.py: every
member of municipality A sees A's events; the coordinator of A runs them (plans, changes, records
attendance, issues certificates, reads the participants); nobody in A sees B's. Platform admins hold
no membership and see no event. The verification page and an enabled public page are anonymous.
"""
from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from .matrix import API, CO, CW, IA, OF, OTHER, OWN, PA, PAGE, REDIRECT, SAME, SU, Entry, e

A_MEMBERS = {CW: {OWN: 200, SAME: 200}, CO: {OWN: 200, SAME: 200}, SU: {OWN: 200, SAME: 200},
             OF: {OWN: 200, SAME: 200}, IA: {OWN: 200, SAME: 200}}
VIEWERS = e(default=404, **A_MEMBERS)


def runs(ok) -> dict:
    return e(default=404, **{CO: {OWN: ok, SAME: ok}})


def planned(w, scope):
    return {"pk": w.ev["planned"][scope].pk}


def past(w, scope):
    return {"pk": w.ev["held"][scope].pk}


def participant(w, scope):
    return {"pk": w.ev["planned"][scope].pk, "participant_pk": w.ev["participant"][scope].pk}


def run_kwargs(w, scope):
    return {"pk": w.ev["held"][scope].pk, "run_pk": w.ev["run"][scope].pk}


def certificate_kwargs(w, scope):
    return {"pk": w.ev["held"][scope].pk, "certificate_pk": w.ev["certificate"][scope].pk}


def new_event_form(w, scope):
    day = timezone.localdate() + timedelta(days=12)
    return {"kind": "training", "title": "Matrica obuka", "municipality": w.municipality[scope].pk,
            "date": day.isoformat(), "start_time": "09:00", "end_time": "12:00", "place": "Matrica sala"}


def new_event_api(w, scope):
    start = timezone.now() + timedelta(days=12)
    return {"kind": "training", "title": "Matrica obuka", "municipality": w.municipality[scope].pk,
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=3)).isoformat()}


def new_material_api(w, scope):
    return {"municipality": w.municipality[scope].pk, "title": "Matrica letak", "kind": "leaflet", "copies": 10}


def new_distribution_api(w, scope):
    return {"material": w.ev["material"][scope].pk, "info_desk": "Matrica pult", "copies": 1,
            "distributed_on": timezone.localdate().isoformat()}


def toggle(w, scope):
    return {"municipality": w.municipality[scope].pk, "enabled": "on"}


def material(w, scope):
    return {"pk": w.ev["material"][scope].pk}


def stock(w, scope):
    return {"copies": 20, "received_on": timezone.localdate().isoformat(), "note": "Matrica štamparija"}


def material_form(w, scope):
    row = w.ev["material"][scope]
    return {"title": row.title, "kind": "leaflet", "audience": "Matrica", "version": row.version}


def coverage_row(w, scope):
    return {"pk": w.ev["held"][scope].pk, "coverage_pk": w.ev["coverage"][scope].pk}


def targets(w, scope):
    return {"municipality_pk": w.municipality[scope].pk}


def targets_form(w, scope):
    return {"round_table": 2, "training": 3, "stamp": ""}


def coverage(w, scope):
    return {"outlet": "Matrica TV", "kind": "tv", "published_on": timezone.localdate().isoformat()}


ENTRIES = [
    Entry("events:event_list", PAGE, e(default=200)),
    Entry("events:event_create", PAGE, e(default=404, **{CO: 200}), note="coordinators plan"),
    Entry("events:event_create", PAGE, method="POST", data=new_event_form, scopes=(OWN, SAME, OTHER),
          expect=e(default=404, **{CO: {OWN: REDIRECT, SAME: REDIRECT, OTHER: 200}}),
          note="another municipality is not a valid choice: 200 with an error, nothing saved"),
    Entry("events:event_detail", PAGE, VIEWERS, kwargs=planned),
    Entry("events:event_ics", PAGE, VIEWERS, kwargs=planned),
    Entry("events:event_edit", PAGE, runs(200), kwargs=planned),
    Entry("events:event_edit", PAGE, runs(200), method="POST", kwargs=planned, note="an empty form is refused"),
    Entry("events:event_cancel", PAGE, runs(REDIRECT), method="POST", kwargs=planned),
    Entry("events:participant_add", PAGE, runs(REDIRECT), method="POST", kwargs=planned,
          data=lambda w, scope: {"name": "Matrica Učesnica", "language": "sr-latn"}),
    Entry("events:participant_remove", PAGE, runs(REDIRECT), method="POST", kwargs=participant),
    Entry("events:attendance", PAGE, runs(REDIRECT), method="POST", kwargs=past),
    Entry("events:sign_in_pdf", PAGE, runs(200), kwargs=planned),
    Entry("events:attendance_pdf", PAGE, runs(200), kwargs=past),
    Entry("events:attendance_export", PAGE, runs(200), kwargs=lambda w, scope: {**past(w, scope), "fmt": "csv"}),
    Entry("events:certificates_issue", PAGE, runs(REDIRECT), method="POST", kwargs=past),
    Entry("events:certificate_run", PAGE, runs(200), kwargs=run_kwargs),
    Entry("events:certificate_pdf", PAGE, runs(200), kwargs=certificate_kwargs,
          note="and the holder (a staff member, not one of the role users)"),
    Entry("events:certificate_revoke", PAGE, runs(200), kwargs=certificate_kwargs),
    Entry("events:certificate_revoke", PAGE, runs(REDIRECT), method="POST", kwargs=certificate_kwargs,
          data=lambda w, scope: {"reason": "Matrica razlog"}, note="only who runs the event; the holder too gets 404"),
    Entry("events:coverage_add", PAGE, runs(200), kwargs=past),
    Entry("events:coverage_add", PAGE, runs(REDIRECT), method="POST", kwargs=past, data=coverage),
    Entry("events:coverage_clipping", PAGE, VIEWERS, kwargs=coverage_row),
    Entry("events:material_list", PAGE, e(default=200)),
    Entry("events:material_file", PAGE, VIEWERS, kwargs=lambda w, scope: {"pk": w.ev["material"][scope].pk}),
    Entry("events:clipping", PAGE, VIEWERS, kwargs=planned),
    Entry("events:material_create", PAGE, e(default=404, **{CO: 200})),
    Entry("events:material_edit", PAGE, runs(200), kwargs=material),
    Entry("events:material_edit", PAGE, runs(REDIRECT), method="POST", kwargs=material, data=material_form),
    Entry("events:stock_add", PAGE, runs(200), kwargs=material),
    Entry("events:stock_add", PAGE, runs(REDIRECT), method="POST", kwargs=material, data=stock),
    Entry("events:material_create", PAGE, e(default=404, **{CO: 200}), method="POST", note="an empty form is refused"),
    Entry("events:distribution_create", PAGE, e(default=404, **{CO: 200})),
    Entry("events:distribution_create", PAGE, e(default=404, **{CO: 200}), method="POST",
          note="an empty form is refused"),
    Entry("events:public_page_toggle", PAGE, method="POST", data=toggle, scopes=(OWN, OTHER),
          expect=e(default=404, **{CO: {OWN: REDIRECT}})),
    Entry("events:targets_export", PAGE, e(default=404, **{CO: 200, OF: 200, PA: 200}),
          kwargs=lambda w, scope: {"fmt": "csv"}, scopes=(OWN,), note="aggregates: coordinators and officials"),
    Entry("events:targets_edit", PAGE, e(default=404, **{CO: {OWN: 200}}), kwargs=targets, scopes=(OWN, OTHER),
          note="the coordinators of the municipality keep its targets"),
    Entry("events:targets_edit", PAGE, e(default=404, **{CO: {OWN: REDIRECT}}), method="POST", kwargs=targets,
          data=targets_form, scopes=(OWN, OTHER)),
    Entry("events:verify", PAGE, e(default=200, anonymous=200), leaks=False, note="public by design"),
    Entry("events:verify_code", PAGE, e(default=200, anonymous=200), leaks=False,
          kwargs=lambda w, scope: {"code": w.ev["certificate"][scope].code}, scopes=(OWN, OTHER),
          note="public by design: event title, date and validity only"),
    Entry("events:public_page", PAGE, e(default=404, anonymous=404, **{"@" + OWN: 200, "anonymous@" + OWN: 200}),
          kwargs=lambda w, scope: {"slug": w.municipality[scope].slug}, scopes=(OWN, OTHER), leaks=False,
          note="A's page is switched on, B's is off (the default)"),
    # --- API ----------------------------------------------------------------------------------
    Entry("event-list", API, e(default=200)),
    Entry("event-list", API, method="POST", data=new_event_api, scopes=(OWN, SAME, OTHER),
          expect=e(default=403, **{CO: {OWN: 201, SAME: 201, OTHER: 400}})),
    Entry("event-detail", API, VIEWERS, kwargs=planned),
    Entry("event-detail", API, runs(428), method="PATCH", kwargs=planned, data=lambda w, scope: {"place": "X"},
          note="without If-Match"),
    Entry("event-cancel", API, runs(200), method="POST", kwargs=planned),
    Entry("event-attendance", API, runs(200), method="POST", kwargs=past,
          data=lambda w, scope: {"present": [w.ev["held_participant"][scope].pk]}),
    Entry("event-participant-list", API, e(default=200)),
    Entry("event-participant-detail", API, runs(200), kwargs=lambda w, scope: {"pk": w.ev["participant"][scope].pk}),
    Entry("material-list", API, e(default=200)),
    Entry("material-list", API, method="POST", data=new_material_api, scopes=(OWN, SAME, OTHER),
          expect=e(default=403, **{CO: {OWN: 201, SAME: 201, OTHER: 400}})),
    Entry("material-detail", API, VIEWERS, kwargs=lambda w, scope: {"pk": w.ev["material"][scope].pk}),
    Entry("material-detail", API, runs(428), method="PATCH", kwargs=material, data=lambda w, scope: {"audience": "X"},
          note="without If-Match"),
    Entry("material-stock", API, runs(201), method="POST", kwargs=material, data=stock),
    Entry("event-certificate-list", API, e(default=200)),
    Entry("event-certificate-detail", API, runs(200), kwargs=lambda w, scope: {"pk": w.ev["certificate"][scope].pk},
          note="and the holder (a staff member, not one of the role users)"),
    Entry("event-certificate-revoke", API, runs(200), method="POST",
          kwargs=lambda w, scope: {"pk": w.ev["certificate"][scope].pk}, data=lambda w, scope: {"reason": "Matrica"}),
    Entry("material-distribution-list", API, e(default=200)),
    Entry("material-distribution-list", API, method="POST", data=new_distribution_api, scopes=(OWN, SAME, OTHER),
          expect=e(default=403, **{CO: {OWN: 201, SAME: 201, OTHER: 400}})),
    Entry("material-distribution-detail", API, VIEWERS,
          kwargs=lambda w, scope: {"pk": w.ev["distribution"][scope].pk}),
]


def build(w) -> None:
    """Per scope: a planned and a held event with participants, a run, a certificate, a material."""
    from apps.core.choices import Role
    from apps.events.models import (
        Certificate,
        CertificateRun,
        Distribution,
        Event,
        EventMunicipality,
        Material,
        MaterialStock,
        MediaCoverage,
        Participant,
        PublicPageSetting,
    )

    base = w.base
    creators = {OWN: base.users[Role.COORDINATOR], SAME: base.users[Role.COORDINATOR],
                OTHER: base.users["other_municipality"][Role.COORDINATOR]}
    w.ev = {key: {} for key in ("planned", "held", "participant", "held_participant", "run", "certificate",
                                "material", "distribution", "coverage")}
    now = timezone.now()
    for index, scope in enumerate((OWN, SAME, OTHER)):
        municipality = w.municipality[scope]
        for key, start, status in (("planned", now + timedelta(days=5 + index), "planned"),
                                   ("held", now - timedelta(days=5 + index), "held")):
            event = Event.objects.create(municipality=municipality, created_by=creators[scope], kind="training",
                                         title=f"Matrica događaj {scope}", place=f"Matrica sala {scope}",
                                         starts_at=start, ends_at=start + timedelta(hours=3), status=status, hours=3)
            EventMunicipality.objects.create(event=event, municipality=municipality, member=municipality)
            w.ev[key][scope] = event
            row = Participant.objects.create(event=event, municipality=municipality, user=w.staff[scope],
                                             attended=key == "held")
            w.ev["participant" if key == "planned" else "held_participant"][scope] = row
        held = w.ev["held"][scope]
        w.ev["run"][scope] = CertificateRun.objects.create(event=held, municipality=municipality,
                                                           requested_by=creators[scope], total=1, done=1, status="done")
        certificate = Certificate(participant=w.ev["held_participant"][scope], event=held, municipality=municipality,
                                  language="sr-latn", issued_at=now)
        certificate.pdf.save(f"matrica-{scope}.pdf", ContentFile(b"%PDF-1.4 matrica"), save=False)
        certificate.save()
        w.ev["certificate"][scope] = certificate
        material = Material(municipality=municipality, title=f"Matrica materijal {scope}")
        material.file.save(f"matrica-{scope}.pdf", ContentFile(b"%PDF-1.4 matrica"), save=False)
        material.save()
        planned_event = w.ev["planned"][scope]
        planned_event.media_clipping.save(f"isecak-{scope}.pdf", ContentFile(b"%PDF-1.4 isecak"), save=True)
        MaterialStock.objects.create(material=material, municipality=municipality, copies=100,
                                     received_on=timezone.localdate())
        w.ev["material"][scope] = material
        coverage_row = MediaCoverage(event=held, municipality=municipality, outlet=f"Matrica TV {scope}", kind="tv",
                                     published_on=timezone.localdate(), clipping_name="isecak.pdf",
                                     clipping_type="application/pdf")
        coverage_row.clipping.save("clipping", ContentFile(b"%PDF-1.4 isecak"), save=False)
        coverage_row.save()
        w.ev["coverage"][scope] = coverage_row
        w.ev["distribution"][scope] = Distribution.objects.create(
            material=material, municipality=municipality, info_desk=f"Matrica pult {scope}", copies=5,
            distributed_on=timezone.localdate())
    # The caseworker role user attended the own held training: their own attendance row (API).
    own_row = Participant.objects.create(event=w.ev["held"][OWN], municipality=base.mun_a, user=w.users[CW],
                                         attended=True)
    Certificate.objects.create(participant=own_row, event=w.ev["held"][OWN], municipality=base.mun_a,
                               language="sr-latn", issued_at=now)  # and their own certificate (API)
    PublicPageSetting.objects.create(municipality=base.mun_a, enabled=True)
    w.leak_texts += ["Matrica događaj other_municipality", "Matrica materijal other_municipality",
                     "Matrica pult other_municipality", "Matrica TV other_municipality"]
    w.leak_ids["event-list"] = {w.ev["planned"][OTHER].pk, w.ev["held"][OTHER].pk}
    w.leak_ids["event-participant-list"] = {w.ev["participant"][OTHER].pk, w.ev["held_participant"][OTHER].pk}
    w.leak_ids["material-list"] = {w.ev["material"][OTHER].pk}
    w.leak_ids["event-certificate-list"] = {w.ev["certificate"][OTHER].pk}
    w.leak_ids["material-distribution-list"] = {w.ev["distribution"][OTHER].pk}
