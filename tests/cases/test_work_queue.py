"""The work queue: the right items for the right person, never another municipality's, in fixed queries."""
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from django.utils.text import Truncator

from apps.accounts.models import User
from apps.cases.choices import CaseStatus, CourtDecision, PlanMeasureStatus, ReferralStatus, ReferralUrgency
from apps.cases.deadlines import DeadlineKind
from apps.cases.models import Case, Referral
from apps.cases.selectors.work_queue import work_queue_for
from apps.cases.services.referrals import referral_accept
from apps.cases.services.reminders import deadline_reminders_send
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.institutions.choices import InstitutionType
from tests.factories import InstitutionFactory, member

from .factories_measures import assign, emergency, join, make_case, plan, plan_measure


def fresh(user):
    """The user as a new request loads them (nothing cached)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def ctx(world):
    worker = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker)
    join(case, world.police_a, added_by=worker)
    worker_b = world.users["other_municipality"][Role.CASEWORKER]
    police_b = InstitutionFactory(municipality=world.mun_b, type=InstitutionType.POLICE, name="Policija Testgrad B")
    case_b = make_case(institution=world.csr_b, opened_by=worker_b)
    safe_house = InstitutionFactory(municipality=world.mun_b, type=InstitutionType.SAFE_HOUSE, name="Sigurna kuća Testgrad B")
    return SimpleNamespace(
        world=world, worker=worker, case=case, worker_b=worker_b, police_b=police_b, case_b=case_b,
        safe_house=safe_house, shelter_worker=member(Role.CASEWORKER, safe_house), now=timezone.now(),
    )


def referral(ctx, case, to_institution, *, sent_by, status=ReferralStatus.SENT, **fields):
    return Referral.objects.create(
        municipality=case.municipality, case=case, from_institution=case.lead_institution, to_institution=to_institution,
        to_municipality_id=to_institution.municipality_id, reason="Testni razlog", urgency=ReferralUrgency.URGENT,
        status=status, sent_by=sent_by, sent_at=fields.pop("sent_at", ctx.now - timedelta(hours=2)), **fields,
    )


class TestEmergencyMeasures:
    def test_expiring_and_missing_proposal(self, at_each_moment, ctx):
        police = ctx.world.police_a
        missing = emergency(ctx.case, ordered_by=police, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=5))
        expiring = emergency(ctx.case, ordered_by=police, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=40),
                             extension_proposed_at=ctx.now - timedelta(hours=30), court_decision_due=ctx.now - timedelta(hours=6),
                             court_decided_at=ctx.now - timedelta(hours=7), court_decision=CourtDecision.REJECTED)
        extended_far = emergency(ctx.case, ordered_by=police, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(days=5),
                                 extension_proposed_at=ctx.now - timedelta(days=4), court_decision=CourtDecision.EXTENDED,
                                 court_decided_at=ctx.now - timedelta(days=4), extended_until=ctx.now + timedelta(days=26))
        extended_ending = emergency(ctx.case, ordered_by=police, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(days=32),
                                    extension_proposed_at=ctx.now - timedelta(days=31), court_decision=CourtDecision.EXTENDED,
                                    court_decided_at=ctx.now - timedelta(days=30), extended_until=ctx.now + timedelta(hours=20))
        expired = emergency(ctx.case, ordered_by=police, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=50))
        queue = work_queue_for(fresh(ctx.worker), now=ctx.now)
        items = {item.measure.pk: item for item in queue.expiring_measures}
        assert set(items) == {missing.pk, expiring.pk, extended_ending.pk}
        assert extended_far.pk not in items and expired.pk not in items

        assert items[missing.pk].missing_proposal
        assert items[missing.pk].deadline.kind == DeadlineKind.EXTENSION_PROPOSAL
        assert items[missing.pk].countdown.seconds == pytest.approx(19 * 3600, abs=2)
        assert items[expiring.pk].deadline.kind == DeadlineKind.EMERGENCY_EXPIRY
        assert items[expiring.pk].countdown.seconds == pytest.approx(8 * 3600, abs=2)
        assert not items[expiring.pk].countdown.overdue
        assert items[extended_ending.pk].deadline.kind == DeadlineKind.EXTENSION_EXPIRY
        # Most urgent first.
        assert [i.measure.pk for i in queue.expiring_measures] == [expiring.pk, missing.pk, extended_ending.pk]

    def test_overdue_proposal_shows_negative_countdown(self, ctx):
        m = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=26))
        (item,) = work_queue_for(fresh(ctx.worker), now=ctx.now).expiring_measures
        assert item.measure.pk == m.pk
        assert item.countdown.overdue and item.countdown.seconds < 0

    def test_another_municipality_measures_never_appear(self, ctx):
        emergency(ctx.case_b, ordered_by=ctx.police_b, recorded_by=ctx.worker_b, delivered_at=ctx.now - timedelta(hours=5))
        for user in (ctx.worker, ctx.world.users[Role.COORDINATOR], ctx.world.users["police_caseworker"]):
            assert work_queue_for(fresh(user), now=ctx.now).expiring_measures == []
        mine = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=5))
        coordinator_b = ctx.world.users["other_municipality"][Role.COORDINATOR]
        assert [i.measure.case_id for i in work_queue_for(fresh(coordinator_b), now=ctx.now).expiring_measures] == [ctx.case_b.pk]
        assert [i.measure.pk for i in work_queue_for(fresh(ctx.world.users[Role.COORDINATOR]), now=ctx.now).expiring_measures] == [mine.pk]

    def test_restricted_case_only_for_assigned_staff(self, ctx):
        restricted = make_case(institution=ctx.world.csr_a, opened_by=ctx.worker, is_restricted=True)
        emergency(restricted, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=5))
        colleague = member(Role.CASEWORKER, ctx.world.csr_a)
        assert work_queue_for(fresh(colleague), now=ctx.now).expiring_measures == []
        assign(restricted, colleague, institution=ctx.world.csr_a)
        assert len(work_queue_for(fresh(colleague), now=ctx.now).expiring_measures) == 1

    def test_officials_and_anonymous_get_nothing(self, ctx):
        from django.contrib.auth.models import AnonymousUser

        emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=5))
        assert work_queue_for(fresh(ctx.world.users[Role.OFFICIAL]), now=ctx.now).total == 0
        assert work_queue_for(AnonymousUser(), now=ctx.now).total == 0
        assert work_queue_for(ctx.world.platform_admin, now=ctx.now).total == 0


class TestPlanMeasures:
    def test_overdue_measures_owned_by_my_institution(self, at_each_moment, ctx):
        today = timezone.localdate(ctx.now)
        p = plan(ctx.case, created_by=ctx.worker, adopted_at=today - timedelta(days=30))
        mine = plan_measure(p, owner=ctx.world.csr_a, deadline=today - timedelta(days=2))
        police = plan_measure(p, owner=ctx.world.police_a, deadline=today - timedelta(days=1))
        plan_measure(p, owner=ctx.world.csr_a, deadline=today)
        plan_measure(p, owner=ctx.world.csr_a, deadline=today - timedelta(days=5), status=PlanMeasureStatus.DONE)
        queue = work_queue_for(fresh(ctx.worker), now=ctx.now)
        assert [i.measure.pk for i in queue.overdue_plan_measures] == [mine.pk]
        assert queue.overdue_plan_measures[0].countdown.overdue
        police_queue = work_queue_for(fresh(ctx.world.users["police_caseworker"]), now=ctx.now)
        assert [i.measure.pk for i in police_queue.overdue_plan_measures] == [police.pk]

    def test_across_municipalities_in_deadline_order(self, ctx):
        """A shared case from another municipality: its measures interleave by deadline with the
        home municipality's (one ordered branch per municipality), and nothing unshared shows."""
        today = timezone.localdate(ctx.now)
        shared = referral(ctx, ctx.case, ctx.safe_house, sent_by=ctx.worker)
        referral_accept(user=fresh(ctx.shelter_worker), referral=shared)
        join(ctx.case_b, ctx.safe_house, added_by=ctx.worker_b)
        home, away = plan(ctx.case_b, created_by=ctx.worker_b), plan(ctx.case, created_by=ctx.worker)
        b3 = plan_measure(home, owner=ctx.safe_house, deadline=today - timedelta(days=3))
        a2 = plan_measure(away, owner=ctx.safe_house, deadline=today - timedelta(days=2))
        b1 = plan_measure(home, owner=ctx.safe_house, deadline=today - timedelta(days=1))
        a5 = plan_measure(away, owner=ctx.safe_house, deadline=today - timedelta(days=5))
        unshared = make_case(institution=ctx.world.csr_a, opened_by=ctx.worker)
        plan_measure(plan(unshared, created_by=ctx.worker), owner=ctx.safe_house, deadline=today - timedelta(days=4))
        queue = work_queue_for(fresh(ctx.shelter_worker), now=ctx.now)
        assert [i.measure.pk for i in queue.overdue_plan_measures] == [a5.pk, b3.pk, a2.pk, b1.pk]
        assert {i.measure.case.number for i in queue.overdue_plan_measures} == {ctx.case.number, ctx.case_b.number}


