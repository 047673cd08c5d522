"""Measures pages: emergency and protective measures, the plan, referrals and the work queue, in the
browser's terms (the Django test client): forms save through the services, bad input is shown on
the right field with nothing saved, deadlines render as countdowns, another municipality's ids
answer 404, and a safe house in another municipality sees the case only while the referral runs."""
from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.choices import (
    CourtDecision,
    EmergencyMeasureKind,
    PlanMeasureKind,
    PlanMeasureStatus,
    ProtectiveMeasureKind,
    ReferralStatus,
    ReferralUrgency,
)
from apps.cases.models import (
    Case,
    EmergencyMeasure,
    MeasureBreach,
    PlanMeasure,
    ProtectionPlan,
    ProtectiveMeasure,
    Referral,
    Reminder,
)
from apps.cases.views.deadline_rows import format_duration
from apps.cases.views.measures import detail_context
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.institutions.choices import InstitutionType
from tests.cases.factories import english  # noqa: F401  (autouse: messages in English)
from tests.cases.factories_measures import (
    consent,
    emergency,
    join,
    make_case,
    plan,
    plan_measure,
    protective,
    victim,
)
from tests.clock import moment, travel
from tests.factories import InstitutionFactory, member


def local_input(moment) -> str:
    """A moment as a <input type="datetime-local"> sends it (Europe/Belgrade wall clock)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def fresh(user):
    """The user as a new request loads them (nothing cached)."""
    return User.objects.get(pk=user.pk)


def has_detail_page() -> bool:
    try:
        reverse("cases:detail", kwargs={"pk": 1})
    except NoReverseMatch:
        return False
    return True


def page_request(user):
    """A request as the case page gets it (for calling detail_context and rendering the sections)."""
    request = RequestFactory().get("/")
    request.user = fresh(user)
    request.session = {}
    return request


@pytest.fixture
def ctx(world):
    worker = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker)
    join(case, world.police_a, added_by=worker)
    person = victim(case)
    worker_b = world.users["other_municipality"][Role.CASEWORKER]
    police_b = InstitutionFactory(municipality=world.mun_b, type=InstitutionType.POLICE, name="Policija Testgrad B")
    case_b = make_case(institution=world.csr_b, opened_by=worker_b)
    safe_house = InstitutionFactory(municipality=world.mun_b, type=InstitutionType.SAFE_HOUSE, name="Sigurna kuća Testgrad B")
    return SimpleNamespace(
        world=world, worker=worker, case=case, victim=person, worker_b=worker_b, police_b=police_b, case_b=case_b,
        safe_house=safe_house, shelter_worker=member(Role.CASEWORKER, safe_house),
    )


def url(name, *args):
    return reverse(f"cases:{name}", args=args)


# --- emergency measures ---------------------------------------------------------------------------


class TestEmergencyMeasures:
    def test_record_offers_the_case_municipality_police_and_saves(self, ctx, login):
        client = login(ctx.worker)
        page = client.get(url("emergency_add", ctx.case.pk))
        assert page.status_code == 200
        body = page.content.decode()
        assert "Policija Testgrad A" in body and "Policija Testgrad B" not in body
        assert 'type="datetime-local"' in body
        delivered = timezone.now() - timedelta(hours=3)
        response = client.post(
            url("emergency_add", ctx.case.pk),
            {"kind": EmergencyMeasureKind.REMOVAL, "order_number": "HM-TEST-1", "ordered_by": ctx.world.police_a.pk,
             "delivered_at": local_input(delivered)},
        )
        assert response.status_code == 302
        measure = EmergencyMeasure.objects.get(case=ctx.case)
        assert measure.order_number == "HM-TEST-1"
        assert measure.expires_at - measure.delivered_at == timedelta(hours=48)
        assert AuditEntry.objects.filter(object_type="cases.emergencymeasure", action=AuditAction.CREATE).exists()

    def test_future_delivery_and_other_municipality_police_are_refused(self, ctx, login):
        client = login(ctx.worker)
        response = client.post(
            url("emergency_add", ctx.case.pk),
            {"kind": EmergencyMeasureKind.REMOVAL, "order_number": "HM-TEST-2", "ordered_by": ctx.world.police_a.pk,
             "delivered_at": local_input(timezone.now() + timedelta(days=1))},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["delivered_at"] == ["This moment is in the future."]
        response = client.post(
            url("emergency_add", ctx.case.pk),
            {"kind": EmergencyMeasureKind.REMOVAL, "order_number": "HM-TEST-3", "ordered_by": ctx.police_b.pk,
             "delivered_at": local_input(timezone.now() - timedelta(hours=1))},
        )
        assert "ordered_by" in response.context["form"].errors
        assert not EmergencyMeasure.objects.exists()

    def test_deadlines_render_as_countdowns(self, ctx, login):
        now = timezone.now()
        # Delivered 43 h 40 min ago (30 s of slack for the test's own run time).
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                            delivered_at=now - timedelta(hours=43, minutes=40) + timedelta(seconds=30))
        body = login(ctx.worker).get(url("emergency_update", ctx.case.pk, measure.pk)).content.decode()
        assert "expires in 4 h 20 min" in body
        assert "overdue by 19 h 39 min" in body
        assert 'class="badge badge-warn" data-countdown' in body
        assert 'class="badge badge-err" data-countdown' in body
        assert "The prosecutor's extension proposal is not recorded yet." in body
        assert 'data-future="expires in {}"' in body

    @travel(moment("2026-05-15T12:00"))  # delivered on 28.03.2026: long over by then
    def test_deadlines_across_the_spring_clock_change_show_belgrade_wall_time(self, ctx, login):
        from zoneinfo import ZoneInfo

        delivered = datetime(2026, 3, 28, 14, 20, tzinfo=ZoneInfo("Europe/Belgrade"))
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=delivered)
        body = login(ctx.worker).get(url("emergency_update", ctx.case.pk, measure.pk)).content.decode()
        # 48 real hours; the night of 29.3.2026 has 23, so the wall clock says 15:20.
        assert "<td>30.03.2026 15:20</td>" in body
        assert "<td>29.03.2026 15:20</td>" in body  # the proposal, 24 h after delivery
        assert "expired 30.03.2026 15:20" in body and "no proposal recorded" in body
        assert "badge-err" not in body  # a measure long over is history, not an alarm

    def test_proposal_decision_and_appeal_on_the_same_measure(self, ctx, login):
        client = login(ctx.worker)
        delivered = timezone.now() - timedelta(hours=20)
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=delivered)
        page = url("emergency_update", ctx.case.pk, measure.pk)
        # Before the delivery: refused on the field, nothing saved.
        response = client.post(page, {"step": "proposal", "version": 1,
                                      "extension_proposed_at": local_input(delivered - timedelta(hours=2))})
        assert response.status_code == 200
        assert "cannot precede the delivery" in response.context["forms"]["proposal"].errors["extension_proposed_at"][0]
        measure.refresh_from_db()
        assert measure.extension_proposed_at is None and measure.version == 1

        proposed = delivered + timedelta(hours=10)
        assert client.post(page, {"step": "proposal", "version": 1, "extension_proposed_at": local_input(proposed)}).status_code == 302
        measure.refresh_from_db()
        assert measure.court_decision_due is not None and measure.version == 2
        body = client.get(page).content.decode()
        assert "Court decision on the extension (24 h)" in body

        decided = proposed + timedelta(hours=5)
        response = client.post(page, {"step": "decision", "version": 2, "court_decision": CourtDecision.EXTENDED,
                                      "court_decided_at": local_input(decided)})
        assert response.status_code == 302
        measure.refresh_from_db()
        assert measure.court_decision == CourtDecision.EXTENDED and measure.extended_until is not None
        body = client.get(page).content.decode()
        assert "Extended measure expires (30 days)" in body and "expires in 29 d" in body

        response = client.post(page, {"step": "appeal", "version": 3, "appeal_filed_at": local_input(decided - timedelta(hours=1))})
        assert "cannot precede the court" in response.context["forms"]["appeal"].errors["appeal_filed_at"][0]
        assert client.post(page, {"step": "appeal", "version": 3,
                                  "appeal_filed_at": local_input(decided + timedelta(hours=1))}).status_code == 302
        measure.refresh_from_db()
        assert measure.appeal_filed_at is not None

    def test_second_save_is_refused_and_names_what_changed(self, ctx, login):
        client = login(ctx.worker)
        delivered = timezone.now() - timedelta(hours=20)
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=delivered)
        page = url("emergency_update", ctx.case.pk, measure.pk)
        opened = client.get(page).context["snapshot"]  # both colleagues open the page
        first = {"step": "proposal", "version": 1, "snapshot": opened,
                 "extension_proposed_at": local_input(delivered + timedelta(hours=1))}
        assert client.post(page, first).status_code == 302
        second = dict(first, extension_proposed_at=local_input(delivered + timedelta(hours=2)))
        response = client.post(page, second)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Someone else saved this record while you were editing it" in body
        assert response.context["conflict"] is not None
        assert [row["name"] for row in response.context["conflict_rows"]][:1] == ["extension_proposed_at"]
        # The proposal is recorded now: the page offers the next step, not the proposal again.
        assert list(response.context["forms"]) == ["decision"]
        measure.refresh_from_db()
        assert measure.extension_proposed_at == (delivered + timedelta(hours=1)).replace(second=0, microsecond=0)

    def test_breach_inside_the_measure_and_out_of_order(self, ctx, login):
        client = login(ctx.worker)
        delivered = timezone.now() - timedelta(hours=10)
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=delivered)
        page = url("breach_add", ctx.case.pk)
        assert f'value="e:{measure.pk}" selected' in client.get(page + f"?measure=e:{measure.pk}").content.decode()
        response = client.post(page, {"measure": f"e:{measure.pk}", "occurred_at": local_input(delivered - timedelta(hours=1))})
        assert "was not in force at that time" in response.context["form"].errors["occurred_at"][0]
        response = client.post(page, {"measure": "e:999999", "occurred_at": local_input(delivered + timedelta(hours=1))})
        assert "measure" in response.context["form"].errors
        assert not MeasureBreach.objects.exists()
        response = client.post(page, {"measure": f"e:{measure.pk}", "occurred_at": local_input(delivered + timedelta(hours=1)),
                                      "description": "Prišao stanu"})
        assert response.status_code == 302
        assert MeasureBreach.objects.get().emergency_measure_id == measure.pk


# --- protective measures --------------------------------------------------------------------------


class TestProtectiveMeasures:
    def test_record_with_errors_then_valid(self, ctx, login):
        client = login(ctx.worker)
        today = timezone.localdate()
        page = url("protective_add", ctx.case.pk)
        assert client.get(page).status_code == 200
        data = {"kind": ProtectiveMeasureKind.APPROACH_BAN, "court": "Osnovni sud Testgrad", "decision_number": "P2-1/26",
                "decision_date": today.isoformat(), "valid_from": today.isoformat(),
                "valid_until": (today + timedelta(days=400)).isoformat()}
        response = client.post(page, data)
        errors = response.context["form"].errors
        assert "distance_m" in errors or "valid_until" in errors
        response = client.post(page, dict(data, distance_m=200))
        assert "at most one year" in response.context["form"].errors["valid_until"][0]
        response = client.post(page, dict(data, distance_m=200, valid_until=(today - timedelta(days=1)).isoformat()))
        assert "cannot be before the first day" in response.context["form"].errors["valid_until"][0]
        assert not ProtectiveMeasure.objects.exists()
        response = client.post(page, dict(data, distance_m=200, valid_until=(today + timedelta(days=90)).isoformat()))
        assert response.status_code == 302
        assert ProtectiveMeasure.objects.get().distance_m == 200

    def test_renew_continues_the_measure(self, ctx, login):
        client = login(ctx.worker)
        today = timezone.localdate()
        measure = protective(ctx.case, recorded_by=ctx.worker, valid_from=today - timedelta(days=300),
                             valid_until=today + timedelta(days=10))
        page = url("protective_renew", ctx.case.pk, measure.pk)
        form = client.get(page).context["form"]
        assert form.initial["valid_from"] == today + timedelta(days=11)
        response = client.post(page, {"decision_date": (today + timedelta(days=1)).isoformat(),
                                      "valid_until": (today + timedelta(days=200)).isoformat()})
        assert response.context["form"].errors["decision_date"] == ["This date is in the future."]
        response = client.post(page, {"decision_date": today.isoformat(), "valid_until": (today + timedelta(days=200)).isoformat()})
        assert response.status_code == 302
        renewal = ProtectiveMeasure.objects.get(renewed_from=measure)
        assert renewal.valid_from == today + timedelta(days=11)


# --- the plan -------------------------------------------------------------------------------------


class TestPlan:
    def test_create_refuses_a_signature_without_participation(self, ctx, login):
        client = login(ctx.worker)
        page = url("plan_create", ctx.case.pk)
        assert client.get(page).status_code == 200
        today = timezone.localdate().isoformat()
        response = client.post(page, {"adopted_at": today, "victim_signed": "on", "monitoring": "Kućne posete"})
        assert "victim_signed" in response.context["form"].errors
        assert not ProtectionPlan.objects.exists()
        response = client.post(page, {"adopted_at": today, "victim_participated": "on", "victim_signed": "on",
                                      "monitoring": "Kućne posete jednom nedeljno",
                                      "next_review": (timezone.localdate() + timedelta(days=30)).isoformat()})
        assert response.status_code == 302
        assert ProtectionPlan.objects.get(case=ctx.case).victim_signed

    def test_edit_conflict_shows_what_changed(self, ctx, login):
        client = login(ctx.worker)
        row = plan(ctx.case, created_by=ctx.worker, monitoring="Prva verzija")
        page = url("plan_edit", ctx.case.pk, row.pk)
        opened = client.get(page).context
        data = {"adopted_at": row.adopted_at.isoformat(), "monitoring": "Kolega je upisao ovo", "version": 1,
                "snapshot": opened["snapshot"]}
        assert client.post(page, data).status_code == 302
        response = client.post(page, dict(data, monitoring="Ja sam upisala ovo"))
        assert response.status_code == 200
        body = response.content.decode()
        assert "Someone else saved this record" in body
        assert "Kolega je upisao ovo" in body  # the value now stored
        row.refresh_from_db()
        assert row.monitoring == "Kolega je upisao ovo" and row.version == 2
        # The form now carries the stored version: saving again is a deliberate choice.
        assert response.context["form"].data["version"] == "2"

    def test_measure_add_status_and_overdue_highlight(self, ctx, login):
        client = login(ctx.worker)
        row = plan(ctx.case, created_by=ctx.worker)
        page = url("plan_measure_add", ctx.case.pk, row.pk)
        body = client.get(page).content.decode()
        assert "Policija Testgrad A" in body and "CSR Testgrad B" not in body
        data = {"kind": PlanMeasureKind.SUPPORT, "description": "Psihološka podrška", "for_person": ctx.victim.pk,
                "owner_institution": ctx.world.csr_a.pk, "responsible_person": "Testna Radnica",
                "deadline": (row.adopted_at - timedelta(days=1)).isoformat()}
        response = client.post(page, data)
        assert "before the plan was adopted" in response.context["form"].errors["deadline"][0]
        response = client.post(page, dict(data, owner_institution=ctx.world.csr_b.pk, deadline=timezone.localdate().isoformat()))
        assert "owner_institution" in response.context["form"].errors
        assert not PlanMeasure.objects.exists()
        assert client.post(page, dict(data, deadline=timezone.localdate().isoformat())).status_code == 302
        measure = PlanMeasure.objects.get()
        assert measure.for_person_id == ctx.victim.pk

        update = url("plan_measure_update", ctx.case.pk, measure.pk)
        assert client.post(update, {"status": PlanMeasureStatus.DONE, "version": 1}).status_code == 302
        measure.refresh_from_db()
        assert measure.status == PlanMeasureStatus.DONE and measure.completed_at is not None
        response = client.post(update, {"status": PlanMeasureStatus.CANCELLED, "version": 1})
        assert response.status_code == 200
        assert "Someone else saved this record" in response.content.decode()
        measure.refresh_from_db()
        assert measure.status == PlanMeasureStatus.DONE

    def test_section_highlights_overdue_measures(self, ctx):
        row = plan(ctx.case, created_by=ctx.worker)
        plan_measure(row, owner=ctx.world.csr_a, deadline=timezone.localdate() - timedelta(days=3))
        plan_measure(row, owner=ctx.world.csr_a, deadline=timezone.localdate() + timedelta(days=20))
        from django.template.loader import render_to_string

        request = page_request(ctx.worker)
        context = detail_context(request, ctx.case)
        assert context["current_plan"] == row and context["plan_overdue_count"] == 1
        html = render_to_string("cases/detail/_plan.html", {"case": ctx.case, **context}, request=request)
        assert html.count('class="row-overdue"') == 1
        assert "1 measure overdue" in html
        assert "overdue by 2 d" in html and "due in 20 d" in html


# --- referrals ------------------------------------------------------------------------------------


class TestReferrals:
    def test_directory_offers_own_municipality_and_safe_houses_elsewhere(self, ctx, login):
        body = login(ctx.worker).get(url("referral_send", ctx.case.pk)).content.decode()
        assert "Sigurna kuća Testgrad B" in body
        assert "CSR Testgrad B" not in body and "Policija Testgrad B" not in body
        assert "Policija Testgrad A" in body

    def test_send_needs_consent_for_another_municipality(self, ctx, login):
        client = login(ctx.worker)
        page = url("referral_send", ctx.case.pk)
        data = {"from_institution": ctx.world.csr_a.pk, "to_institution": ctx.safe_house.pk,
                "urgency": ReferralUrgency.URGENT, "reason": "Smeštaj u sigurnu kuću"}
        response = client.post(page, data)
        assert "has not given valid consent" in response.context["form"].errors["to_institution"][0]
        response = client.post(page, dict(data, consent_override_reason="Neposredna opasnost"))
        assert "immediate danger" in response.context["form"].errors["consent_override_reason"][0]
        response = client.post(page, dict(data, to_institution=ctx.world.csr_b.pk))
        assert "to_institution" in response.context["form"].errors  # not in the directory
        assert not Referral.objects.exists()
        consent(ctx.case, ctx.victim, [ctx.safe_house], recorded_by=ctx.worker)
        assert client.post(page, data).status_code == 302
        referral = Referral.objects.get()
        assert referral.to_municipality_id == ctx.world.mun_b.pk and referral.status == ReferralStatus.SENT

    def test_safe_house_sees_the_case_only_while_the_referral_runs(self, ctx, login):
        consent(ctx.case, ctx.victim, [ctx.safe_house], recorded_by=ctx.worker)
        client = login(ctx.worker)
        client.post(url("referral_send", ctx.case.pk), {
            "from_institution": ctx.world.csr_a.pk, "to_institution": ctx.safe_house.pk,
            "urgency": ReferralUrgency.IMMEDIATE, "reason": "Smeštaj majke i dece"})
        referral = Referral.objects.get()
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                            delivered_at=timezone.now() - timedelta(hours=2))

        shelter = login(ctx.shelter_worker)
        # Before accepting: nothing of the case, only the referral to answer.
        assert shelter.get(url("emergency_update", ctx.case.pk, measure.pk)).status_code == 404
        assert shelter.get(url("plan_create", ctx.case.pk)).status_code == 404
        if has_detail_page():
            assert shelter.get(url("detail", ctx.case.pk)).status_code == 404
        queue = shelter.get(url("work_queue"))
        assert ctx.case.number in queue.content.decode()
        assert [w["referral"].pk for w in queue.context["waiting"]] == [referral.pk]
        assert not Case.objects.visible_to(fresh(ctx.shelter_worker)).filter(pk=ctx.case.pk).exists()

        answer = url("referral_answer", ctx.case.pk, referral.pk)
        page = shelter.get(answer)
        assert page.status_code == 200 and "Smeštaj majke i dece" in page.content.decode()
        response = shelter.post(answer, {"decision": "decline"})
        assert response.context["form"].errors["decline_reason"] == ["Enter the reason for declining."]
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.SENT

        response = shelter.post(answer, {"decision": "accept"})
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.ACCEPTED and referral.answered_at is not None
        assert Case.objects.visible_to(fresh(ctx.shelter_worker)).filter(pk=ctx.case.pk).exists()
        assert Case.objects.shared_with(fresh(ctx.shelter_worker)).filter(pk=ctx.case.pk).exists()
        if has_detail_page():
            detail = shelter.get(url("detail", ctx.case.pk))
            assert detail.status_code == 200
            assert "Mark completed" in detail.content.decode()
            assert ctx.case.number in shelter.get(url("list") + "?scope=shared").content.decode()
        # A shared case is read, not steered: recording on it is for the case team.
        assert shelter.get(url("emergency_add", ctx.case.pk)).status_code == 403
        # The referring side sees the answer and how long it took.
        rows = detail_context(page_request(ctx.worker), ctx.case)["referral_rows"]
        assert rows[0].to_answer.startswith("answered after")

        assert shelter.post(url("referral_complete", ctx.case.pk, referral.pk)).status_code == 302
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.COMPLETED
        assert not Case.objects.visible_to(fresh(ctx.shelter_worker)).filter(pk=ctx.case.pk).exists()
        if has_detail_page():
            assert shelter.get(url("detail", ctx.case.pk)).status_code == 404
            assert ctx.case.number not in shelter.get(url("list") + "?scope=shared").content.decode()
        assert shelter.get(url("emergency_update", ctx.case.pk, measure.pk)).status_code == 404

    def test_decline_with_reason_from_the_queue(self, ctx, login):
        referral = Referral.objects.create(
            municipality=ctx.case.municipality, case=ctx.case, from_institution=ctx.world.csr_a,
            to_institution=ctx.safe_house, to_municipality_id=ctx.world.mun_b.pk, reason="Testni razlog",
            sent_by=ctx.worker, sent_at=timezone.now() - timedelta(hours=3),
        )
        shelter = login(ctx.shelter_worker)
        response = shelter.post(url("referral_answer", ctx.case.pk, referral.pk),
                                {"decision": "decline", "decline_reason": "Nema slobodnih mesta"})
        assert response.status_code == 302 and response["Location"] == url("work_queue")
        referral.refresh_from_db()
        assert referral.status == ReferralStatus.DECLINED and referral.decline_reason == "Nema slobodnih mesta"
        assert not Case.objects.visible_to(fresh(ctx.shelter_worker)).filter(pk=ctx.case.pk).exists()
        # Answering someone else's referral, or through another case's id, is 404.
        other = member(Role.CASEWORKER, InstitutionFactory(municipality=ctx.world.mun_b, type=InstitutionType.SAFE_HOUSE))
        assert login(other).get(url("referral_answer", ctx.case.pk, referral.pk)).status_code == 404
        assert login(ctx.shelter_worker).get(url("referral_answer", ctx.case_b.pk, referral.pk)).status_code == 404


def test_only_the_addressed_institution_answers_or_reads(ctx, login):
    """A referral or reminder is visible with the case, but acted on only by the institution it is addressed to."""
    referral = Referral.objects.create(
        municipality=ctx.case.municipality, case=ctx.case, from_institution=ctx.world.csr_a,
        to_institution=ctx.world.police_a, to_municipality_id=ctx.world.mun_a.pk, reason="Testni razlog",
        sent_by=ctx.worker,
    )
    reminder = Reminder.objects.create(
        municipality=ctx.case.municipality, case=ctx.case, institution=ctx.world.police_a, kind="emergency_expiry",
        object_type="cases.emergencymeasure", object_id=1, due_at=timezone.now(), stage="before",
    )
    answer = url("referral_answer", ctx.case.pk, referral.pk)
    coordinator = login(ctx.world.users[Role.COORDINATOR])
    assert coordinator.get(answer).status_code == 403
    assert coordinator.post(answer, {"decision": "accept"}).status_code == 403
    assert coordinator.post(url("reminder_read", reminder.pk)).status_code == 403
    referral.refresh_from_db()
    reminder.refresh_from_db()
    assert referral.status == ReferralStatus.SENT and reminder.read_at is None
    police = login(ctx.world.users["police_caseworker"])
    assert police.get(answer).status_code == 200
    assert police.post(url("reminder_read", reminder.pk)).status_code == 302
    reminder.refresh_from_db()
    assert reminder.read_at is not None


@pytest.mark.parametrize(
    ("who", "expected"),
    [(Role.CASEWORKER, 200), (Role.COORDINATOR, 200), ("police_caseworker", 200), (Role.OFFICIAL, 404),
     (Role.INSTITUTION_ADMIN, 404)],
)
def test_form_pages_render_for_the_case_team_only(ctx, login, who, expected):
    row = plan(ctx.case, created_by=ctx.worker)
    client = login(ctx.world.users[who])
    for address in (url("emergency_add", ctx.case.pk), url("protective_add", ctx.case.pk), url("plan_create", ctx.case.pk),
                    url("plan_measure_add", ctx.case.pk, row.pk), url("referral_send", ctx.case.pk)):
        assert (address, client.get(address).status_code) == (address, expected)


# --- isolation ------------------------------------------------------------------------------------


def other_municipality_urls(ctx):
    """Every URL of this area with the other municipality's case and row ids."""
    worker_b = ctx.worker_b
    case_b = ctx.case_b
    measure = emergency(case_b, ordered_by=ctx.police_b, recorded_by=worker_b, delivered_at=timezone.now() - timedelta(hours=3))
    prot = protective(case_b, recorded_by=worker_b, valid_from=timezone.localdate() - timedelta(days=10),
                      valid_until=timezone.localdate() + timedelta(days=10))
    plan_b = plan(case_b, created_by=worker_b)
    pm = plan_measure(plan_b, owner=ctx.world.csr_b, deadline=timezone.localdate() - timedelta(days=1))
    referral = Referral.objects.create(
        municipality=case_b.municipality, case=case_b, from_institution=ctx.world.csr_b, to_institution=ctx.safe_house,
        to_municipality_id=ctx.safe_house.municipality_id, reason="Testni razlog", sent_by=worker_b,
    )
    reminder = Reminder.objects.create(
        municipality=case_b.municipality, case=case_b, institution=ctx.world.csr_b, kind="plan_measure",
        object_type="cases.planmeasure", object_id=pm.pk, due_at=timezone.now(), stage="overdue",
    )
    own_measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                            delivered_at=timezone.now() - timedelta(hours=3))
    return [
        url("emergency_add", case_b.pk),
        url("emergency_update", case_b.pk, measure.pk),
        url("emergency_update", ctx.case.pk, measure.pk),  # own case, their measure
        url("emergency_update", case_b.pk, own_measure.pk),
        url("breach_add", case_b.pk),
        url("protective_add", case_b.pk),
        url("protective_renew", case_b.pk, prot.pk),
        url("protective_renew", ctx.case.pk, prot.pk),
        url("plan_create", case_b.pk),
        url("plan_edit", case_b.pk, plan_b.pk),
        url("plan_edit", ctx.case.pk, plan_b.pk),
        url("plan_measure_add", case_b.pk, plan_b.pk),
        url("plan_measure_update", case_b.pk, pm.pk),
        url("plan_measure_update", ctx.case.pk, pm.pk),
        url("referral_send", case_b.pk),
        url("referral_answer", case_b.pk, referral.pk),
        url("referral_complete", case_b.pk, referral.pk),
        url("reminder_read", reminder.pk),
    ]


