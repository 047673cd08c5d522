"""The coordinator's journey through the pages and the clear refusals of bad input."""
from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.protocols.choices import AgreementStatus, ResponseStatus, RoundStatus, VersionStatus
from apps.protocols.models import Agreement, AssessmentResponse, AssessmentRound, Protocol

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_coordinator_adapts_the_national_protocol_and_adopts_it(world, national, login):
    template, _checklist = national
    client = login(world.users[Role.COORDINATOR])
    response = client.post(reverse("protocols:protocol_create"), {
        "kind": "general", "title": "Lokalni protokol Testgrad A", "based_on": template.pk})
    assert response.status_code == 302
    local = Protocol.objects.get(title="Lokalni protokol Testgrad A")
    assert local.municipality_id == world.mun_a.pk
    draft = local.versions.get()
    assert draft.steps.count() == 2
    page = client.get(reverse("protocols:version_detail", args=[draft.pk]))
    assert b"Obave" in page.content
    # A future date of adoption is refused with a clear message; then adopted.
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    refused = client.post(reverse("protocols:version_adopt", args=[draft.pk]),
                          {"version": draft.version, "adopted_on": future, "decision_number": "06-12/2026"})
    assert b"cannot be in the future" in refused.content
    client.post(reverse("protocols:version_adopt", args=[draft.pk]),
                {"version": draft.version, "adopted_on": timezone.localdate().isoformat(), "decision_number": "06-12/2026"})
    draft.refresh_from_db()
    assert draft.status == VersionStatus.ADOPTED
    # An adopted version never changes: its edit pages are 404.
    assert client.get(reverse("protocols:step_add", args=[draft.pk])).status_code == 404
    # The next version: a step changed, the difference shown, adopting it supersedes the first.
    client.post(reverse("protocols:version_new", args=[local.pk]))
    second = local.versions.get(number=2)
    step = second.steps.get(sector="police")
    client.post(reverse("protocols:step_edit", args=[second.pk, step.pk]), {
        "version": second.version, "sector": "police", "position": 1, "actor": "Policija",
        "action": "Obaveštava centar odmah, najkasnije u roku od 12 sati", "time_amount": 12, "time_unit": "hours"})
    diff = client.get(reverse("protocols:version_diff", args=[second.pk]))
    assert b"12 sati" in diff.content
    second.refresh_from_db()
    client.post(reverse("protocols:version_adopt", args=[second.pk]),
                {"version": second.version, "adopted_on": timezone.localdate().isoformat(), "decision_number": "06-13/2026"})
    draft.refresh_from_db()
    assert draft.status == VersionStatus.SUPERSEDED
    pdf = client.get(reverse("protocols:version_pdf", args=[draft.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_stale_version_is_refused_not_overwritten(world, national, login):
    template, _ = national
    client = login(world.users[Role.COORDINATOR])
    client.post(reverse("protocols:protocol_create"), {"kind": "general", "title": "Lokalni", "based_on": template.pk})
    draft = Protocol.objects.get(title="Lokalni").versions.get()
    page = client.post(reverse("protocols:version_edit", args=[draft.pk]), {"version": draft.version + 5, "preamble": "x"})
    assert b"Someone else saved" in page.content


def test_agreement_refusals_signatures_scan_and_audit(world, login):
    client = login(world.users[Role.COORDINATOR])
    today = timezone.localdate()
    bad = client.post(reverse("protocols:agreement_create"), {
        "title": "Sporazum (test)", "subject": "Saradnja", "valid_from": today.isoformat(),
        "valid_until": (today - timedelta(days=1)).isoformat()})
    assert b"cannot be valid until a date before it starts" in bad.content
    client.post(reverse("protocols:agreement_create"), {
        "title": "Sporazum (test)", "subject": "Saradnja", "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=365)).isoformat()})
    agreement = Agreement.objects.get(title="Sporazum (test)")
    client.post(reverse("protocols:party_add", args=[agreement.pk]), {"institution": world.csr_a.pk})
    client.post(reverse("protocols:party_add", args=[agreement.pk]), {"outside_name": "Advokatska komora (test)"})
    csr_party, bar = agreement.parties.order_by("id")
    # Another municipality's institution is not a valid choice.
    other = client.post(reverse("protocols:party_add", args=[agreement.pk]), {"institution": world.csr_b.pk})
    assert other.status_code == 200 and agreement.parties.count() == 2
    future = client.post(reverse("protocols:party_sign", args=[agreement.pk, csr_party.pk]), {
        "signed_on": (today + timedelta(days=2)).isoformat(), "signatory_name": "Direktorka (test)"})
    assert b"cannot be in the future" in future.content
    # The centre's admin signs for the centre; not for the outside party.
    admin = login(world.users[Role.INSTITUTION_ADMIN])
    assert admin.post(reverse("protocols:party_sign", args=[agreement.pk, csr_party.pk]), {
        "signed_on": today.isoformat(), "signatory_name": "Direktorka (test)"}).status_code == 302
    assert admin.get(reverse("protocols:party_sign", args=[agreement.pk, bar.pk])).status_code == 404
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.PARTLY_SIGNED
    client = login(world.users[Role.COORDINATOR])
    client.post(reverse("protocols:party_sign", args=[agreement.pk, bar.pk]),
                {"signed_on": today.isoformat(), "signatory_name": "Predsednik (test)"})
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.IN_FORCE
    # The scan is checked by content; every read is audited.
    from django.core.files.uploadedfile import SimpleUploadedFile
    fake = client.post(reverse("protocols:agreement_scan", args=[agreement.pk]), {
        "version": agreement.version, "scan": SimpleUploadedFile("scan.pdf", b"not a pdf at all")})
    assert b"must be a PDF" in fake.content
    client.post(reverse("protocols:agreement_scan", args=[agreement.pk]), {
        "version": agreement.version, "scan": SimpleUploadedFile("potpisan.pdf", PDF)})
    before = AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(agreement.pk)).count()
    read = client.get(reverse("protocols:agreement_scan", args=[agreement.pk]))
    assert b"".join(read.streaming_content if read.streaming else [read.content]).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action=AuditAction.VIEW, object_id=str(agreement.pk)).count() == before + 1
    # Another municipality's coordinator gets 404.
    other = login(world.users["other_municipality"][Role.COORDINATOR])
    assert other.get(reverse("protocols:agreement_scan", args=[agreement.pk])).status_code == 404
    assert b"Advokatska" not in other.get(reverse("protocols:agreement_bound")).content
    bound = login(world.users[Role.OFFICIAL]).get(reverse("protocols:agreement_bound"))
    assert b"Advokatska komora (test)" in bound.content


def test_the_self_assessment_round_end_to_end(world, national, login):
    _template, checklist = national
    coordinator = login(world.users[Role.COORDINATOR])
    today = timezone.localdate()
    coordinator.post(reverse("protocols:round_create"), {
        "title": "Samoprocena (test)", "checklist": checklist.pk, "period_from": (today - timedelta(days=180)).isoformat(),
        "period_to": today.isoformat(), "deadline": (today + timedelta(days=14)).isoformat(),
        "institutions": [world.csr_a.pk, world.police_a.pk]})
    round_ = AssessmentRound.objects.get(title="Samoprocena (test)")
    response = AssessmentResponse.objects.get(round=round_, institution=world.csr_a)
    items = list(checklist.items.order_by("position"))
    admin = login(world.users[Role.INSTITUTION_ADMIN])
    # An answer outside the scale is refused.
    bad = admin.post(reverse("protocols:response_detail", args=[response.pk]), {
        "version": response.version, f"item_{items[0].pk}": "maybe"})
    assert b"no, partly, yes or not applicable" in bad.content
    answers = {"version": response.version, f"item_{items[0].pk}": "yes", f"item_{items[1].pk}": "partly",
               f"item_{items[2].pk}": "na", f"note_{items[1].pk}": "Delimično", "submit": "1"}
    assert admin.post(reverse("protocols:response_detail", args=[response.pk]), answers).status_code == 302
    response.refresh_from_db()
    assert response.status == ResponseStatus.SUBMITTED
    # The police's answers are not the centre admin's: 404.
    police = AssessmentResponse.objects.get(round=round_, institution=world.police_a)
    assert admin.get(reverse("protocols:response_detail", args=[police.pk])).status_code == 404
    coordinator = login(world.users[Role.COORDINATOR])  # one test client: sign the coordinator in again
    page = coordinator.get(reverse("protocols:round_detail", args=[round_.pk]))
    text = page.content.decode()
    assert "75,0 %" in text  # yes 2 + partly 1 of 4 points
    coordinator.post(reverse("protocols:response_return", args=[response.pk]),
                     {"version": response.version, "return_note": "Dopunite dokaze"})
    response.refresh_from_db()
    assert response.status == ResponseStatus.RETURNED
    coordinator.post(reverse("protocols:action_point_add", args=[response.pk]),
                     {"theme": "training", "text": "Obuka za novo osoblje"})
    assert response.action_points.count() == 1
    coordinator.post(reverse("protocols:round_close", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED
    again = coordinator.post(reverse("protocols:round_close", args=[round_.pk]), follow=True)
    assert b"already closed" in again.content
    export = coordinator.get(reverse("protocols:round_export", args=[round_.pk, "csv"]))
    assert "75.0" in export.content.decode("utf-8-sig")
    assert coordinator.get(reverse("protocols:round_export", args=[round_.pk, "xlsx"])).status_code == 200


def test_the_coordinator_rewords_her_own_copy_of_the_checklist(world, national, login):
    _template, checklist = national
    client = login(world.users[Role.COORDINATOR])
    response = client.post(reverse("protocols:checklist_adapt", args=[checklist.pk]))
    from apps.protocols.models import Checklist

    own = Checklist.objects.get(municipality=world.mun_a)
    assert response["Location"] == reverse("protocols:checklist_detail", args=[own.pk])
    item = own.items.order_by("position").first()
    client.post(reverse("protocols:checklist_item_edit", args=[own.pk, item.pk]), {"text": "Naša formulacija (test)"})
    item.refresh_from_db()
    assert item.text == "Naša formulacija (test)"
    # The national model is not hers to reword.
    national_item = checklist.items.first()
    assert client.get(reverse("protocols:checklist_item_edit", args=[checklist.pk, national_item.pk])).status_code == 404


def test_the_platform_admin_publishes_a_national_template_and_its_pdf_reads_in_cyrillic(world, login):
    import subprocess

    client = login(world.platform_admin)
    client.post(reverse("protocols:protocol_create"), {"kind": "sector", "title": "Posebni protokol (test)",
                                                       "title_cyrl": "Посебни протокол (тест)"})
    protocol = Protocol.objects.get(title="Posebni protokol (test)")
    assert protocol.municipality_id is None
    draft = protocol.versions.get()
    client.post(reverse("protocols:step_add", args=[draft.pk]), {
        "version": draft.version, "sector": "health", "position": 1, "actor": "Dom zdravlja",
        "actor_cyrl": "Дом здравља", "action": "Dokumentuje povrede", "action_cyrl": "Документује повреде",
        "time_amount": 24, "time_unit": "hours"})
    draft.refresh_from_db()
    client.post(reverse("protocols:version_adopt", args=[draft.pk]), {
        "version": draft.version, "adopted_on": timezone.localdate().isoformat(), "decision_number": "N-1"})
    draft.refresh_from_db()
    assert draft.status == VersionStatus.ADOPTED
    # A coordinator reads it but may not change it.
    coordinator = login(world.users[Role.COORDINATOR])
    assert coordinator.get(reverse("protocols:version_detail", args=[draft.pk])).status_code == 200
    assert coordinator.post(reverse("protocols:version_new", args=[protocol.pk])).status_code == 404
    coordinator.cookies["kzn_language"] = "sr-cyrl"
    pdf = coordinator.get(reverse("protocols:version_pdf", args=[draft.pk]))
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content, capture_output=True,
                          check=True, timeout=60).stdout.decode()
    assert "Посебни протокол (тест)" in text and "Документује повреде" in text
