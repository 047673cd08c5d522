"""The work queue: what needs doing now, for the requesting user."""
from __future__ import annotations

from rest_framework import serializers


class CaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class CountdownSerializer(serializers.Serializer):
    seconds = serializers.IntegerField()
    overdue = serializers.BooleanField()


class QueueMeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="measure.pk")
    case = CaseRefSerializer(source="measure.case")
    kind = serializers.CharField(source="measure.kind")
    deadline_kind = serializers.CharField(source="deadline.kind")
    due = serializers.DateTimeField(source="deadline.due")
    countdown = CountdownSerializer()
    in_force_until = serializers.DateTimeField()
    missing_proposal = serializers.BooleanField()


class QueuePlanMeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="measure.pk")
    case = CaseRefSerializer(source="measure.case")
    description = serializers.CharField(source="measure.description")
    owner_institution = serializers.CharField(source="measure.owner_institution.name")
    due = serializers.DateTimeField(source="deadline.due")
    countdown = CountdownSerializer()


class QueueReferralSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = CaseRefSerializer()
    from_institution = serializers.IntegerField(source="from_institution_id")
    to_institution = serializers.IntegerField(source="to_institution_id")
    urgency = serializers.CharField()
    status = serializers.CharField()
    sent_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)


class QueueCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status = serializers.CharField()
    last_activity_at = serializers.DateTimeField()


class QueueReminderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = CaseRefSerializer()
    kind = serializers.CharField()
    due_at = serializers.DateTimeField()
    stage = serializers.CharField()


class WorkQueueSerializer(serializers.Serializer):
    """What needs doing now: expiring measures, overdue plan measures, referrals waiting for an
    answer, cases without activity for 30 days, unread reminders."""

    now = serializers.DateTimeField()
    expiring_measures = QueueMeasureSerializer(many=True)
    overdue_plan_measures = QueuePlanMeasureSerializer(many=True)
    waiting_referrals = QueueReferralSerializer(many=True)
    answered_referrals = QueueReferralSerializer(many=True)
    stale_cases = QueueCaseSerializer(many=True)
    unread_reminders = QueueReminderSerializer(many=True)