class TestIsolation:
    @pytest.mark.parametrize("role", [Role.CASEWORKER, Role.COORDINATOR])
    def test_other_municipality_ids_are_404_on_every_url(self, ctx, login, role):
        urls = other_municipality_urls(ctx)
        client = login(ctx.world.users[role])
        for address in urls:
            get = client.get(address)
            post = client.post(address, {"version": 1, "status": "done", "decision": "accept", "step": "proposal"})
            assert (address, get.status_code) == (address, 404) or (address, get.status_code) == (address, 405)
            assert (address, post.status_code) == (address, 404)
        assert not EmergencyMeasure.objects.filter(case=ctx.case_b, extension_proposed_at__isnull=False).exists()
        assert not Reminder.objects.filter(read_at__isnull=False).exists()
        assert Referral.objects.get(case=ctx.case_b).status == ReferralStatus.SENT


# --- the work queue -------------------------------------------------------------------------------


def fill_queue(ctx, n: int = 1):
    """n items of each kind for Jelena, and the same in the other municipality."""
    now = timezone.now()
    for i in range(n):
        case = make_case(institution=ctx.world.csr_a, opened_by=ctx.worker)
        emergency(case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=now - timedelta(hours=30, minutes=i))
        row = plan(case, created_by=ctx.worker)
        plan_measure(row, owner=ctx.world.csr_a, deadline=timezone.localdate() - timedelta(days=2),
                     description=f"Zakasnela mera {i}")
        Reminder.objects.create(
            municipality=case.municipality, case=case, institution=ctx.world.csr_a, kind="plan_measure",
            object_type="cases.planmeasure", object_id=row.pk, due_at=now - timedelta(hours=1), stage="overdue",
        )
        Case.objects.filter(pk=case.pk).update(last_activity_at=now - timedelta(days=31))
        # The same in the other municipality: never shown.
        case_b = make_case(institution=ctx.world.csr_b, opened_by=ctx.worker_b)
        emergency(case_b, ordered_by=ctx.police_b, recorded_by=ctx.worker_b, delivered_at=now - timedelta(hours=30))
        plan_b = plan(case_b, created_by=ctx.worker_b)
        plan_measure(plan_b, owner=ctx.world.csr_b, deadline=timezone.localdate() - timedelta(days=2))
        Reminder.objects.create(
            municipality=case_b.municipality, case=case_b, institution=ctx.world.csr_b, kind="plan_measure",
            object_type="cases.planmeasure", object_id=plan_b.pk, due_at=now, stage="overdue",
        )
        Case.objects.filter(pk=case_b.pk).update(last_activity_at=now - timedelta(days=31))