class TestReferrals:
    def test_waiting_for_my_institution_even_from_another_municipality(self, at_each_moment, ctx):
        waiting = referral(ctx, ctx.case, ctx.safe_house, sent_by=ctx.worker)
        referral(ctx, ctx.case_b, ctx.police_b, sent_by=ctx.worker_b)
        shelter = work_queue_for(fresh(ctx.shelter_worker), now=ctx.now)
        assert [r.pk for r in shelter.waiting_referrals] == [waiting.pk]
        # The case itself is not shared before the answer.
        assert not Case.objects.visible_to(fresh(ctx.shelter_worker)).filter(pk=ctx.case.pk).exists()
        assert work_queue_for(fresh(ctx.worker), now=ctx.now).waiting_referrals == []
        assert work_queue_for(fresh(ctx.worker_b), now=ctx.now).waiting_referrals == []

    def test_answered_referral_tells_the_sender(self, ctx):
        waiting = referral(ctx, ctx.case, ctx.safe_house, sent_by=ctx.worker)
        referral_accept(user=fresh(ctx.shelter_worker), referral=waiting)
        assert work_queue_for(fresh(ctx.shelter_worker), now=timezone.now()).waiting_referrals == []
        sender = work_queue_for(fresh(ctx.worker), now=timezone.now())
        assert [r.pk for r in sender.answered_referrals] == [waiting.pk]
        assert sender.answered_referrals[0].status == ReferralStatus.ACCEPTED


