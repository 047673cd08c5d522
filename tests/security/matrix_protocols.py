"""Isolation matrix entries of the protocols app (pages and API).

Protocols and checklists: OWN is municipality A's, SAME the national template (no municipality), OTHER
municipality B's. Everyone signed in reads national templates, members read their municipality's, platform
admins read all and change only national ones, coordinators change their municipality's. Version pages
address a draft (second version); the PDF the adopted first version.
Agreements: OWN names CSR A as a party, SAME only police A, OTHER is B's: members of A read A's, the
coordinator changes them, CSR A's admin signs CSR A's party only; platform admins read none.
Self-assessment: OWN is CSR A's answers, SAME police A's, OTHER CSR B's: the institution's own staff and A's
coordinator and official read them; CSR A's admin writes its own; the coordinator returns them.
Compliance: coordinators, officials and institution admins of A; nobody else.
"""
from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from .matrix import API, CO, CW, IA, OF, OTHER, OWN, PA, PAGE, REDIRECT, SAME, SU, Entry, e

MEMBERS = (CW, CO, SU, OF, IA)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def readers(ok=200, *, admin=None) -> dict:
    """A's members read OWN (A's) and SAME (national); platform admins all three (``admin``)."""
    table = {role: {OWN: ok, SAME: ok} for role in MEMBERS}
    table[PA] = {OWN: admin or ok, SAME: admin or ok, OTHER: admin or ok}
    return e(default=404, **table)


def changers(ok) -> dict:
    """A's coordinator changes A's (OWN); platform admins the national template (SAME)."""
    return e(default=404, **{CO: {OWN: ok}, PA: {SAME: ok}})


def a_members(ok=200) -> dict:
    return e(default=404, **{role: {OWN: ok, SAME: ok} for role in MEMBERS})


def coordinator(ok) -> dict:
    return e(default=404, **{CO: {OWN: ok, SAME: ok}})


def pk_of(key):
    return lambda w, scope: {"pk": w.proto[key][scope].pk}


def step_kwargs(w, scope):
    return {"pk": w.proto["draft"][scope].pk, "step_pk": w.proto["step"][scope].pk}


def item_kwargs(w, scope):
    checklist = w.proto["checklist"][scope]
    return {"pk": checklist.pk, "item_pk": checklist.items.get().pk}


def party_kwargs(w, scope):
    return {"pk": w.proto["agreement"][scope].pk, "party_pk": w.proto["party"][scope].pk}


def fmt(key):
    return lambda w, scope: {"pk": w.proto[key][scope].pk, "fmt": "csv"}


RESPONSE_READERS = e(default=404, **{CW: {OWN: 200}, SU: {OWN: 200}, IA: {OWN: 200}, CO: {OWN: 200, SAME: 200},
                                     OF: {OWN: 200, SAME: 200}})
FIGURES = e(default=404, **{CO: 200, OF: 200, IA: 200})

