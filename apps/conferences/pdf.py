"""The minutes as a PDF (WeasyPrint), in the reader's language and script.

Parts about cases the reader may not see (``AgendaItem.objects.visible_to(reader)``) are replaced by
a line saying so. Fonts are the system's DejaVu (full Latin and Cyrillic); nothing is fetched from
the network: the URL fetcher refuses every remote URL.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlparse

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from apps.cases.choices import RiskLevel

from .choices import AgendaSection, InviteeRole
from .models import ActionItem, AgendaItem, Meeting, MeetingInvitee, Minutes, MinutesAmendment

LOCAL_SCHEMES = {"file", "data"}


class RemoteFetchRefused(ValueError):
    """A template asked for a remote resource; the minutes never leave the server to fetch one."""


def check_local(url: str) -> None:
    """Refuse every URL that is not a local file or a data: URL."""
    if urlparse(url).scheme.lower() not in LOCAL_SCHEMES:
        raise RemoteFetchRefused("Remote resources are not fetched when rendering a PDF.")


class LocalURLFetcher(URLFetcher):
    """WeasyPrint's fetcher that refuses remote URLs before fetching anything."""

    def fetch(self, url, headers=None):
        check_local(url)
        return super().fetch(url, headers)


def local_url_fetcher() -> LocalURLFetcher:
    """WeasyPrint's fetcher limited to local files and data: URLs."""
    return LocalURLFetcher(allowed_protocols=tuple(LOCAL_SCHEMES), allow_redirects=False)


@dataclass
class ItemPart:
    """One case's part of the minutes as one reader may see it."""

    item: AgendaItem
    visible: bool
    number: int
    actions: list[ActionItem] = field(default_factory=list)
    amendments: list[MinutesAmendment] = field(default_factory=list)

    @property
    def risk_label(self) -> str:
        """The decided risk level in the reader's language."""
        return str(dict(RiskLevel.choices).get(self.item.risk_level, self.item.risk_level))


@dataclass
class MinutesDocument:
    """Everything the minutes page and the PDF show to one reader."""

    meeting: Meeting
    minutes: Minutes | None
    sections: list[tuple[str, list[ItemPart]]]
    attendees: list[dict]
    general_amendments: list[MinutesAmendment]
    visible_cases: list

    @property
    def parts(self) -> list[ItemPart]:
        return [p for _label, parts in self.sections for p in parts]


def invitee_label(invitee: MeetingInvitee, language: str | None = None) -> str:
    """How an invitee appears in the minutes: staff by name and institution; an outside person by
    role only (a victim's name never appears in the minutes)."""
    if invitee.role in (InviteeRole.VICTIM, InviteeRole.REPRESENTATIVE):
        return str(invitee.get_role_display())
    parts = []
    if invitee.user_id:
        parts.append(invitee.user.get_full_name() or invitee.user.email)
    if invitee.institution_id:
        parts.append(invitee.institution.display_name())
    if not parts:
        parts.append(str(invitee.get_role_display()))
    return ", ".join(parts)


def minutes_document(meeting: Meeting, reader) -> MinutesDocument:
    """The minutes of ``meeting`` as ``reader`` may see them (a fixed number of queries)."""
    minutes = Minutes.objects.filter(meeting_id=meeting.pk).select_related("approved_by", "recorded_by").first()
    items = list(
        AgendaItem.objects.filter(meeting_id=meeting.pk)
        .select_related("case", "presenter")
        .order_by("position", "id")
    )
    visible_ids = set(AgendaItem.objects.visible_to(reader).filter(meeting_id=meeting.pk).values_list("id", flat=True))
    actions: dict[int, list[ActionItem]] = {}
    if visible_ids:
        for action in (
            ActionItem.objects.filter(agenda_item_id__in=visible_ids)
            .select_related("owner_institution", "responsible")
            .order_by("due_on", "id")
        ):
            actions.setdefault(action.agenda_item_id, []).append(action)
    amendments: dict[int | None, list[MinutesAmendment]] = {}
    if minutes is not None:
        for amendment in MinutesAmendment.objects.filter(minutes=minutes).select_related("author"):
            amendments.setdefault(amendment.agenda_item_id, []).append(amendment)
    order = [s.value for s in AgendaSection]
    by_section: dict[str, list[ItemPart]] = {}
    number = 0
    for item in sorted(items, key=lambda i: (order.index(i.section) if i.section in order else 99, i.position, i.pk)):
        number += 1
        visible = item.pk in visible_ids
        by_section.setdefault(item.section, []).append(
            ItemPart(
                item=item, visible=visible, number=number,
                actions=actions.get(item.pk, []) if visible else [],
                amendments=amendments.get(item.pk, []) if visible else [],
            )
        )
    labels = dict(AgendaSection.choices)
    sections = [(str(labels[s]), by_section[s]) for s in order if s in by_section]
    invitees = MeetingInvitee.objects.filter(meeting_id=meeting.pk).select_related("user", "institution").order_by("id")
    attendees = [{"label": invitee_label(i), "attended": i.attended, "invitee": i} for i in invitees]
    return MinutesDocument(
        meeting=meeting,
        minutes=minutes,
        sections=sections,
        attendees=attendees,
        general_amendments=amendments.get(None, []),
        visible_cases=[i.case for i in items if i.pk in visible_ids],
    )


def render_minutes_pdf(meeting: Meeting, reader, language: str | None = None) -> bytes:
    """The minutes as a PDF for ``reader`` in ``language`` (default: the reader's own)."""
    language = language or getattr(reader, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        document = minutes_document(meeting, reader)
        municipality = meeting.municipality
        html = render_to_string(
            "conferences/pdf/minutes.html",
            {
                "doc": document,
                "meeting": meeting,
                "municipality_name": municipality.display_name(language),
                "area_name": meeting.area.display_name(language) if meeting.area_id else "",
                "language": language,
                "html_lang": {"en": "en", "sr-cyrl": "sr-Cyrl"}.get(language, "sr-Latn"),
                "generated_at": timezone.localtime(),
                "reader": reader,
            },
        )
        return HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=local_url_fetcher()).write_pdf()