class TestStaleCasesAndReminders:
    def test_my_assigned_cases_without_activity_for_30_days(self, at_each_moment, ctx):
        old = ctx.now - timedelta(days=31)
        assign(ctx.case, ctx.worker, institution=ctx.world.csr_a)
        Case.objects.filter(pk=ctx.case.pk).update(last_activity_at=old)
        not_mine = make_case(institution=ctx.world.csr_a, opened_by=ctx.world.users[Role.COORDINATOR])
        Case.objects.filter(pk=not_mine.pk).update(last_activity_at=old)
        closed = make_case(institution=ctx.world.csr_a, opened_by=ctx.worker, status=CaseStatus.CLOSED)
        assign(closed, ctx.worker, institution=ctx.world.csr_a)
        Case.objects.filter(pk=closed.pk).update(last_activity_at=old)
        recent = make_case(institution=ctx.world.csr_a, opened_by=ctx.worker)
        assign(recent, ctx.worker, institution=ctx.world.csr_a)
        Case.objects.filter(pk=recent.pk).update(last_activity_at=ctx.now - timedelta(days=29))
        assert [c.pk for c in work_queue_for(fresh(ctx.worker), now=ctx.now).stale_cases] == [ctx.case.pk]

    def test_unread_reminders_of_my_institution(self, ctx):
        emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=40),
                  extension_proposed_at=ctx.now - timedelta(hours=30), court_decision_due=ctx.now + timedelta(hours=1))
        deadline_reminders_send(now=ctx.now)
        (reminder,) = work_queue_for(fresh(ctx.worker), now=ctx.now).unread_reminders
        assert reminder.institution_id == ctx.world.csr_a.pk
        (police_reminder,) = work_queue_for(fresh(ctx.world.users["police_caseworker"]), now=ctx.now).unread_reminders
        assert police_reminder.institution_id == ctx.world.police_a.pk
        assert work_queue_for(fresh(ctx.worker_b), now=ctx.now).unread_reminders == []


