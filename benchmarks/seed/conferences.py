"""Generated case conferences: agendas, minutes, invitees and action items."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection

from apps.conferences.models import ActionItem, AgendaItem, Meeting, MeetingInvitee, Minutes
from apps.institutions.choices import InstitutionType
from apps.municipalities.choices import SizeClass

from .plan import BELGRADE


class ConferencesMixin:
    """The conference tables of ``Seeder``."""

    def _conferences(self) -> None:
        """Case conferences at each municipality's cadence over the years, with agendas (high-risk
        cases reported since the last one), minutes, invitees and action items, and one upcoming
        conference per municipality whose agenda is still to be prepared."""

        meetings = []
        for plan, mun in zip(self.plans, self.muns, strict=True):
            chair = self.coordinators[mun.pk][0]
            step = 1 if plan.size_class == SizeClass.LARGE else 2
            months = self.o.years * 12
            for k, back in enumerate(range(months, 0, -step)):
                year, month = divmod(self.anchor.month - 1 - back, 12)
                day = datetime(self.anchor.year + year, month + 1, 10, 10, 0, tzinfo=BELGRADE)
                meetings.append(
                    Meeting(
                        municipality=mun, title="", starts_at=day, ends_at=day + timedelta(hours=2),
                        place="Sala Primer", chair_id=chair, status="held", uid=f"skala-{plan.code}-{k}@kzn.example",
                        created_by_id=chair, created_at=day - timedelta(days=14), agenda_prepared_at=day - timedelta(days=1),
                    )
                )
            upcoming = self.anchor + timedelta(days=1 + plan.index % 6)
            meetings.append(
                Meeting(
                    municipality=mun, title="", starts_at=upcoming.replace(hour=10), ends_at=upcoming.replace(hour=12),
                    place="Sala Primer", chair_id=chair, status="scheduled", uid=f"skala-{plan.code}-next@kzn.example",
                    created_by_id=chair, created_at=self.anchor - timedelta(days=7),
                )
            )
        Meeting.objects.bulk_create(meetings, batch_size=2000)
        held = [m for m in meetings if m.status == "held"]
        self.step("case conferences", len(meetings))

        invitees = []
        for m in meetings:
            k = self.by_mun[m.municipality_id]
            for kind in (InstitutionType.CSR, InstitutionType.POLICE, InstitutionType.PROSECUTOR, InstitutionType.HEALTH_CENTRE):
                invitees.append(
                    MeetingInvitee(
                        municipality_id=m.municipality_id, meeting=m, institution=k[kind][0],
                        response="accepted" if m.status == "held" else "pending",
                        attended=True if m.status == "held" else None, created_at=m.created_at,
                    )
                )
        MeetingInvitee.objects.bulk_create(invitees, batch_size=5000)
        Minutes.objects.bulk_create(
            [
                Minutes(
                    municipality_id=m.municipality_id, meeting=m, status="approved", recorded_by_id=m.chair_id,
                    approved_by_id=m.chair_id, approved_at=m.ends_at + timedelta(days=1), general_notes="Primer zapisnika.",
                    created_at=m.ends_at,
                )
                for m in held
            ],
            batch_size=2000,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT mt.id, x.id, x.municipality_id, x.lead_institution_id, x.risk_level, x.rn
                FROM conferences_meeting mt
                CROSS JOIN LATERAL (
                  SELECT c.id, c.municipality_id, c.lead_institution_id, c.risk_level,
                         row_number() OVER (ORDER BY c.reported_at DESC) AS rn
                  FROM cases_case c
                  WHERE c.municipality_id = mt.municipality_id AND c.reported_at < mt.starts_at
                    AND c.reported_at >= mt.starts_at - interval '62 days' AND c.risk_level IN ('high', 'immediate')
                  ORDER BY c.reported_at DESC LIMIT 8
                ) x
                WHERE mt.id = ANY(%s)
                """,
                [[m.pk for m in held]],
            )
            rows = cursor.fetchall()
        by_id = {m.pk: m for m in held}
        items = [
            AgendaItem(
                municipality_id=mid, meeting_id=meeting_id, case_id=case_id, section="new", origin="automatic",
                position=rn, reason="Primer: visok rizik", presenter_id=lead, discussed=True,
                discussion="Primer sažetka rasprave.", decisions="Primer odluke.", risk_level=risk,
                created_at=by_id[meeting_id].created_at,
            )
            for meeting_id, case_id, mid, lead, risk, rn in rows
        ]
        AgendaItem.objects.bulk_create(items, batch_size=5000)
        self.step("agenda items", len(items))
        actions = []
        for item in items:
            if (item.pk * 7919) % 10 < 4:
                meeting = by_id[item.meeting_id]
                due = (meeting.starts_at + timedelta(days=14)).date()
                done = due < (self.anchor - timedelta(days=30)).date()
                actions.append(
                    ActionItem(
                        municipality_id=item.municipality_id, meeting_id=item.meeting_id, agenda_item=item,
                        case_id=item.case_id, description="Primer zadatka: kontakt sa žrtvom i izveštaj timu.",
                        owner_institution_id=item.presenter_id, due_on=due, status="done" if done else "open",
                        completed_at=meeting.starts_at + timedelta(days=10) if done else None,
                        created_by_id=meeting.chair_id, created_at=meeting.ends_at,
                    )
                )
        ActionItem.objects.bulk_create(actions, batch_size=5000)
        self.counts["conferences"] = len(meetings)
        self.counts["agenda items"] = len(items)
        self.counts["action items"] = len(actions)
        self.step("action items", len(actions))
