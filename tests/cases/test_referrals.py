"""Referrals between institutions, across municipalities: consent, grants, time to answer."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import membership_end
from apps.cases.choices import ReferralStatus, ReferralUrgency, RiskLevel
from apps.cases.models import Case, CaseGroupGrant, Referral, RiskAssessment
from apps.cases.services import referrals as svc
from apps.cases.services.risk import is_immediate_danger
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.institutions.choices import InstitutionType
from tests.factories import InstitutionFactory, member

from .factories_measures import assessment, consent, make_case, victim


@pytest.fixture
def ctx(world):
    worker = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker)
    person = victim(case)
    safe_house = InstitutionFactory(municipality=world.mun_b, type=InstitutionType.SAFE_HOUSE, name="Sigurna kuća Testgrad B")
    shelter_worker = member(Role.CASEWORKER, safe_house)
    ngo_a = InstitutionFactory(municipality=world.mun_a, type=InstitutionType.NGO, name="Udruženje Testgrad A")
    return SimpleNamespace(
        world=world, worker=worker, case=case, victim=person, safe_house=safe_house,
        shelter_worker=shelter_worker, ngo_a=ngo_a,
    )


def fresh(user):
    """The user as a new request would load them (no cached access context)."""
    return User.objects.get(pk=user.pk)


def send(ctx, **overrides):
    values = dict(user=ctx.worker, case=ctx.case, from_institution=ctx.world.csr_a, to_institution=ctx.safe_house,
                  reason="Smeštaj u sigurnu kuću", urgency=ReferralUrgency.URGENT)
    values.update(overrides)
    return svc.referral_send(**values)


def sees(user, case) -> dict:
    user = fresh(user)
    return {
        "visible": Case.objects.visible_to(user).filter(pk=case.pk).exists(),
        "shared": Case.objects.shared_with(user).filter(pk=case.pk).exists(),
        "listed": Case.objects.listed_for(user).filter(pk=case.pk).exists(),
    }


NOTHING = {"visible": False, "shared": False, "listed": False}


class TestSend:
    def test_other_municipality_without_consent_is_refused(self, ctx):
        with pytest.raises(ValidationError) as exc:
            send(ctx)
        assert list(exc.value.message_dict) == ["to_institution"]
        assert not Referral.objects.exists()

    def test_other_municipality_with_consent_naming_it(self, ctx):
        consent(ctx.case, ctx.victim, [ctx.safe_house], recorded_by=ctx.worker)
        referral = send(ctx)
        assert referral.status == ReferralStatus.SENT
        assert referral.to_municipality_id == ctx.world.mun_b.pk
        assert referral.municipality_id == ctx.world.mun_a.pk
        assert referral.consent_override_reason == ""
        assert AuditEntry.objects.filter(object_type="cases.referral", action=AuditAction.CREATE).exists()

    def test_consent_naming_another_institution_does_not_count(self, ctx):
        consent(ctx.case, ctx.victim, [ctx.ngo_a], recorded_by=ctx.worker)
        with pytest.raises(ValidationError):
            send(ctx)

    def test_expired_or_withdrawn_consent_does_not_count(self, ctx):
        today = timezone.localdate()
        consent(ctx.case, ctx.victim, [ctx.safe_house], recorded_by=ctx.worker,
                given_at=today - timedelta(days=60), expires_at=today - timedelta(days=1))
        consent(ctx.case, ctx.victim, [ctx.safe_house], recorded_by=ctx.worker, withdrawn_at=today)
        with pytest.raises(ValidationError):
            send(ctx)

    def test_override_needs_immediate_danger(self, ctx):
        assessment(ctx.case, assessor=ctx.worker, institution=ctx.world.csr_a, immediate_danger=False, level=RiskLevel.HIGH)
        with pytest.raises(ValidationError) as exc:
            send(ctx, consent_override_reason="Žrtva nije dostupna, hitno")
        assert list(exc.value.message_dict) == ["consent_override_reason"]

    def test_override_in_immediate_danger_is_recorded(self, ctx):
        assessment(ctx.case, assessor=ctx.worker, institution=ctx.world.csr_a, immediate_danger=True)
        referral = send(ctx, consent_override_reason="Neposredna opasnost, žrtva u bolnici")
        assert referral.consent_override_reason == "Neposredna opasnost, žrtva u bolnici"
        entry = AuditEntry.objects.get(object_type="cases.referral", object_id=str(referral.pk))
        assert entry.details["consent_override"] is True

    def test_only_the_latest_assessment_counts(self, ctx):
        now = timezone.now()
        assessment(ctx.case, assessor=ctx.worker, institution=ctx.world.csr_a, immediate_danger=True,
                   assessed_at=now - timedelta(days=10))
        lower = assessment(ctx.case, assessor=ctx.worker, institution=ctx.world.csr_a, immediate_danger=False,
                           level=RiskLevel.MEDIUM, assessed_at=now - timedelta(days=1))
        # A lower assessment that does not say why the danger is over leaves the immediate danger standing ...
        assert is_immediate_danger(ctx.case)
        # ... one that does ends it.
        RiskAssessment.objects.filter(pk=lower.pk).update(lower_reason="Učinilac u pritvoru (test)")
        with pytest.raises(ValidationError) as exc:
            send(ctx, consent_override_reason="Hitno")
        assert "consent_override_reason" in exc.value.message_dict

    def test_same_municipality_and_sector_needs_no_consent(self, ctx):
        safe_house_a = InstitutionFactory(municipality=ctx.world.mun_a, type=InstitutionType.SAFE_HOUSE, name="Sigurna kuća A")
        referral = send(ctx, to_institution=safe_house_a)
        assert referral.to_municipality_id == ctx.world.mun_a.pk

    def test_same_municipality_other_sector_needs_consent(self, ctx):
        with pytest.raises(ValidationError) as exc:
            send(ctx, to_institution=ctx.ngo_a)
        assert list(exc.value.message_dict) == ["to_institution"]
        consent(ctx.case, ctx.victim, [ctx.ngo_a], recorded_by=ctx.worker)
        assert send(ctx, to_institution=ctx.ngo_a).to_institution == ctx.ngo_a

    def test_closed_case_takes_no_referral(self, ctx):
        Case.objects.filter(pk=ctx.case.pk).update(status="closed")
        consent(ctx.case, ctx.victim, [ctx.safe_house], recorded_by=ctx.worker)
        with pytest.raises(ValidationError):
            send(ctx)
        assert not Referral.objects.exists()

    def test_must_refer_on_behalf_of_own_institution(self, ctx):
        consent(ctx.case, ctx.victim, [ctx.ngo_a], recorded_by=ctx.worker)
        with pytest.raises(ValidationError) as exc:
            send(ctx, from_institution=ctx.world.police_a, to_institution=ctx.ngo_a)
        assert "from_institution" in exc.value.message_dict

    def test_reason_required(self, ctx):
        consent(ctx.case, ctx.victim, [ctx.ngo_a], recorded_by=ctx.worker)
        with pytest.raises(ValidationError) as exc:
            send(ctx, to_institution=ctx.ngo_a, reason="  ")
        assert list(exc.value.message_dict) == ["reason"]

    def test_second_open_referral_to_the_same_institution_is_refused(self, ctx):
        consent(ctx.case, ctx.victim, [ctx.ngo_a], recorded_by=ctx.worker)
        send(ctx, to_institution=ctx.ngo_a)
        with pytest.raises(ValidationError) as exc:
            send(ctx, to_institution=ctx.ngo_a)
        assert "to_institution" in exc.value.message_dict

    def test_user_outside_the_case_gets_404(self, ctx):
        with pytest.raises(Http404):
            send(ctx, user=ctx.shelter_worker, from_institution=ctx.safe_house, to_institution=ctx.ngo_a)


class TestAnswer:
    @pytest.fixture
    def referral(self, ctx):
        consent(ctx.case, ctx.victim, [ctx.safe_house], recorded_by=ctx.worker)
        return send(ctx, now=timezone.now() - timedelta(hours=3))

    def test_safe_house_in_another_municipality_sees_the_case_only_while_accepted(self, ctx, referral):
        assert sees(ctx.shelter_worker, ctx.case) == NOTHING
        svc.referral_accept(user=fresh(ctx.shelter_worker), referral=referral)
        assert sees(ctx.shelter_worker, ctx.case) == {"visible": True, "shared": True, "listed": False}
        svc.referral_complete(user=fresh(ctx.shelter_worker), referral=referral)
        assert sees(ctx.shelter_worker, ctx.case) == NOTHING
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.COMPLETED and referral.completed_at is not None

    def test_accept_records_time_to_answer_and_the_grant(self, ctx, referral):
        accepted = svc.referral_accept(user=fresh(ctx.shelter_worker), referral=referral)
        accepted.refresh_from_db()
        assert accepted.status == ReferralStatus.ACCEPTED
        assert accepted.answered_by == ctx.shelter_worker
        assert 3 * 3600 - 60 <= accepted.seconds_to_answer <= 3 * 3600 + 60
        grant = CaseGroupGrant.objects.get(content_object=ctx.case)
        assert grant.group.name == f"institution-{ctx.safe_house.pk}:staff"
        assert grant.permission.codename == "view_case"
        assert grant.granted_by == ctx.shelter_worker
        assert grant.reason == f"referral {referral.pk}"
        assert grant.municipality_id == ctx.world.mun_a.pk
        assert timedelta(days=89) < grant.expires_at - timezone.now() <= timedelta(days=90)
        entry = AuditEntry.objects.get(object_type="cases.referral", object_id=str(referral.pk), action=AuditAction.UPDATE)
        assert entry.details["seconds_to_answer"] == accepted.seconds_to_answer
        assert AuditEntry.objects.filter(action=AuditAction.PERMISSION_GRANTED, object_id=str(ctx.case.pk)).exists()

    def test_every_active_case_worker_of_the_institution_joins_the_staff_group(self, ctx, referral):
        colleague = member(Role.COORDINATOR, ctx.safe_house)
        gone = member(Role.CASEWORKER, ctx.safe_house)
        membership_end(membership=gone.memberships.get(), ended_by=None)
        official = member(Role.OFFICIAL, ctx.safe_house)
        svc.referral_accept(user=fresh(ctx.shelter_worker), referral=referral)
        group = Group.objects.get(name=f"institution-{ctx.safe_house.pk}:staff")
        assert set(group.user_set.all()) == {ctx.shelter_worker, colleague}
        assert sees(colleague, ctx.case)["visible"]
        assert not sees(gone, ctx.case)["visible"]
        assert not sees(official, ctx.case)["visible"]

    def test_only_the_receiving_institution_may_accept(self, ctx, referral):
        for outsider in (ctx.worker, ctx.world.users["other_municipality"][Role.CASEWORKER]):
            with pytest.raises(Http404):
                svc.referral_accept(user=fresh(outsider), referral=referral)
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.SENT
        assert not CaseGroupGrant.objects.exists()

    def test_cannot_accept_twice(self, ctx, referral):
        svc.referral_accept(user=fresh(ctx.shelter_worker), referral=referral)
        with pytest.raises(ValidationError) as exc:
            svc.referral_accept(user=fresh(ctx.shelter_worker), referral=referral)
        assert "status" in exc.value.message_dict

    def test_decline_needs_a_reason_and_shares_nothing(self, ctx, referral):
        with pytest.raises(ValidationError) as exc:
            svc.referral_decline(user=fresh(ctx.shelter_worker), referral=referral, reason=" ")
        assert list(exc.value.message_dict) == ["decline_reason"]
        declined = svc.referral_decline(user=fresh(ctx.shelter_worker), referral=referral, reason="Nema slobodnih mesta")
        declined.refresh_from_db()
        assert declined.status == ReferralStatus.DECLINED
        assert declined.decline_reason == "Nema slobodnih mesta"
        assert declined.seconds_to_answer is not None
        assert not CaseGroupGrant.objects.exists()
        assert sees(ctx.shelter_worker, ctx.case) == NOTHING

    def test_sender_completes_and_access_ends(self, ctx, referral):
        svc.referral_accept(user=fresh(ctx.shelter_worker), referral=referral)
        svc.referral_complete(user=ctx.worker, referral=referral)
        assert not CaseGroupGrant.objects.exists()
        assert AuditEntry.objects.filter(action=AuditAction.PERMISSION_REVOKED, object_id=str(ctx.case.pk)).exists()
        assert sees(ctx.shelter_worker, ctx.case) == NOTHING

    def test_complete_needs_an_accepted_referral(self, ctx, referral):
        with pytest.raises(ValidationError):
            svc.referral_complete(user=ctx.worker, referral=referral)

    def test_withdraw_before_answer(self, ctx, referral):
        withdrawn = svc.referral_withdraw(user=ctx.worker, referral=referral)
        assert withdrawn.status == ReferralStatus.WITHDRAWN
        with pytest.raises(ValidationError):
            svc.referral_accept(user=fresh(ctx.shelter_worker), referral=referral)

    def test_withdraw_after_accept_ends_access(self, ctx, referral):
        svc.referral_accept(user=fresh(ctx.shelter_worker), referral=referral)
        svc.referral_withdraw(user=ctx.worker, referral=referral)
        assert sees(ctx.shelter_worker, ctx.case) == NOTHING

    def test_receiving_side_cannot_withdraw(self, ctx, referral):
        with pytest.raises(Http404):
            svc.referral_withdraw(user=fresh(ctx.shelter_worker), referral=referral)

    def test_grant_is_read_only(self, ctx, referral):
        from apps.cases.services.plans import plan_create

        svc.referral_accept(user=fresh(ctx.shelter_worker), referral=referral)
        with pytest.raises(Http404):
            plan_create(user=fresh(ctx.shelter_worker), case=ctx.case, victim_participated=False)