def populate(ctx, n: int) -> None:
    """n items in every group of the CSR caseworker's queue."""
    today = timezone.localdate(ctx.now)
    for _i in range(n):
        case = make_case(institution=ctx.world.csr_a, opened_by=ctx.worker)
        assign(case, ctx.worker, institution=ctx.world.csr_a)
        emergency(case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=5))
        p = plan(case, created_by=ctx.worker, adopted_at=today - timedelta(days=20))
        plan_measure(p, owner=ctx.world.csr_a, deadline=today - timedelta(days=1))
        referral(ctx, ctx.case_b, ctx.world.csr_a, sent_by=ctx.worker_b)
        referral(ctx, case, ctx.safe_house, sent_by=ctx.worker, status=ReferralStatus.DECLINED,
                 answered_at=ctx.now - timedelta(hours=1), decline_reason="Testni razlog")
        Case.objects.filter(pk=case.pk).update(last_activity_at=ctx.now - timedelta(days=40))
    deadline_reminders_send(now=ctx.now)


@pytest.mark.parametrize("n", [1, 12])
def test_fixed_number_of_queries(ctx, n, django_assert_max_num_queries):
    populate(ctx, n)
    user = fresh(ctx.worker)
    # 1 for the access context + 5 lists of candidates + 1 visibility check of their cases + the waiting
    # referrals + 1 list per registered section (conference action items) + 1 audit INSERT.
    with django_assert_max_num_queries(11):
        queue = work_queue_for(user, now=ctx.now)
        for item in queue.expiring_measures:
            assert item.case.number and item.measure.ordered_by.name
        for item in queue.overdue_plan_measures:
            assert item.case.number and item.measure.owner_institution.name
        for r in queue.waiting_referrals + queue.answered_referrals:
            assert r.case.number and r.to_institution.name
        for c in queue.stale_cases:
            assert c.lead_institution.name
        for reminder in queue.unread_reminders:
            assert reminder.case.number and reminder.institution.name
    assert len(queue.expiring_measures) == n
    assert len(queue.overdue_plan_measures) == n
    assert len(queue.waiting_referrals) == n
    assert len(queue.answered_referrals) == n
    assert len(queue.stale_cases) == n
    assert len(queue.unread_reminders) == n  # the overdue plan measures (the measures' deadlines are not near yet)
    audited = AuditEntry.objects.filter(actor=ctx.worker, action=AuditAction.VIEW, details__view="work_queue")
    assert audited.count() == len({c.pk for c in queue.cases()}) == n + 1  # n own cases + the referred one


def test_the_badge_macro_writes_the_countdown_markup():
    """One macro writes every deadline badge: a live one carries what the page script needs, a done one
    only its text; texts are escaped; no badge writes nothing (Latin, Cyrillic and English)."""
    from django.template import Context, Template
    from django.utils import translation

    from apps.cases.templatetags.deadline_badges import deadline_badge
    from apps.cases.views.deadline_rows import countdown_badge, done_badge, short

    now = timezone.now()
    for language in ("sr-latn", "sr-cyrl", "en"):
        with translation.override(language):
            live = countdown_badge(now + timedelta(hours=5), now, DeadlineKind.EMERGENCY_EXPIRY, mode="expires")
            markup = str(deadline_badge(live))
            assert markup.startswith('<span class="badge badge-warn" data-countdown data-due="')
            assert f'title="{short(live.due)}"' in markup and f">{live.text}</span>" in markup
            assert f'data-f-hm="{live.units["hm"]}"' in markup and 'data-warn="43200"' in markup
            overdue = countdown_badge(now - timedelta(hours=30), now, DeadlineKind.PLAN_MEASURE)
            assert str(deadline_badge(overdue)).startswith('<span class="badge badge-err" data-countdown')
    assert str(deadline_badge(done_badge("Izvršeno <b>"))) == '<span class="badge badge-ok">Izvršeno &lt;b&gt;</span>'
    assert str(deadline_badge(done_badge("bez boje", ""))) == '<span class="badge">bez boje</span>'
    assert str(deadline_badge(None)) == ""
    # The Django templates of the case pages use the same macro.
    rendered = Template("{% load deadline_badges %}{{ b|deadline_badge }}").render(Context({"b": overdue}))
    assert rendered == str(deadline_badge(overdue))