class TestWorkQueue:
    def test_empty_state(self, ctx, login):
        user = member(Role.CASEWORKER, ctx.world.police_a)
        response = login(user).get(url("work_queue"))
        assert response.status_code == 200
        assert "Nothing is waiting for you" in response.content.decode()

    def test_is_declared_before_the_case_patterns(self):
        assert url("work_queue") == "/cases/work-queue/"

    def test_shows_jelenas_items_and_never_another_municipality(self, ctx, login):
        fill_queue(ctx)
        Referral.objects.create(
            municipality=ctx.case.municipality, case=ctx.case, from_institution=ctx.world.csr_a,
            to_institution=ctx.world.police_a, to_municipality_id=ctx.world.mun_a.pk, reason="Testni razlog",
            sent_by=ctx.worker, status=ReferralStatus.ACCEPTED, sent_at=timezone.now() - timedelta(hours=9),
            answered_at=timezone.now() - timedelta(hours=1),
        )
        response = login(ctx.worker).get(url("work_queue"))
        body = response.content.decode()
        numbers_a = set(Case.objects.filter(municipality=ctx.world.mun_a).values_list("number", flat=True))
        numbers_b = set(Case.objects.filter(municipality=ctx.world.mun_b).values_list("number", flat=True))
        assert any(n in body for n in numbers_a)
        assert not any(n in body for n in numbers_b)
        assert "overdue by 6 h" in body  # the extension proposal, due 24 h after delivery 30 h ago
        assert "The prosecutor's extension proposal is not recorded yet." in body
        assert "Zakasnela mera 0" in body
        assert "Your cases without activity for 30 days" in body
        assert "Unread reminders" in body and "Mark as read" in body
        assert "answered after 8 h" in body
        assert "Nothing is waiting for you" not in body
        assert AuditEntry.objects.filter(action=AuditAction.VIEW, details__view="work_queue").exists()

    def test_mark_a_reminder_read(self, ctx, login):
        fill_queue(ctx)
        reminder = Reminder.objects.get(institution=ctx.world.csr_a)
        client = login(ctx.worker)
        assert client.post(url("reminder_read", reminder.pk)).status_code == 302
        reminder.refresh_from_db()
        assert reminder.read_at is not None
        assert "Unread reminders" not in client.get(url("work_queue")).content.decode()

    def test_fixed_number_of_queries(self, ctx, login):
        client = login(ctx.worker)
        fill_queue(ctx, 1)
        client.get(url("work_queue"))
        with CaptureQueriesContext(connection) as small:
            client.get(url("work_queue"))
        fill_queue(ctx, 4)
        with CaptureQueriesContext(connection) as large:
            response = client.get(url("work_queue"))
        assert len(response.context["measures"]) == 5
        assert len(large.captured_queries) == len(small.captured_queries)
        assert len(large.captured_queries) <= 20