ENTRIES = [
    Entry("protocols:protocol_list", PAGE, e(default=200)),
    Entry("protocols:protocol_create", PAGE, e(default=404, **{CO: 200, PA: 200})),
    Entry("protocols:protocol_create", PAGE, e(default=404, **{CO: 200, PA: 200}), method="POST",
          note="an empty form is refused with errors"),
    Entry("protocols:protocol_detail", PAGE, readers(REDIRECT), kwargs=pk_of("protocol"),
          note="redirects to the current version"),
    Entry("protocols:version_new", PAGE, changers(REDIRECT), method="POST", kwargs=pk_of("protocol"),
          note="a draft exists: refused with a message"),
    Entry("protocols:version_detail", PAGE, readers(), kwargs=pk_of("draft")),
    Entry("protocols:version_diff", PAGE, readers(), kwargs=pk_of("draft")),
    Entry("protocols:version_pdf", PAGE, readers(), kwargs=pk_of("adopted")),
    Entry("protocols:version_edit", PAGE, changers(200), kwargs=pk_of("draft")),
    Entry("protocols:version_edit", PAGE, changers(200), method="POST", kwargs=pk_of("draft"),
          note="an empty form is refused with errors"),
    Entry("protocols:step_add", PAGE, changers(200), kwargs=pk_of("draft")),
    Entry("protocols:step_add", PAGE, changers(200), method="POST", kwargs=pk_of("draft"),
          note="an empty form is refused with errors"),
    Entry("protocols:step_edit", PAGE, changers(200), kwargs=step_kwargs),
    Entry("protocols:step_edit", PAGE, changers(200), method="POST", kwargs=step_kwargs),
    Entry("protocols:step_delete", PAGE, changers(REDIRECT), method="POST", kwargs=step_kwargs),
    Entry("protocols:version_adopt", PAGE, changers(200), method="POST", kwargs=pk_of("draft"),
          note="an empty form is refused with errors"),
    Entry("protocols:agreement_list", PAGE, e(default=200)),
    Entry("protocols:agreement_bound", PAGE, e(default=200)),
    Entry("protocols:agreement_create", PAGE, e(default=404, **{CO: 200})),
    Entry("protocols:agreement_create", PAGE, e(default=404, **{CO: 200}), method="POST",
          note="an empty form is refused with errors"),
    Entry("protocols:agreement_detail", PAGE, a_members(), kwargs=pk_of("agreement")),
    Entry("protocols:agreement_edit", PAGE, coordinator(200), kwargs=pk_of("agreement")),
    Entry("protocols:agreement_edit", PAGE, coordinator(200), method="POST", kwargs=pk_of("agreement"),
          note="an empty form is refused with errors"),
    Entry("protocols:party_add", PAGE, coordinator(200), method="POST", kwargs=pk_of("agreement"),
          note="neither an institution nor an outside party: refused with errors"),
    Entry("protocols:party_sign", PAGE, e(default=404, **{CO: {OWN: 200, SAME: 200}, IA: {OWN: 200}}),
          kwargs=party_kwargs, note="CSR A's admin signs CSR A's party only"),
    Entry("protocols:party_sign", PAGE, e(default=404, **{CO: {OWN: 200, SAME: 200}, IA: {OWN: 200}}),
          method="POST", kwargs=party_kwargs, note="an empty form is refused with errors"),
    Entry("protocols:agreement_scan", PAGE, a_members(), kwargs=pk_of("agreement"), note="every read audited"),
    Entry("protocols:agreement_scan", PAGE, coordinator(200), method="POST", kwargs=pk_of("agreement"),
          note="no file: refused with errors"),
    Entry("protocols:annex_add", PAGE, coordinator(200), method="POST", kwargs=pk_of("agreement"),
          note="an empty form is refused with errors"),
    Entry("protocols:agreement_terminate", PAGE, coordinator(200), method="POST", kwargs=pk_of("agreement"),
          note="an empty form is refused with errors"),
    Entry("protocols:checklist_list", PAGE, e(default=200)),
    Entry("protocols:checklist_detail", PAGE, readers(), kwargs=pk_of("checklist")),
    Entry("protocols:checklist_adapt", PAGE, e(default=404, **{CO: {OWN: REDIRECT, SAME: REDIRECT}}), method="POST",
          kwargs=pk_of("checklist"), note="a coordinator copies a checklist she reads for her municipality"),
    Entry("protocols:checklist_item_edit", PAGE, changers(200), kwargs=item_kwargs),
    Entry("protocols:checklist_item_edit", PAGE, changers(200), method="POST", kwargs=item_kwargs,
          note="an empty form is refused with errors"),
    Entry("protocols:round_list", PAGE, e(default=200)),
    Entry("protocols:round_create", PAGE, e(default=404, **{CO: 200})),
    Entry("protocols:round_create", PAGE, e(default=404, **{CO: 200}), method="POST",
          note="an empty form is refused with errors"),
    Entry("protocols:round_detail", PAGE, e(default=404, **{r: {OWN: 200} for r in MEMBERS}), kwargs=pk_of("round"),
          scopes=(OWN, OTHER)),
    Entry("protocols:round_export", PAGE, e(default=404, **{r: {OWN: 200} for r in MEMBERS}), kwargs=fmt("round"),
          scopes=(OWN, OTHER)),
    Entry("protocols:round_close", PAGE, e(default=404, **{CO: {OWN: REDIRECT}}), method="POST", kwargs=pk_of("round"),
          scopes=(OWN, OTHER)),
    Entry("protocols:response_detail", PAGE, RESPONSE_READERS, kwargs=pk_of("response")),
    Entry("protocols:response_detail", PAGE, e(default=404, **{IA: {OWN: 200}}), method="POST",
          kwargs=pk_of("response"), note="only the institution's admin answers; without the version: refused, 200"),
    Entry("protocols:response_return", PAGE, coordinator(REDIRECT), method="POST", kwargs=pk_of("response")),
    Entry("protocols:action_point_add", PAGE, coordinator(REDIRECT), method="POST", kwargs=pk_of("response")),
    Entry("protocols:compliance", PAGE, FIGURES),
    Entry("protocols:compliance_cases", PAGE, e(default=404, **{CO: 200}), query="?month=2026-01-01"),
    Entry("protocols:compliance_export", PAGE, FIGURES, kwargs=lambda w, scope: {"fmt": "csv"}, scopes=("none",)),
    # --- API ------------------------------------------------------------------------------------
    Entry("protocol-list", API, e(default=200)),
    Entry("protocol-detail", API, readers(), kwargs=pk_of("protocol")),
    Entry("protocol-version-list", API, e(default=200)),
    Entry("protocol-version-detail", API, readers(), kwargs=pk_of("draft")),
    Entry("protocol-version-adopt", API, changers(428), method="POST", kwargs=pk_of("draft"),
          data=lambda w, scope: {"adopted_on": timezone.localdate().isoformat(), "decision_number": "1/2026"},
          note="without If-Match: 428"),
    Entry("agreement-list", API, e(default=200)),
    Entry("agreement-list", API, e(default=404, **{CO: 201}), method="POST",
          data=lambda w, scope: {"title": "Sporazum API (test)", "subject": "Saradnja"}),
    Entry("agreement-detail", API, a_members(), kwargs=pk_of("agreement")),
    Entry("agreement-detail", API, coordinator(428), method="PATCH", kwargs=pk_of("agreement"),
          data=lambda w, scope: {"title": "Novi naslov"}, note="without If-Match: 428"),
    Entry("agreement-party-list", API, e(default=200)),
    Entry("agreement-party-detail", API, a_members(), kwargs=lambda w, scope: {"pk": w.proto["party"][scope].pk}),
    Entry("agreement-party-sign", API, e(default=404, **{CO: {OWN: 400, SAME: 400}, IA: {OWN: 400}}), method="POST",
          kwargs=lambda w, scope: {"pk": w.proto["party"][scope].pk}, note="an empty body: 400"),
    Entry("assessment-round-list", API, e(default=200)),
    Entry("assessment-round-list", API, e(default=404, **{CO: 400}), method="POST", note="an empty body: 400"),
    Entry("assessment-round-detail", API, e(default=404, **{r: {OWN: 200} for r in MEMBERS}), kwargs=pk_of("round"),
          scopes=(OWN, OTHER)),
    Entry("assessment-round-close", API, e(default=404, **{CO: {OWN: 200}}), method="POST", kwargs=pk_of("round"),
          scopes=(OWN, OTHER)),
    Entry("assessment-response-list", API, e(default=200)),
    Entry("assessment-response-detail", API, RESPONSE_READERS, kwargs=pk_of("response")),
    Entry("assessment-response-answers", API, e(default=404, **{IA: {OWN: 428}}), method="POST",
          kwargs=pk_of("response"), data=lambda w, scope: {"answers": []}, note="without If-Match: 428"),
    Entry("assessment-response-send-back", API, coordinator(428), method="POST", kwargs=pk_of("response"),
          note="without If-Match: 428"),
    Entry("protocol-compliance", API, FIGURES),
]


