"""Invitation, update and cancellation e-mails with an iCalendar file, and the sending loop.

The e-mail says what kind of item, when, where (or the online link) and links to the item's page;
nothing about cases or persons. Each recipient gets one message addressed to them with an .ics naming
only their own address. The app records per invitee the calendar revision last sent
(``sent_sequence``), so a repeated task sends nothing twice.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .. import outbox
from . import ics
from .entry import CalendarEntry

SUBJECT_TEMPLATE = "core/emails/invitation_subject.txt"
BODY_TEMPLATE = "core/emails/invitation_body.txt"


@dataclass(frozen=True)
class Recipient:
    """One invitee as the sending loop sees it."""

    pk: int
    addresses: list[str]
    language: str = ""
    sent_sequence: int | None = None
    with_link: bool = True  # outside invitees cannot log in: no link to the page


def invitation_message(
    entry_in: Callable[[bool], CalendarEntry],
    *,
    recipients: list[str],
    language: str,
    cancel: bool = False,
    with_link: bool = True,
    subject_template: str = SUBJECT_TEMPLATE,
    body_template: str = BODY_TEMPLATE,
    extra_context: dict | None = None,
) -> EmailMultiAlternatives:
    """One invitation, update or cancellation e-mail with its .ics attachment (not sent).

    ``entry_in(with_link)`` builds the entry; it is called inside the recipient's language."""
    with translation.override(language or settings.LANGUAGE_CODE):
        entry = entry_in(with_link)
        cancelled = cancel or entry.cancelled
        context = {
            "entry": entry,
            "kind": entry.kind,
            "host": entry.host,
            "place": entry.place,
            "online_url": entry.online_url,
            "starts": timezone.localtime(entry.starts_at, ics.BELGRADE),
            "ends": timezone.localtime(entry.ends_at, ics.BELGRADE),
            "cancelled": cancelled,
            "removed": cancel and not entry.cancelled,
            "updated": not cancelled and entry.sequence > 0,
            "url": entry.url if with_link else "",
            **(extra_context or {}),
        }
        subject = render_to_string(subject_template, context).strip()
        body = render_to_string(body_template, context)
        attachment = ics.invitation_ics(entry, attendee=recipients[0], cancel=cancel)
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients)
    method = "CANCEL" if cancelled else "REQUEST"
    # Django adds the charset itself for a text attachment given as str.
    message.attach("invite.ics", attachment, f"text/calendar; method={method}")
    return message


def send_pending(
    entry_in: Callable[[bool], CalendarEntry],
    recipients: Iterable[Recipient],
    *,
    sequence: int,
    cancelled: bool,
    mark_sent: Callable[[int, int], None],
    **templates,
) -> int:
    """Send each recipient the current revision (``sequence``) unless they already had it; a
    recipient never told about a cancelled item is only marked. ``mark_sent(pk, sequence)`` records
    it per recipient, so a retry after a failure does not send twice. Returns the messages recorded in
    the outbox (apps/core/outbox.py), which delivers them after the commit."""
    sent = 0
    for recipient in recipients:
        if recipient.sent_sequence is not None and recipient.sent_sequence >= sequence:
            continue
        if recipient.sent_sequence is None and cancelled:
            mark_sent(recipient.pk, sequence)  # nothing to cancel
            continue
        if recipient.addresses:
            message = invitation_message(entry_in, recipients=recipient.addresses, language=recipient.language,
                                         with_link=recipient.with_link, **templates)
            # Recorded with the mark in one transaction: a retried task finds it sent and records nothing.
            sent += outbox.send_message(message, kind="calendar.invitation")
        mark_sent(recipient.pk, sequence)
    return sent


def send_cancel(entry_in: Callable[[bool], CalendarEntry], addresses: list[str], **templates) -> int:
    """Tell removed invitees that they are no longer expected: METHOD:CANCEL with the item's UID."""
    if not addresses:
        return 0
    message = invitation_message(entry_in, recipients=addresses, language=settings.LANGUAGE_CODE, cancel=True,
                                 with_link=False, **templates)
    return outbox.send_message(message, kind="calendar.cancellation")