def test_page_writer_matches_the_shared_helpers():
    """The work queue page formats its rows with phrases and formats resolved once per page: the same
    badges as ``countdown_badge(...)`` and the same text as ``short``, ``format_duration`` and
    ``referral_wait_text``."""
    from django.utils import translation

    from apps.cases.templatetags.deadline_badges import deadline_badge
    from apps.cases.views.deadline_rows import countdown_badge, format_duration, referral_wait_text, short
    from apps.cases.views.work_queue import _QueueWriter, _truncated

    now = timezone.now()
    offsets = [timedelta(seconds=s) for s in (-200000, -86400, -7200, -3600, -59, 0, 30, 60, 3600, 5400, 86400, 90000, 400000)]
    kinds = [
        (DeadlineKind.EMERGENCY_EXPIRY, "expires", "badge-err"), (DeadlineKind.EXTENSION_EXPIRY, "expires", ""),
        (DeadlineKind.PLAN_MEASURE, "due", "badge-err"), (DeadlineKind.COURT_DECISION, "due", "badge-err"),
    ]
    answered = Referral(status=ReferralStatus.ACCEPTED, sent_at=now - timedelta(hours=30), answered_at=now - timedelta(hours=2))
    sent = Referral(status=ReferralStatus.SENT, sent_at=now - timedelta(minutes=95))
    declined = Referral(status=ReferralStatus.DECLINED, sent_at=now - timedelta(days=3))
    for language in ("sr-latn", "sr-cyrl", "en"):
        with translation.override(language):
            writer = _QueueWriter(now)
            for offset in offsets:
                due = now + offset
                for kind, mode, past_css in kinds:
                    expected = deadline_badge(countdown_badge(due, now, kind, mode=mode, past_css=past_css))
                    assert deadline_badge(writer.badge(due, kind, mode=mode, past_css=past_css)) == expected
                assert writer.short(due) == short(due)
                assert writer.short(due.date()) == short(due.date())
                assert writer.duration(offset.total_seconds()) == format_duration(offset.total_seconds())
            assert writer.short(None) == ""
            for r in (answered, sent, declined):
                assert writer.wait(r) == referral_wait_text(r, now)[0]
    text = "Plan <b>mere</b> " * 20
    assert _truncated(text, 120) == Truncator(text).chars(120) and _truncated("kratko", 120) == "kratko"


