"""Stock movements and material changes, certificate revocation and re-issue, targets kept per
municipality, clippings on coverage entries, and the rate-limited certificate check."""
from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from apps.core import rate_limit
from apps.core.choices import Role
from apps.core.models import AuditEntry
from apps.events.choices import EventKind
from apps.events.models import Certificate, Event, MaterialStock, MediaCoverage, Participant, ProgrammeTarget
from apps.events.selectors.targets import targets_for
from apps.events.services import certificates as certificate_services
from apps.events.services import materials as material_services
from tests.cache_keys import clear_own_cache_keys

from .helpers import held, plan

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4 isecak (test)\n%%EOF"


@pytest.fixture
def material(world):
    return material_services.material_create(user=world.users[Role.COORDINATOR], municipality=world.mun_a,
                                             title="Letak o podršci (test)", kind="leaflet", languages=["sr-latn"],
                                             copies=10)


# --- stock and material changes -------------------------------------------------------------------

@pytest.mark.django_db
def test_stock_added_on_its_page_and_the_stock_left(world, login, material):
    client = login(world.users[Role.COORDINATOR])
    url = reverse("events:stock_add", args=[material.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"copies": "25", "received_on": timezone.localdate().isoformat(),
                                 "note": "Štamparija Primer (test)"})
    assert response.status_code == 302
    row = MaterialStock.objects.get(material=material, copies=25)
    assert row.note == "Štamparija Primer (test)" and row.created_by == world.users[Role.COORDINATOR]
    assert material_services.stock_left(material) == 35
    assert AuditEntry.objects.filter(object_type="events.materialstock", object_id=str(row.pk), action="create").exists()
    page = client.get(reverse("events:material_edit", args=[material.pk])).content.decode()
    assert "Received 35, handed out 0, left 35." in page and "Štamparija Primer (test)" in page
    # Zero, negative and future-dated movements are refused on their field, nothing saved.
    for copies, day, message in (("0", timezone.localdate(), "The number of copies must be a positive whole number."),
                                 ("-3", timezone.localdate(), "The number of copies must be a positive whole number."),
                                 ("4", timezone.localdate() + timedelta(days=2),
                                  "The day of receipt cannot be in the future.")):
        response = client.post(url, {"copies": copies, "received_on": day.isoformat()})
        assert response.status_code == 200 and message in response.content.decode()
    assert MaterialStock.objects.filter(material=material).count() == 2
    # A distribution over the stock left is refused; the stock never goes below zero.
    response = client.post(reverse("events:distribution_create"), {
        "material": material.pk, "info_desk": "Info pult (test)", "copies": "36",
        "distributed_on": timezone.localdate().isoformat()})
    assert "Only 35 copies are left in stock." in response.content.decode()
    assert material_services.stock_left(material) == 35


@pytest.mark.django_db
def test_material_changed_with_optimistic_locking_and_audit(world, login, material):
    client = login(world.users[Role.COORDINATOR])
    url = reverse("events:material_edit", args=[material.pk])
    form = {"title": "Letak o podršci, 2. izdanje (test)", "kind": "leaflet", "languages": ["sr-latn", "sr-cyrl"],
            "audience": "Javnost", "material_version": "2", "version": material.version}
    assert client.post(url, form).status_code == 302
    material.refresh_from_db()
    assert material.title == "Letak o podršci, 2. izdanje (test)" and material.languages == ["sr-latn", "sr-cyrl"]
    entry = AuditEntry.objects.filter(object_type="events.material", object_id=str(material.pk), action="update").get()
    assert "Letak" not in str(entry.details)  # names of the fields changed, not their values
    response = client.post(url, {**form, "title": "Stara verzija (test)"})  # the version the page had: stale
    assert response.status_code == 200 and "Someone else saved this record" in response.content.decode()
    material.refresh_from_db()
    assert material.title == "Letak o podršci, 2. izdanje (test)"
    # Who does not keep the municipality's materials gets 404; another municipality too.
    assert login(world.users[Role.CASEWORKER]).get(url).status_code == 404
    assert login(world.users["other_municipality"][Role.COORDINATOR]).post(
        reverse("events:stock_add", args=[material.pk]), {"copies": "5", "received_on": "2026-01-05"}).status_code == 404
    assert MaterialStock.objects.filter(material=material).count() == 1


