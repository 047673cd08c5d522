"""Invitations to events through the shared apps.core.calendar.invitations (the same sending as
meetings): each participant with an address gets the current revision once."""
from __future__ import annotations

from django.conf import settings

from apps.core.calendar import invitations as shared
from apps.core.crypto import decrypt

from .. import calendar
from ..choices import EventStatus
from ..models import Event, Participant

LANGUAGES = {"sr-latn": "sr-latn", "sr-cyrl": "sr-cyrl", "en": "en"}


def _recipient(participant: Participant) -> shared.Recipient:
    address = participant.user.email if participant.user_id else participant.email
    language = (getattr(participant.user, "language", "") if participant.user_id else participant.language)
    return shared.Recipient(pk=participant.pk, addresses=[address] if address else [],
                            language=language or settings.LANGUAGE_CODE, sent_sequence=participant.sent_sequence,
                            with_link=bool(participant.user_id))


def _mark(pk: int, sequence: int) -> None:
    Participant.objects.filter(pk=pk).update(sent_sequence=sequence)


def send_invitations(*, event_id: int, only_new: bool = False) -> int:
    """Send the event's invitations, updates or cancellation to participants lacking the revision."""
    event = Event.objects.select_related("municipality", "area").filter(pk=event_id).first()
    if event is None:
        return 0
    participants = Participant.objects.filter(event=event).select_related("user")
    if only_new:
        participants = participants.filter(sent_sequence__isnull=True)
    return shared.send_pending(
        lambda with_link: calendar.entry(event, with_link=with_link),
        (_recipient(p) for p in participants),
        sequence=event.sequence, cancelled=event.status == EventStatus.CANCELLED, mark_sent=_mark,
        **calendar.TEMPLATES,
    )


def send_uninvite(*, event_id: int, sealed: str, sequence: int) -> int:
    """Tell a removed participant that they are no longer expected (METHOD:CANCEL)."""
    event = Event.objects.select_related("municipality", "area").filter(pk=event_id).first()
    addresses = [a for a in decrypt(sealed).split("\n") if a]
    if event is None:
        return 0
    return shared.send_cancel(lambda with_link: calendar.entry(event, sequence=sequence, with_link=False),
                              addresses, **calendar.TEMPLATES)
