"""Case grants follow the same rule as roles: nobody shares a case with themselves, and a shared case
shows on the coordinators' "New access" list and work queue of the case's municipality."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from apps.accounts.choices import AccessNoticeKind
from apps.accounts.models import AccessNotice, User
from apps.accounts.services import membership_create
from apps.cases.choices import ReferralStatus
from apps.cases.models import Case, CaseUserGrant
from apps.cases.services import referrals as svc
from apps.core.choices import Role
from apps.core.grants import grant_object_permission
from apps.institutions.choices import InstitutionType
from tests.cases.factories_measures import consent, make_case, victim
from tests.factories import InstitutionFactory, member


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def shared(world):
    """A case of CSR A, consent naming the other municipality's safe house, and its caseworker."""
    worker = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker)
    safe_house = InstitutionFactory(municipality=world.mun_b, type=InstitutionType.SAFE_HOUSE, name="Sigurna kuća B")
    consent(case, victim(case), [safe_house], recorded_by=worker)
    return worker, case, safe_house


def test_the_sender_cannot_accept_their_own_referral(world, shared):
    worker, case, safe_house = shared
    # The caseworker also works at the safe house (given by its admin, not by themselves).
    membership_create(user=worker, institution=safe_house, role=Role.CASEWORKER,
                      created_by=world.users["other_municipality"][Role.INSTITUTION_ADMIN])
    worker = User.objects.get(pk=worker.pk)
    referral = svc.referral_send(user=worker, case=case, from_institution=world.csr_a, to_institution=safe_house,
                                 reason="Smeštaj")
    with pytest.raises(ValidationError, match="someone else at the receiving institution"):
        svc.referral_accept(user=worker, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert not AccessNotice.objects.filter(kind=AccessNoticeKind.CASE_GRANT).exists()


def test_an_accepted_referral_is_new_access_for_the_cases_municipality(world, shared, verified_client):
    worker, case, safe_house = shared
    shelter_worker = member(Role.CASEWORKER, safe_house)
    referral = svc.referral_send(user=worker, case=case, from_institution=world.csr_a, to_institution=safe_house,
                                 reason="Smeštaj")
    svc.referral_accept(user=User.objects.get(pk=shelter_worker.pk), referral=referral)
    notice = AccessNotice.objects.get(kind=AccessNoticeKind.CASE_GRANT)
    assert (notice.municipality_id, notice.institution_id, notice.case_number) == (world.mun_a.pk, safe_house.pk, case.number)

    page = verified_client(world.users[Role.COORDINATOR]).get(reverse("accounts:access_notices")).content.decode()
    assert case.number in page and safe_house.name in page
    other = verified_client(world.users["other_municipality"][Role.COORDINATOR])
    assert case.number not in other.get(reverse("accounts:access_notices")).content.decode()


def test_nobody_grants_a_case_to_themselves(world, shared):
    worker, case, _safe_house = shared
    outsider = world.users["other_municipality"][Role.CASEWORKER]
    with pytest.raises(ValidationError):
        grant_object_permission(grant_model=CaseUserGrant, obj=case, codename="view_case", user=outsider,
                                granted_by=outsider, reason="self")
    assert not CaseUserGrant.objects.exists()
    assert not Case.objects.visible_to(User.objects.get(pk=outsider.pk)).filter(pk=case.pk).exists()