# --- the case page sections -----------------------------------------------------------------------


class TestSections:
    def _context(self, ctx, user=None):
        request = page_request(user or ctx.worker)
        return request, detail_context(request, ctx.case)

    def test_fixed_number_of_queries(self, ctx):
        def add(n):
            now = timezone.now()
            row = ProtectionPlan.objects.filter(case=ctx.case, is_active=True).first() or plan(ctx.case, created_by=ctx.worker)
            for i in range(n):
                m = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                              delivered_at=now - timedelta(hours=5 + i))
                MeasureBreach.objects.create(municipality=ctx.case.municipality, case=ctx.case, emergency_measure=m,
                                             occurred_at=now - timedelta(hours=1), recorded_by=ctx.worker)
                protective(ctx.case, recorded_by=ctx.worker, valid_from=timezone.localdate(),
                           valid_until=timezone.localdate() + timedelta(days=30 + i))
                plan_measure(row, owner=ctx.world.csr_a, deadline=timezone.localdate() + timedelta(days=i))
                Referral.objects.create(
                    municipality=ctx.case.municipality, case=ctx.case, from_institution=ctx.world.csr_a,
                    to_institution=InstitutionFactory(municipality=ctx.world.mun_a, type=InstitutionType.NGO),
                    to_municipality_id=ctx.world.mun_a.pk, reason="Testni razlog", sent_by=ctx.worker,
                )

        add(1)
        request = page_request(ctx.worker)
        request.user.access.memberships  # noqa: B018  (loaded once per request by the middleware)
        with CaptureQueriesContext(connection) as small:
            detail_context(request, ctx.case)
        add(4)
        request.user = fresh(ctx.worker)
        request.user.access.memberships  # noqa: B018
        with CaptureQueriesContext(connection) as large:
            context = detail_context(request, ctx.case)
        assert len(context["emergency_rows"]) == 5 and len(context["referral_rows"]) == 5
        assert len(large.captured_queries) == len(small.captured_queries) <= 12

    def test_sections_render_countdowns_and_actions(self, ctx):
        from django.template.loader import render_to_string

        now = timezone.now()
        emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                  delivered_at=now - timedelta(hours=2) + timedelta(seconds=30))
        protective(ctx.case, recorded_by=ctx.worker, valid_from=timezone.localdate() - timedelta(days=300),
                   valid_until=timezone.localdate() + timedelta(days=5))
        request, context = self._context(ctx)
        html = render_to_string("cases/detail/_emergency.html", {"case": ctx.case, **context}, request=request)
        assert "expires in 1 d 22 h" in html and "due in 22 h" in html
        assert url("emergency_update", ctx.case.pk, context["emergency_rows"][0].measure.pk) in html
        html = render_to_string("cases/detail/_protective.html", {"case": ctx.case, **context}, request=request)
        assert "expires in 5 d" in html and "badge-warn" in html and "Renew" in html
        # A police officer of the team reads the same sections.
        request, context = self._context(ctx, ctx.world.users["police_caseworker"])
        assert context["measures_can_write"] is True
        # A coordinator of the other municipality never gets here (the case page is 404), and a
        # grant-less user of another institution gets no rows.
        request, context = self._context(ctx, ctx.worker_b)
        assert context["emergency_rows"] == [] and context["measures_can_write"] is False


