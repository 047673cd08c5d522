"""The onboarding service: creates everything once, then changes nothing; updates what differs."""
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.accounts.models import Invitation
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality
from apps.municipalities.onboarding import onboard_municipality
from tests.factories import MunicipalityFactory, UserFactory


@pytest.fixture
def admin(db):
    return UserFactory(is_platform_admin=True)


def test_onboarding_creates_municipality_institutions_and_invitations(spec, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = onboard_municipality(spec=spec, onboarded_by=admin)

    municipality = Municipality.objects.get(code="NIS")
    assert (municipality.name, municipality.name_cyrl, municipality.slug) == ("Niš", "Ниш", "nis")
    assert municipality.conference_cadence_months == 1  # a larger municipality: monthly conferences
    assert set(Institution.objects.filter(municipality=municipality).values_list("name", flat=True)) == {
        "Centar za socijalni rad Niš (demo)", "Policijska stanica Niš (demo)"}
    invitations = Invitation.objects.filter(municipality=municipality)
    assert {(i.email, i.institution.name, i.role, i.invited_by_id) for i in invitations} == {
        ("ana.admin.nis@demo.kzn.example", "Centar za socijalni rad Niš (demo)", Role.INSTITUTION_ADMIN, admin.pk),
        ("petar.admin.nis@demo.kzn.example", "Policijska stanica Niš (demo)", Role.INSTITUTION_ADMIN, admin.pk),
    }
    assert len(callbacks) == 2  # one e-mail task per invitation, queued on commit
    assert result.counts == {"created": 5, "updated": 0, "unchanged": 0}
    entry = AuditEntry.objects.get(action=AuditAction.ONBOARDING)
    assert entry.actor_id == admin.pk and entry.municipality_id == municipality.pk
    assert "ana.admin" not in str(entry.details)  # no personal data in the audit log


def test_onboarding_twice_changes_nothing_and_sends_no_second_email(
    spec, admin, row_counts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        onboard_municipality(spec=spec, onboarded_by=admin)
    before = row_counts()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = onboard_municipality(spec=spec, onboarded_by=admin)
    assert row_counts() == before
    assert callbacks == []
    assert result.counts == {"created": 0, "updated": 0, "unchanged": 5}
    assert not result.changed


def test_differing_fields_are_updated_and_reported(spec, admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        onboard_municipality(spec=spec, onboarded_by=admin)
    changed = replace(
        spec,
        municipality=replace(spec.municipality, population=250000, district="Nišavski"),
        institutions=(replace(spec.institutions[0], phone="018 000 001"), spec.institutions[1]),
    )
    result = onboard_municipality(spec=changed, onboarded_by=admin)
    assert sorted(result.municipality_updated_fields) == ["district", "population"]
    assert [(i.name, f) for i, f in result.institutions_updated] == [("Centar za socijalni rad Niš (demo)", ["phone"])]
    assert Municipality.objects.get(code="NIS").population == 250000
    assert Institution.objects.get(name="Centar za socijalni rad Niš (demo)").phone == "018 000 001"
    assert result.counts == {"created": 0, "updated": 2, "unchanged": 3}


def test_a_new_size_brings_its_cadence_unless_one_is_given(spec, admin):
    onboard_municipality(spec=spec, onboarded_by=admin)
    smaller = replace(spec, municipality=replace(spec.municipality, size_class="small"))
    onboard_municipality(spec=smaller, onboarded_by=admin)
    assert Municipality.objects.get(code="NIS").conference_cadence_months == 2
    custom = replace(spec, municipality=replace(spec.municipality, size_class="small", conference_cadence_months=3))
    onboard_municipality(spec=custom, onboarded_by=admin)
    assert Municipality.objects.get(code="NIS").conference_cadence_months == 3


def test_dry_run_saves_nothing_and_queues_nothing(spec, admin, row_counts, django_capture_on_commit_callbacks):
    before = row_counts()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = onboard_municipality(spec=spec, onboarded_by=admin, dry_run=True)
    assert result.dry_run and result.counts["created"] == 5
    assert row_counts() == before
    assert callbacks == []


def test_code_of_another_municipality_is_refused_and_nothing_saved(spec, admin, row_counts):
    MunicipalityFactory(code="NIS", slug="nisava-test", name="Nišava (test)")
    before = row_counts()
    with pytest.raises(ValidationError) as exc:
        onboard_municipality(spec=spec, onboarded_by=admin)
    assert "code" in exc.value.message_dict
    assert row_counts() == before


def test_only_platform_admins_onboard(spec, world, row_counts):
    before = row_counts()
    with pytest.raises(PermissionDenied):
        onboard_municipality(spec=spec, onboarded_by=world.users[Role.COORDINATOR])
    assert row_counts() == before


def test_a_failure_half_way_leaves_nothing_behind(spec, admin, row_counts, django_capture_on_commit_callbacks):
    # The second institution fails the model's own checks after the municipality and the first
    # institution were written: the whole onboarding is rolled back and no e-mail is queued.
    broken = replace(spec, institutions=(spec.institutions[0], replace(spec.institutions[1], phone="0" * 41)))
    before = row_counts()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, pytest.raises(ValidationError):
        onboard_municipality(spec=broken, onboarded_by=admin)
    assert row_counts() == before
    assert callbacks == []