def build(w) -> None:
    """Per scope: a protocol (adopted v1, draft v2 with a step), a checklist, an agreement with a party and
    a scan, a round with the institution's answers."""
    from apps.core.choices import Role
    from apps.protocols.choices import ProtocolKind, Sector
    from apps.protocols.models import AssessmentResponse, Checklist, ChecklistItem
    from apps.protocols.services.agreements import agreement_save, agreement_scan_save, party_add
    from apps.protocols.services.assessment import round_open
    from apps.protocols.services.protocols import protocol_create, step_save, version_adopt, version_new

    base = w.base
    owners = {OWN: base.mun_a, SAME: None, OTHER: base.mun_b}
    authors = {OWN: base.users[Role.COORDINATOR], SAME: base.platform_admin,
               OTHER: base.users["other_municipality"][Role.COORDINATOR]}
    w.proto = {k: {} for k in ("protocol", "draft", "adopted", "step", "checklist", "agreement", "party", "round",
                               "response")}
    today = timezone.localdate()
    for scope in (OWN, SAME, OTHER):
        user, municipality = authors[scope], owners[scope]
        protocol = protocol_create(user=user, municipality=municipality, kind=ProtocolKind.GENERAL,
                                   title=f"Matrica protokol {scope}")
        first = protocol.versions.get()
        step_save(user=user, version=first, expected_version=first.version, sector=Sector.SOCIAL, position=1,
                  actor="Centar", action="Prva reakcija", time_amount=24, time_unit="hours")
        first.refresh_from_db()
        version_adopt(user=user, version=first, expected_version=first.version, adopted_on=today,
                      decision_number=f"M-{scope}")
        draft = version_new(user=user, protocol=protocol)
        w.proto["protocol"][scope], w.proto["adopted"][scope], w.proto["draft"][scope] = protocol, first, draft
        w.proto["step"][scope] = draft.steps.get()
        checklist = Checklist.objects.create(municipality=municipality, name=f"Matrica lista {scope}", created_by=user)
        ChecklistItem.objects.create(checklist=checklist, municipality=municipality, theme="training", position=1,
                                     text="Obuka")
        w.proto["checklist"][scope] = checklist
    for scope, institution in ((OWN, base.csr_a), (SAME, base.police_a), (OTHER, base.csr_b)):
        user = authors[OTHER] if scope == OTHER else authors[OWN]
        agreement = agreement_save(user=user, municipality=institution.municipality, title=f"Matrica sporazum {scope}",
                                   subject="Saradnja", valid_from=today - timedelta(days=10))
        w.proto["party"][scope] = party_add(user=user, agreement=agreement, institution=institution)
        agreement_scan_save(user=user, agreement=agreement, data=PDF, expected_version=agreement.version)
        w.proto["agreement"][scope] = agreement
    for scope in (OWN, OTHER):
        user = authors[scope]
        municipality = owners[scope]
        institutions = [base.csr_a, base.police_a] if scope == OWN else [base.csr_b]
        round_ = round_open(user=user, municipality=municipality, checklist=w.proto["checklist"][scope],
                            title=f"Matrica runda {scope}", period_from=today - timedelta(days=30), period_to=today,
                            deadline=today + timedelta(days=10), institutions=institutions)
        w.proto["round"][scope] = round_
    w.proto["response"][OWN] = AssessmentResponse.objects.get(round=w.proto["round"][OWN], institution=base.csr_a)
    w.proto["response"][SAME] = AssessmentResponse.objects.get(round=w.proto["round"][OWN], institution=base.police_a)
    w.proto["response"][OTHER] = AssessmentResponse.objects.get(round=w.proto["round"][OTHER], institution=base.csr_b)
    w.leak_texts += ["Matrica protokol other_municipality", "Matrica sporazum other_municipality",
                     "Matrica runda other_municipality", "Matrica lista other_municipality"]
