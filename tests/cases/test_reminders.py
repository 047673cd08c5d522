"""Deadline reminders: what is reminded, to whom, once, and without personal data."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from apps.cases.choices import CourtDecision, PlanMeasureStatus
from apps.cases.models import Reminder
from apps.cases.services.reminders import deadline_reminders_send, reminder_mark_read
from apps.cases.tasks import send_deadline_reminders
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from tests.factories import InstitutionFactory, member
from tests.outbox import run_after_commit

from .factories_measures import assign, emergency, join, make_case, plan, plan_measure, protective, victim


@pytest.fixture
def ctx(world):
    worker = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker, number="TST-2026-00117")
    victim(case, first_name="Jasmina", last_name="Testović")
    join(case, world.police_a, added_by=worker)
    return SimpleNamespace(world=world, worker=worker, case=case, now=timezone.now())


def send(ctx, django_capture_on_commit_callbacks, now=None):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = deadline_reminders_send(now=now or ctx.now)
    run_after_commit(callbacks)
    return run


def rows(**filters):
    return set(Reminder.objects.filter(**filters).values_list("kind", "stage", "institution_id"))


class TestEmergencyMeasures:
    def test_expiring_within_12_hours_reminds_lead_and_police_once(self, at_each_moment, ctx, django_capture_on_commit_callbacks):
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                            delivered_at=ctx.now - timedelta(hours=38), extension_proposed_at=ctx.now - timedelta(hours=20),
                            court_decision_due=ctx.now + timedelta(hours=4))
        run = send(ctx, django_capture_on_commit_callbacks)
        assert rows(object_id=measure.pk) == {
            ("emergency_expiry", "before", ctx.world.csr_a.pk),
            ("emergency_expiry", "before", ctx.world.police_a.pk),
        }
        reminder = Reminder.objects.filter(object_id=measure.pk).first()
        assert reminder.due_at == measure.expires_at
        assert reminder.case_id == ctx.case.pk and reminder.municipality_id == ctx.world.mun_a.pk
        assert run.reminders_created == 2
        # csr caseworker + csr coordinator + police caseworker; never supervisors, officials, admins.
        recipients = {m.to[0] for m in mail.outbox}
        assert recipients == {
            ctx.worker.email,
            ctx.world.users[Role.COORDINATOR].email,
            ctx.world.users["police_caseworker"].email,
        }
        assert len(mail.outbox) == 3

        mail.outbox.clear()
        again = send(ctx, django_capture_on_commit_callbacks)
        assert again.reminders_created == 0 and again.emails_queued == 0
        assert mail.outbox == []
        assert Reminder.objects.filter(object_id=measure.pk).count() == 2

    def test_not_yet_within_12_hours(self, ctx, django_capture_on_commit_callbacks):
        emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                  delivered_at=ctx.now - timedelta(hours=30), extension_proposed_at=ctx.now - timedelta(hours=8),
                  court_decision_due=ctx.now + timedelta(hours=16))
        run = send(ctx, django_capture_on_commit_callbacks)
        assert run.reminders_created == 0 and mail.outbox == []

    def test_missing_proposal_is_overdue_also_for_the_prosecutor_on_the_team(self, ctx, django_capture_on_commit_callbacks):
        prosecutor = InstitutionFactory(municipality=ctx.world.mun_a, type=InstitutionType.PROSECUTOR, name="OJT Testgrad A")
        join(ctx.case, prosecutor, added_by=ctx.worker)
        deputy = member(Role.CASEWORKER, prosecutor)
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                            delivered_at=ctx.now - timedelta(hours=25))
        send(ctx, django_capture_on_commit_callbacks)
        assert rows(object_id=measure.pk) == {
            ("extension_proposal", "overdue", ctx.world.csr_a.pk),
            ("extension_proposal", "overdue", ctx.world.police_a.pk),
            ("extension_proposal", "overdue", prosecutor.pk),
        }
        assert deputy.email in {m.to[0] for m in mail.outbox}

    def test_overdue_court_decision(self, ctx, django_capture_on_commit_callbacks):
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                            delivered_at=ctx.now - timedelta(hours=47), extension_proposed_at=ctx.now - timedelta(hours=26),
                            court_decision_due=ctx.now - timedelta(hours=2))
        send(ctx, django_capture_on_commit_callbacks)
        kinds = {(k, s) for k, s, _i in rows(object_id=measure.pk)}
        assert kinds == {("court_decision", "overdue"), ("emergency_expiry", "before")}

    def test_decided_measure_has_no_overdue_decision(self, ctx, django_capture_on_commit_callbacks):
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                            delivered_at=ctx.now - timedelta(days=5), extension_proposed_at=ctx.now - timedelta(days=4),
                            court_decision_due=ctx.now - timedelta(days=3), court_decided_at=ctx.now - timedelta(days=3),
                            court_decision=CourtDecision.EXTENDED, extended_until=ctx.now + timedelta(days=27))
        run = send(ctx, django_capture_on_commit_callbacks)
        assert run.reminders_created == 0
        assert not Reminder.objects.filter(object_id=measure.pk).exists()

    def test_extension_ending_within_12_hours(self, ctx, django_capture_on_commit_callbacks):
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                            delivered_at=ctx.now - timedelta(days=32), extension_proposed_at=ctx.now - timedelta(days=31),
                            court_decision_due=ctx.now - timedelta(days=30), court_decided_at=ctx.now - timedelta(days=30),
                            court_decision=CourtDecision.EXTENDED, extended_until=ctx.now + timedelta(hours=6))
        send(ctx, django_capture_on_commit_callbacks)
        assert {k for k, _s, _i in rows(object_id=measure.pk)} == {"extension_expiry"}

    def test_then_the_overdue_stage_is_a_new_reminder(self, ctx, django_capture_on_commit_callbacks):
        measure = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                            delivered_at=ctx.now - timedelta(hours=23))
        assert send(ctx, django_capture_on_commit_callbacks).reminders_created == 0
        later = ctx.now + timedelta(hours=2)
        assert send(ctx, django_capture_on_commit_callbacks, now=later).reminders_created == 2
        assert send(ctx, django_capture_on_commit_callbacks, now=later + timedelta(minutes=15)).reminders_created == 0
        assert {s for _k, s, _i in rows(object_id=measure.pk)} == {"overdue"}


class TestEmail:
    def test_one_email_per_person_listing_items_without_personal_data(self, ctx, django_capture_on_commit_callbacks):
        ctx.worker.language = "en"
        ctx.worker.save(update_fields=["language"])
        emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=40),
                  extension_proposed_at=ctx.now - timedelta(hours=30), court_decision_due=ctx.now + timedelta(hours=1))
        p = plan(ctx.case, created_by=ctx.worker)
        plan_measure(p, owner=ctx.world.csr_a, deadline=timezone.localdate(ctx.now) - timedelta(days=1),
                     description="Smeštaj Jasmine Testović kod sestre")
        send(ctx, django_capture_on_commit_callbacks)
        mine = [m for m in mail.outbox if m.to == [ctx.worker.email]]
        assert len(mine) == 1
        body = mine[0].body
        assert mine[0].subject == "KZN platform: 2 deadlines need attention"
        assert body.count("TST-2026-00117") == 2
        assert "Emergency measure expires" in body and "Plan measure" in body and "overdue since" in body
        assert f"/cases/{ctx.case.pk}/" in body
        assert "&#x27;" not in body
        for personal in ("Jasmina", "Testović", "Testovi", "Smeštaj", "sestre"):
            assert personal not in body and personal not in mine[0].subject

    def test_restricted_case_only_to_assigned_staff(self, ctx, django_capture_on_commit_callbacks):
        ctx.case.is_restricted = True
        ctx.case.save(update_fields=["is_restricted"])
        assign(ctx.case, ctx.worker, institution=ctx.world.csr_a)
        emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=40),
                  extension_proposed_at=ctx.now - timedelta(hours=30), court_decision_due=ctx.now + timedelta(hours=1))
        run = send(ctx, django_capture_on_commit_callbacks)
        assert run.reminders_created == 2
        assert [m.to for m in mail.outbox] == [[ctx.worker.email]]


class TestPlanAndProtectiveMeasures:
    def test_plan_measures_due_within_two_days_or_overdue(self, at_each_moment, ctx, django_capture_on_commit_callbacks):
        today = timezone.localdate(ctx.now)
        p = plan(ctx.case, created_by=ctx.worker)
        soon = plan_measure(p, owner=ctx.world.police_a, deadline=today + timedelta(days=2))
        late = plan_measure(p, owner=ctx.world.csr_a, deadline=today - timedelta(days=3))
        later = plan_measure(p, owner=ctx.world.csr_a, deadline=today + timedelta(days=5))
        done = plan_measure(p, owner=ctx.world.csr_a, deadline=today - timedelta(days=1), status=PlanMeasureStatus.DONE)
        send(ctx, django_capture_on_commit_callbacks)
        assert rows(object_id=soon.pk, object_type="cases.planmeasure") == {("plan_measure", "before", ctx.world.police_a.pk)}
        assert rows(object_id=late.pk, object_type="cases.planmeasure") == {("plan_measure", "overdue", ctx.world.csr_a.pk)}
        assert not Reminder.objects.filter(object_type="cases.planmeasure", object_id__in=[later.pk, done.pk]).exists()
        assert {m.to[0] for m in mail.outbox} == {
            ctx.worker.email, ctx.world.users[Role.COORDINATOR].email, ctx.world.users["police_caseworker"].email,
        }

    def test_protective_measure_expiring_within_14_days(self, ctx, django_capture_on_commit_callbacks):
        today = timezone.localdate(ctx.now)
        ending = protective(ctx.case, recorded_by=ctx.worker, valid_from=today - timedelta(days=300),
                            valid_until=today + timedelta(days=10))
        far = protective(ctx.case, recorded_by=ctx.worker, valid_from=today - timedelta(days=300),
                         valid_until=today + timedelta(days=20))
        renewed = protective(ctx.case, recorded_by=ctx.worker, valid_from=today - timedelta(days=300),
                             valid_until=today + timedelta(days=5))
        protective(ctx.case, recorded_by=ctx.worker, valid_from=today + timedelta(days=6),
                   valid_until=today + timedelta(days=200), renewed_from=renewed)
        send(ctx, django_capture_on_commit_callbacks)
        assert rows(object_type="cases.protectivemeasure") == {("protective_expiry", "before", ctx.world.csr_a.pk)}
        assert Reminder.objects.get(object_type="cases.protectivemeasure").object_id == ending.pk
        assert far.pk != ending.pk

    def test_other_municipality_is_reminded_only_of_its_own(self, ctx, django_capture_on_commit_callbacks):
        worker_b = ctx.world.users["other_municipality"][Role.CASEWORKER]
        police_b = InstitutionFactory(municipality=ctx.world.mun_b, type=InstitutionType.POLICE, name="Policija Testgrad B")
        case_b = make_case(institution=ctx.world.csr_b, opened_by=worker_b)
        emergency(case_b, ordered_by=police_b, recorded_by=worker_b, delivered_at=ctx.now - timedelta(hours=40),
                  extension_proposed_at=ctx.now - timedelta(hours=30), court_decision_due=ctx.now + timedelta(hours=1))
        send(ctx, django_capture_on_commit_callbacks)
        assert set(Reminder.objects.values_list("municipality_id", flat=True)) == {ctx.world.mun_b.pk}
        assert {m.to[0] for m in mail.outbox} == {worker_b.email, ctx.world.users["other_municipality"][Role.COORDINATOR].email}
        assert case_b.number in mail.outbox[0].body


class TestTaskAndReading:
    def test_beat_task_calls_the_service(self, ctx):
        emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=40),
                  extension_proposed_at=ctx.now - timedelta(hours=30), court_decision_due=ctx.now + timedelta(hours=1))
        result = send_deadline_reminders.apply().get()
        assert result == {"reminders": 2, "emails": 3}
        assert send_deadline_reminders.apply().get() == {"reminders": 0, "emails": 0}

    def test_mark_read_by_the_institution_only(self, ctx, django_capture_on_commit_callbacks):
        from django.http import Http404

        emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=40),
                  extension_proposed_at=ctx.now - timedelta(hours=30), court_decision_due=ctx.now + timedelta(hours=1))
        send(ctx, django_capture_on_commit_callbacks)
        csr_reminder = Reminder.objects.get(institution=ctx.world.csr_a)
        with pytest.raises(Http404):
            reminder_mark_read(user=ctx.world.users["police_caseworker"], reminder=csr_reminder)
        with pytest.raises(Http404):
            reminder_mark_read(user=ctx.world.users["other_municipality"][Role.CASEWORKER], reminder=csr_reminder)
        read = reminder_mark_read(user=ctx.worker, reminder=csr_reminder)
        assert read.read_at is not None
        assert Reminder.objects.get(institution=ctx.world.police_a).read_at is None
