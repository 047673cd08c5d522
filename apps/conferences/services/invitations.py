"""Invitation e-mails with an iCalendar file, and private calendar feeds.

The e-mail says what kind of meeting, when, where (or the online link) and links to the meeting
page; nothing about cases or persons. Each invitee gets one message addressed to them, with an
.ics naming only their own address. ``MeetingInvitee.sent_sequence`` records the calendar revision
an invitee was last sent, so a repeated task sends nothing twice.
"""
from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.calendar import invitations as shared
from apps.core.choices import AuditAction
from apps.core.crypto import decrypt, keyed_hash

from .. import ics
from ..choices import MeetingStatus
from ..models import CalendarFeed, Meeting, MeetingInvitee

logger = logging.getLogger(__name__)
MAX_FEEDS = 10


def invitee_recipients(invitee: MeetingInvitee) -> list[str]:
    """The e-mail addresses an invitation to this invitee goes to."""
    if invitee.user_id:
        return [invitee.user.email] if invitee.user.email else []
    if invitee.institution_id:
        return [invitee.institution.email] if invitee.institution.email else []
    return [invitee.email] if invitee.email else []


def _language_for(invitee: MeetingInvitee | None) -> str:
    user = getattr(invitee, "user", None) if invitee is not None else None
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


TEMPLATES = {
    "subject_template": "conferences/emails/invitation_subject.txt",
    "body_template": "conferences/emails/invitation_body.txt",
}


def _entry_in(meeting: Meeting, *, sequence: int | None = None):
    """The meeting as a calendar entry, built in the recipient's language by the shared sender."""
    return lambda with_link: ics.entry(meeting, sequence=sequence, with_link=with_link)


def invitation_message(meeting: Meeting, *, recipients: list[str], language: str, cancel: bool = False,
                       sequence: int | None = None, with_link: bool = True) -> EmailMultiAlternatives:
    """One invitation, update or cancellation e-mail with its .ics attachment (not sent); built by
    the shared apps.core.calendar.invitations."""
    return shared.invitation_message(_entry_in(meeting, sequence=sequence), recipients=recipients, language=language,
                                     cancel=cancel, with_link=with_link, extra_context={"meeting": meeting},
                                     **TEMPLATES)


def _mark_sent(pk: int, sequence: int) -> None:
    MeetingInvitee.objects.filter(pk=pk).update(sent_sequence=sequence)


def send_invitations(*, meeting_id: int, only_new: bool = False) -> int:
    """Send each invitee the current revision if they have not had it (only never-sent ones with
    ``only_new``); returns the number of messages sent."""
    meeting = Meeting.objects.select_related("municipality", "area").filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    invitees = MeetingInvitee.objects.filter(meeting=meeting).select_related("user", "institution")
    if only_new:
        invitees = invitees.filter(sent_sequence__isnull=True)
    recipients = (
        shared.Recipient(pk=invitee.pk, addresses=invitee_recipients(invitee), language=_language_for(invitee),
                         sent_sequence=invitee.sent_sequence,
                         with_link=bool(invitee.user_id or invitee.institution_id))
        for invitee in invitees
    )
    return shared.send_pending(_entry_in(meeting), recipients, sequence=meeting.sequence,
                               cancelled=meeting.status == MeetingStatus.CANCELLED, mark_sent=_mark_sent,
                               extra_context={"meeting": meeting}, **TEMPLATES)


def send_uninvite(*, meeting_id: int, sealed: str, sequence: int) -> int:
    """Tell a removed invitee (addresses sealed with apps.core.crypto.encrypt) that they are no
    longer expected: METHOD:CANCEL with the meeting's UID."""
    meeting = Meeting.objects.select_related("municipality", "area").filter(pk=meeting_id).first()
    recipients = [a for a in decrypt(sealed).split("\n") if a]
    if meeting is None or not recipients:
        return 0
    return shared.send_cancel(_entry_in(meeting, sequence=sequence), recipients,
                              extra_context={"meeting": meeting}, **TEMPLATES)


# --- calendar feeds --------------------------------------------------------------------------


@transaction.atomic
def feed_create(*, user, name: str = "") -> tuple[CalendarFeed, str]:
    """A new private feed; returns the row and the token, which is shown once and never stored."""
    if not user.is_authenticated:
        raise Http404
    if CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_FEEDS:
        raise ValidationError({"name": [_("You have %(n)s active feeds; revoke one first.") % {"n": MAX_FEEDS}]})
    if len(name or "") > 80:
        raise ValidationError({"name": [_("Keep the name under 80 characters.")]})
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user=user, name=(name or "").strip(), token_hash=keyed_hash(token), token_hint=token[:6])
    feed.full_clean()
    feed.save()
    audit_log(action=AuditAction.API_TOKEN, actor=user, obj=feed, details={"calendar_feed": True})
    return feed, token


@transaction.atomic
def feed_revoke(*, user, feed_id: int) -> CalendarFeed:
    """Revoke one of the user's feeds (its address answers 404 from now on)."""
    feed = CalendarFeed.objects.select_for_update().filter(pk=feed_id, user_id=user.pk, revoked_at__isnull=True).first()
    if feed is None:
        raise Http404
    feed.revoked_at = timezone.now()
    feed.save(update_fields=["revoked_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=feed, details={"revoked": True})
    return feed


def feed_for_token(token: str) -> CalendarFeed | None:
    """The active feed with this token (of an active user), or None."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=keyed_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