class TestCandidatesThenOneVisibilityCheck:
    """Each list reads candidates by its own condition; one statement keeps the visible cases' rows."""

    def _restricted(self, ctx):
        case = make_case(institution=ctx.world.csr_a, opened_by=ctx.world.users[Role.COORDINATOR])
        Case.objects.filter(pk=case.pk).update(is_restricted=True)
        return case

    def test_restricted_case_of_my_institution_never_shows(self, ctx):
        today = timezone.localdate(ctx.now)
        hidden = self._restricted(ctx)
        emergency(hidden, ordered_by=ctx.world.police_a, recorded_by=ctx.worker, delivered_at=ctx.now - timedelta(hours=5))
        plan_measure(plan(hidden, created_by=ctx.worker), owner=ctx.world.csr_a, deadline=today - timedelta(days=3))
        referral(ctx, hidden, ctx.safe_house, sent_by=ctx.worker, status=ReferralStatus.DECLINED,
                 answered_at=ctx.now - timedelta(hours=1), decline_reason="Testni razlog")
        deadline_reminders_send(now=ctx.now)
        shown = emergency(ctx.case, ordered_by=ctx.world.police_a, recorded_by=ctx.worker,
                          delivered_at=ctx.now - timedelta(hours=5))
        queue = work_queue_for(fresh(ctx.worker), now=ctx.now)
        assert not Case.objects.visible_to(fresh(ctx.worker)).filter(pk=hidden.pk).exists()
        assert hidden.pk not in {c.pk for c in queue.cases()}
        assert [i.measure.pk for i in queue.expiring_measures] == [shown.pk]
        # Assigned, the restricted case is the user's and its rows show.
        assign(hidden, ctx.worker, institution=ctx.world.csr_a)
        queue = work_queue_for(fresh(ctx.worker), now=ctx.now)
        assert hidden.pk in {i.measure.case_id for i in queue.expiring_measures}
        assert hidden.pk in {i.measure.case_id for i in queue.overdue_plan_measures}
        assert hidden.pk in {r.case_id for r in queue.answered_referrals}

    def test_case_shared_by_grant_shows(self, ctx):
        today = timezone.localdate(ctx.now)
        shared = referral(ctx, ctx.case, ctx.safe_house, sent_by=ctx.worker)
        referral_accept(user=fresh(ctx.shelter_worker), referral=shared)
        measure = plan_measure(plan(ctx.case, created_by=ctx.worker), owner=ctx.safe_house, deadline=today - timedelta(days=1))
        unshared = make_case(institution=ctx.world.csr_a, opened_by=ctx.worker)
        plan_measure(plan(unshared, created_by=ctx.worker), owner=ctx.safe_house, deadline=today - timedelta(days=2))
        queue = work_queue_for(fresh(ctx.shelter_worker), now=ctx.now)
        assert [i.measure.pk for i in queue.overdue_plan_measures] == [measure.pk]

    def test_a_full_page_that_lost_rows_reads_on(self, ctx, monkeypatch, django_assert_max_num_queries):
        """Candidates come in batches of twice the page; when invisible cases fill the first batch the
        list reads on after its last candidate, so the visible rows behind them still show."""
        from apps.cases.selectors import work_queue

        monkeypatch.setattr(work_queue, "LIMIT", 2)
        today = timezone.localdate(ctx.now)
        for days in (20, 19, 18, 17, 16):  # five hidden rows first: more than a batch of four
            plan_measure(plan(self._restricted(ctx), created_by=ctx.worker), owner=ctx.world.csr_a,
                         deadline=today - timedelta(days=days))
        p = plan(ctx.case, created_by=ctx.worker)
        visible = [plan_measure(p, owner=ctx.world.csr_a, deadline=today - timedelta(days=d)) for d in (10, 9, 8)]
        user = fresh(ctx.worker)
        user.access.institution_ids()
        with django_assert_max_num_queries(14):
            queue = work_queue_for(user, now=ctx.now, audit=False)
        assert [i.measure.pk for i in queue.overdue_plan_measures] == [visible[0].pk, visible[1].pk]
        # Fewer hidden rows than a batch: no second read, the same result.
        monkeypatch.setattr(work_queue, "LIMIT", 3)
        queue = work_queue_for(fresh(ctx.worker), now=ctx.now, audit=False)
        assert [i.measure.pk for i in queue.overdue_plan_measures] == [v.pk for v in visible]

    def test_visible_case_ids_is_the_visible_to_rule(self, ctx, world):
        from apps.cases.selectors.work_queue import visible_case_ids

        restricted = self._restricted(ctx)
        assigned_restricted = self._restricted(ctx)
        assign(assigned_restricted, ctx.worker, institution=ctx.world.csr_a)
        shared = referral(ctx, ctx.case, ctx.safe_house, sent_by=ctx.worker)
        referral_accept(user=fresh(ctx.shelter_worker), referral=shared)
        ended = make_case(institution=ctx.world.police_a, opened_by=ctx.world.users["police_caseworker"])
        join(ended, ctx.world.csr_a, added_by=ctx.worker)
        ended.participants.filter(institution=ctx.world.csr_a).update(ended_at=ctx.now)
        police_led = make_case(institution=ctx.world.police_a, opened_by=ctx.world.users["police_caseworker"])
        join(police_led, ctx.world.csr_a, added_by=ctx.worker)
        ids = list(Case.objects.values_list("pk", flat=True))
        assert {restricted.pk, assigned_restricted.pk, ended.pk, police_led.pk, ctx.case.pk, ctx.case_b.pk} <= set(ids)
        users = [ctx.worker, ctx.worker_b, ctx.shelter_worker, world.platform_admin,
                 *[u for u in world.users.values() if isinstance(u, User)],
                 *world.users["other_municipality"].values()]
        seen = 0
        for user in users:
            expected = set(Case.objects.visible_to(fresh(user)).filter(pk__in=ids).values_list("pk", flat=True))
            assert visible_case_ids(fresh(user), ids) == expected, user
            seen += bool(expected)
        assert seen >= 4
        assert ctx.case.pk in visible_case_ids(fresh(ctx.shelter_worker), ids)
        assert restricted.pk not in visible_case_ids(fresh(ctx.worker), ids)
        assert assigned_restricted.pk in visible_case_ids(fresh(ctx.worker), ids)