# --- certificates ---------------------------------------------------------------------------------

def _certified(world, run_tasks, capture):
    event = plan(world, staff=[world.users[Role.CASEWORKER]])
    held(event)
    participant = Participant.objects.get(event=event)
    client_user = world.users[Role.COORDINATOR]
    from apps.events.services import events as services

    services.attendance_record(user=client_user, event=event, attended={participant.pk: True})
    with capture(execute=True):
        certificate_services.certificates_request(user=client_user, event=event)
    return event, participant, Certificate.objects.get(participant=participant)


@pytest.mark.django_db
def test_revoked_certificate_shows_revoked_and_is_reissued_with_a_new_code(world, login, client, run_tasks,
                                                                           django_capture_on_commit_callbacks):
    event, participant, first = _certified(world, run_tasks, django_capture_on_commit_callbacks)
    coordinator = login(world.users[Role.COORDINATOR])
    url = reverse("events:certificate_revoke", args=[event.pk, first.pk])
    assert "Revoke a certificate" in coordinator.get(url).content.decode()
    response = coordinator.post(url, {"reason": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert coordinator.post(url, {"reason": "Izdat greškom (test)"}).status_code == 302
    first.refresh_from_db()
    assert first.revoked_at is not None and first.revoked_reason == "Izdat greškom (test)"
    assert first.revoked_by == world.users[Role.COORDINATOR]
    entry = AuditEntry.objects.get(object_type="events.certificate", object_id=str(first.pk), action="update")
    assert entry.details.get("revoked") is True and "greškom" not in str(entry.details)
    body = client.get(reverse("events:verify_code", args=[first.code])).content.decode()
    assert "The certificate has been revoked." in body
    # The event page offers to issue again; a new certificate with a new code, the old stays revoked.
    page = coordinator.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    assert "Revoked certificates" in page and "Izdat greškom (test)" in page
    assert "Issue certificates to everyone who attended" in page
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(reverse("events:certificates_issue", args=[event.pk]))
    second = Certificate.objects.get(participant=participant, revoked_at__isnull=True)
    assert second.code != first.code
    assert "The certificate is valid." in client.get(reverse("events:verify_code", args=[second.code])).content.decode()
    assert "has been revoked" in client.get(reverse("events:verify_code", args=[first.code])).content.decode()
    # Revoking twice is refused; the holder (not running the event) and other municipalities get 404.
    response = coordinator.post(url, {"reason": "Ponovo (test)"})
    assert response.status_code == 200 and "This certificate was already revoked." in response.content.decode()
    second_url = reverse("events:certificate_revoke", args=[event.pk, second.pk])
    assert login(world.users[Role.CASEWORKER]).post(second_url, {"reason": "x"}).status_code == 404
    assert login(world.users["other_municipality"][Role.COORDINATOR]).get(second_url).status_code == 404
    second.refresh_from_db()
    assert second.revoked_at is None


# --- targets ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_coordinator_sets_targets_default_otherwise_shown_in_panel_and_export(world, login, settings):
    settings.EVENTS_TARGETS = {EventKind.TRAINING.value: 4}
    coordinator = world.users[Role.COORDINATOR]
    client = login(coordinator)
    url = reverse("events:targets_edit", args=[world.mun_a.pk])
    page = client.get(url).content.decode()
    assert "Default: 4." in page
    form = {kind: "" for kind in EventKind.values}
    response = client.post(url, {**form, "round_table": "3", "stamp": ""})
    assert response.status_code == 302
    row = ProgrammeTarget.objects.get(municipality=world.mun_a, kind="round_table")
    assert row.target == 3 and row.period == "2025-2027"
    _name, figures = targets_for(coordinator)
    kinds = {k.kind: k for k in figures[0].kinds}
    assert kinds["round_table"].target == 3 and kinds["round_table"].own
    assert kinds["training"].target == 4 and not kinds["training"].own  # the settings' default
    assert AuditEntry.objects.filter(object_type="events.programmetarget", action="update").exists()
    panel = client.get(reverse("conferences:targets")).content.decode()
    assert reverse("events:targets_edit", args=[world.mun_a.pk]) in panel and "target set by the municipality" in panel
    csv = client.get(reverse("events:targets_export", args=["csv"])).content.decode().replace("\r", "")
    assert "Testgrad A,2025-2027,Public round table,0,3,municipality" in csv
    assert "Testgrad A,2025-2027,Training / seminar,0,4,default" in csv
    # A stale page (the stamp it was given before the save) is refused and shows the stored values.
    response = client.post(url, {**form, "round_table": "5", "stamp": ""})
    assert response.status_code == 200 and "Someone else saved these targets" in response.content.decode()
    assert ProgrammeTarget.objects.get(pk=row.pk).target == 3
    # Emptying the field returns to the default; bad numbers are refused on the field.
    response = client.post(url, {**form, "round_table": "-1", "stamp": "round_table:1"})
    assert response.status_code == 200 and "Ensure this value is greater than or equal to 0." in response.content.decode()
    assert client.post(url, {**form, "stamp": "round_table:1"}).status_code == 302
    assert not ProgrammeTarget.objects.filter(municipality=world.mun_a).exists()
    # Officials read the targets but do not keep them; another municipality's coordinator gets 404.
    assert login(world.users[Role.OFFICIAL]).get(url).status_code == 404
    assert login(world.users["other_municipality"][Role.COORDINATOR]).post(url, {**form, "stamp": ""}).status_code == 404


# --- clippings ----------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_coverage_clipping_checked_by_content_stored_opaquely_served_as_attachment(world, login):
    event = plan(world, kind="round_table", title="Okrugli sto isečci (test)")
    coordinator = login(world.users[Role.COORDINATOR])
    url = reverse("events:coverage_add", args=[event.pk])
    day = timezone.localdate().isoformat()
    disguised = SimpleUploadedFile("isecak.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = coordinator.post(url, {"outlet": "TV Primer", "kind": "tv", "published_on": day, "clipping": disguised})
    assert response.status_code == 200
    assert "The file is named .png but its content is not a .png file" in response.content.decode()
    office = SimpleUploadedFile("isecak.pdf", b"PK\x03\x04 not really", content_type="application/pdf")
    response = coordinator.post(url, {"outlet": "TV Primer", "kind": "tv", "published_on": day, "clipping": office})
    assert response.status_code == 200 and not MediaCoverage.objects.filter(event=event).exists()
    good = SimpleUploadedFile("Isečak <Politika>.png", PNG, content_type="text/html")
    response = coordinator.post(url, {"outlet": "Politika (test)", "kind": "print", "published_on": day,
                                      "clipping": good})
    assert response.status_code == 302
    row = MediaCoverage.objects.get(event=event)
    assert row.clipping_type == "image/png" and row.clipping_name == "Isečak <Politika>.png"
    assert "Politika" not in row.clipping.name and not row.clipping.name.endswith(".png")
    download_url = reverse("events:coverage_clipping", args=[event.pk, row.pk])
    assert download_url in coordinator.get(reverse("events:event_detail", args=[event.pk])).content.decode()
    caseworker = login(world.users[Role.CASEWORKER])  # sees the event, so its coverage
    response = caseworker.get(download_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert login(world.users["other_municipality"][Role.COORDINATOR]).get(download_url).status_code == 404


@pytest.mark.django_db
def test_event_clipping_is_checked_and_served_the_same_way(world, login):
    coordinator = world.users[Role.COORDINATOR]
    with pytest.raises(ValidationError) as refused:
        plan(world, kind="media", title="Radio emisija (odbijena, test)", media_outlet="Radio (test)",
             media_clipping=SimpleUploadedFile("a.pdf", b"<svg onload=alert(1)>", content_type="application/pdf"))
    assert "media_clipping" in refused.value.message_dict
    assert not Event.objects.filter(title="Radio emisija (odbijena, test)").exists()
    event = plan(world, kind="media", media_outlet="Radio (test)",
                 media_clipping=SimpleUploadedFile("emisija.pdf", PDF, content_type="application/pdf"))
    assert event.media_clipping_type == "application/pdf" and event.media_clipping_name == "emisija.pdf"
    assert "emisija" not in event.media_clipping.name
    response = login(coordinator).get(reverse("events:clipping", args=[event.pk]))
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="emisija.pdf"' in response["Content-Disposition"]


# --- the certificate check ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_verify_is_rate_limited_per_address_and_writes_no_audit_entry(world, client, settings, run_tasks,
                                                                      django_capture_on_commit_callbacks):
    clear_own_cache_keys()
    settings.EVENTS_VERIFY_RATE = (3, 600)
    _event, _participant, certificate = _certified(world, run_tasks, django_capture_on_commit_callbacks)
    before = AuditEntry.objects.count()
    url = reverse("events:verify_code", args=[certificate.code])
    for _i in range(3):
        response = client.get(url, REMOTE_ADDR="192.0.2.10")
        assert response.status_code == 200 and "The certificate is valid." in response.content.decode()
    response = client.get(url, REMOTE_ADDR="192.0.2.10")
    body = response.content.decode()
    assert response.status_code == 429 and "Too many checks" in body and "The certificate is valid." not in body
    assert response["Retry-After"] == "600"
    # Another address has its own allowance; the form page itself (no code) is never limited.
    assert client.get(url, REMOTE_ADDR="192.0.2.11").status_code == 200
    assert client.get(reverse("events:verify"), REMOTE_ADDR="192.0.2.10").status_code == 200
    assert "No certificate has this code." in client.get(
        reverse("events:verify_code", args=["AAAA-BBBB-CCCC"]), REMOTE_ADDR="192.0.2.12").content.decode()
    assert AuditEntry.objects.count() == before
    # Nothing in the cache names the address: the keys are HMACs that change with the day.
    key = rate_limit.address_key("events.verify", "192.0.2.10")
    assert "192.0.2.10" not in key and key != rate_limit.address_key("surveys", "192.0.2.10")
    clear_own_cache_keys()


def test_rate_limit_windows_and_days(monkeypatch):
    clear_own_cache_keys()
    assert all(rate_limit.allow("tests.rate", "198.51.100.1", limit=2, window=60) for _i in range(2))
    assert not rate_limit.allow("tests.rate", "198.51.100.1", limit=2, window=60)
    now = rate_limit.time.time()
    monkeypatch.setattr(rate_limit.time, "time", lambda: now + 60)  # the next window
    assert rate_limit.allow("tests.rate", "198.51.100.1", limit=2, window=60)
    today = rate_limit.address_key("tests.rate", "198.51.100.1")
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(rate_limit.timezone, "localdate", lambda: tomorrow)
    assert rate_limit.address_key("tests.rate", "198.51.100.1") != today
    clear_own_cache_keys()


def test_a_material_file_is_checked_by_content_stored_under_a_random_name_and_not_sniffed(world, login, settings,
                                                                                          tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    coordinator = world.users[Role.COORDINATOR]
    disguised = SimpleUploadedFile("plakat.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as refused:
        material_services.material_create(user=coordinator, municipality=world.mun_a, title="Plakat (test)",
                                          kind="poster", file=disguised)
    assert "file" in refused.value.message_dict
    pdf = SimpleUploadedFile("plakat.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    material = material_services.material_create(user=coordinator, municipality=world.mun_a, title="Plakat (test)",
                                                 kind="poster", file=pdf)
    assert "plakat" not in material.file.name and material.file.name.endswith(".pdf")
    response = login(coordinator).get(reverse("events:material_file", args=[material.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert 'filename="plakat-test.pdf"' in response["Content-Disposition"]