@pytest.mark.skipif(not has_detail_page(), reason="the case page is another module's")
def test_case_page_shows_the_measures_sections(ctx, login):
    now = timezone.now()
    measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                        delivered_at=now - timedelta(hours=30) + timedelta(seconds=30))
    row = plan(ctx.case, created_by=ctx.worker, monitoring="Mesečna provera")
    plan_measure(row, owner=ctx.world.police_a, deadline=timezone.localdate() - timedelta(days=1),
                 description="Obilazak policije")
    response = login(ctx.worker).get(url("detail", ctx.case.pk))
    assert response.status_code == 200
    body = response.content.decode()
    for anchor in ('id="emergency"', 'id="protective"', 'id="plan"', 'id="referrals"'):
        assert anchor in body
    assert "expires in 18 h" in body and "overdue by 5 h 59 min" in body
    assert url("emergency_update", ctx.case.pk, measure.pk) in body
    assert "Obilazak policije" in body and 'class="row-overdue"' in body and "overdue by" in body
    assert url("referral_send", ctx.case.pk) in body and url("protective_add", ctx.case.pk) in body
    assert "js/cases-measures.js" in body


def test_format_duration():
    assert format_duration(5 * 3600 + 20 * 60) == "5 h 20 min"
    assert format_duration(-2 * 3600) == "2 h"
    assert format_duration(3 * 86400 + 3600 * 4 + 59) == "3 d 4 h"
    assert format_duration(30) == "1 min"
