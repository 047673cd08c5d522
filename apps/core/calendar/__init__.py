"""Scheduling shared by every app that puts something in a calendar (meetings, programme events).

One implementation of: the iCalendar files (``ics``: invitations with METHOD:REQUEST, updates with a
rising SEQUENCE, cancellations with METHOD:CANCEL, the private feed with METHOD:PUBLISH), the
invitation e-mails with their .ics attachment and the "send each invitee the current revision once"
loop (``invitations``), and the registry of what the private calendar feed lists (``feed``).

An app describes one calendar item as a :class:`~apps.core.calendar.entry.CalendarEntry` (built in
the recipient's language) and its invitees through :class:`~apps.core.calendar.invitations.Recipient`;
nothing here knows meetings or events.
"""
