"""The supervisor's structured feedback on a meeting they supervise (one per supervisor, editable)."""
from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import MeetingStatus, Rating
from ..models import Meeting, SupervisionFeedback

RATING_FIELDS = ("preparation", "risk_focus", "participation", "victim_voice", "decisions")
TEXT_FIELDS = ("strengths", "improvements", "notes")


def supervised_meeting(user, meeting: Meeting | int) -> Meeting:
    """The meeting if ``user`` sees it and is its supervisor (Http404 for anyone else)."""
    pk = meeting.pk if isinstance(meeting, Meeting) else meeting
    found = Meeting.objects.visible_to(user).filter(pk=pk, supervisor_id=user.pk).first()
    if found is None:
        raise Http404("No meeting matches the given query.")
    return found


@transaction.atomic
def feedback_save(*, user, meeting: Meeting, **values) -> SupervisionFeedback:
    """Give (or revise) the supervisor's feedback: five ratings of 1-5 and free notes."""
    meeting = supervised_meeting(user, meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({NON_FIELD_ERRORS: [_("The meeting was cancelled.")]}, code="cancelled")
    if timezone.now() < meeting.starts_at:
        raise ValidationError({NON_FIELD_ERRORS: [_("Feedback can be given once the meeting has started.")]})
    errors = {}
    for name in RATING_FIELDS:
        value = values.get(name)
        try:
            value = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            value = None
        if value not in Rating.values:
            errors[name] = [_("Rate from 1 to 5.")]
        values[name] = value
    if errors:
        raise ValidationError(errors)
    feedback = SupervisionFeedback.objects.select_for_update().filter(meeting=meeting, supervisor=user).first()
    created = feedback is None
    if created:
        feedback = SupervisionFeedback(municipality_id=meeting.municipality_id, meeting=meeting, supervisor=user)
    for name in RATING_FIELDS:
        setattr(feedback, name, values[name])
    for name in TEXT_FIELDS:
        setattr(feedback, name, (values.get(name) or "").strip())
    feedback.full_clean()
    feedback.save()
    audit_log(action=AuditAction.CREATE if created else AuditAction.UPDATE, actor=user, obj=feedback,
              details={"meeting": meeting.pk})
    return feedback
