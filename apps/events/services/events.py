"""Planning events: plan, change (optimistic locking), cancel, mark held; participants and attendance.

Who plans: coordinators (``manage_municipality_conferences``) of the host municipality, or of a
municipality of the coordination area for an inter-municipal meeting. Every service re-checks the
event through ``Event.objects.visible_to(user, "change")`` (Http404 otherwise), validates before
writing (one ValidationError naming each field, nothing half-saved), audits, and queues the
invitation e-mails after the commit (the shared apps.core.calendar sending).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.conferences.models import AreaMunicipality, CoordinationArea
from apps.core import outbox
from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.crypto import encrypt
from apps.core.locking import save_with_version
from apps.municipalities.models import Municipality

from ..choices import EventKind, EventStatus, TargetGroup
from ..models import Event, EventMunicipality, Participant
from ..querysets import MANAGE
from ..tasks import send_event_invitations, send_event_uninvite
from .clippings import check_clipping

FIELDS = ("kind", "title", "starts_at", "ends_at", "place", "online_url", "organiser", "facilitators",
          "target_groups", "topics", "hours", "public_summary", "citizens_count", "institutions_present",
          "media_outlet", "media_kind", "media_link", "survey_ref")
SCHEDULE_FIELDS = ("starts_at", "ends_at", "place", "online_url")


@dataclass
class Outside:
    """An outside participant, stored minimally."""

    name: str
    institution_name: str = ""
    function: str = ""
    email: str = ""
    language: str = "sr-latn"


def plannable_municipalities(user):
    """Municipalities where the user may plan events."""
    access = user.access
    return Municipality.objects.filter(pk__in=access.municipalities_with(MANAGE)).order_by("name")


def plannable_areas(user):
    """Coordination areas covering a municipality the user plans for (inter-municipal meetings)."""
    managed = user.access.municipalities_with(MANAGE)
    return CoordinationArea.objects.filter(
        pk__in=AreaMunicipality.objects.filter(municipality_id__in=managed).values("area_id"), is_active=True
    ).order_by("name")


def can_plan(user) -> bool:
    return bool(user.is_authenticated and user.access.municipalities_with(MANAGE))


def _validate(user, values: dict, *, municipality=None, area=None) -> None:
    errors: dict[str, list] = {}
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if starts and ends and ends <= starts:
        errors.setdefault("ends_at", []).append(_("The event must end after it starts."))
    groups = values.get("target_groups") or []
    if any(g not in TargetGroup.values for g in groups):
        errors.setdefault("target_groups", []).append(_("Choose target groups from the list."))
    hours = values.get("hours")
    if hours is not None and Decimal(hours) < 0:
        errors.setdefault("hours", []).append(_("Hours cannot be negative."))
    kind = values.get("kind")
    if kind == EventKind.INTER_MUNICIPAL and area is None:
        errors.setdefault("area", []).append(_("An inter-municipal meeting needs the coordination area it brings together."))
    if area is not None and not plannable_areas(user).filter(pk=area.pk).exists():
        errors.setdefault("area", []).append(_("You do not plan events of this coordination area."))
    if municipality is not None and not plannable_municipalities(user).filter(pk=municipality.pk).exists():
        errors.setdefault("municipality", []).append(_("You do not plan events of this municipality."))
    if errors:
        raise ValidationError(errors)


def _queue(event_id: int, *, only_new: bool = False) -> None:
    outbox.after_commit(send_event_invitations, event_id=event_id, only_new=only_new)


@transaction.atomic
def event_plan(*, user, municipality=None, area=None, staff=(), outside=(), **values) -> Event:
    """Plan an event and invite its participants (staff users and outside people)."""
    if not can_plan(user):
        raise Http404
    if area is not None and municipality is None:
        municipality = area.municipality if plannable_municipalities(user).filter(pk=area.municipality_id).exists() \
            else plannable_municipalities(user).filter(pk__in=area.members.values("municipality_id")).first()
    if municipality is None:
        raise ValidationError({"municipality": [_("Choose the municipality.")]})
    _validate(user, values, municipality=municipality, area=area)
    clipping = check_clipping(values["media_clipping"], field="media_clipping") if values.get("media_clipping") else None
    event = Event(municipality=municipality, area=area if values.get("kind") == EventKind.INTER_MUNICIPAL else None,
                  created_by=user, **{k: v for k, v in values.items() if k in FIELDS})
    event.full_clean()
    if clipping is not None:
        event.media_clipping_name, event.media_clipping_type = clipping.name, clipping.mime
        event.media_clipping.save("clipping", clipping.content, save=False)
    event.save()
    members = {municipality.pk}
    if event.area_id:
        members |= set(AreaMunicipality.objects.filter(area_id=event.area_id).values_list("municipality_id", flat=True))
    EventMunicipality.objects.bulk_create(
        [EventMunicipality(event=event, municipality_id=municipality.pk, member_id=m) for m in sorted(members)]
    )
    for person in staff:
        participant_add(user=user, event=event, person=person, queue=False)
    for item in outside:
        participant_add(user=user, event=event, outside=item, queue=False)
    audit_log(action=AuditAction.CREATE, actor=user, obj=event, details={"kind": event.kind})
    _queue(event.pk)
    return event


def _for_change(user, event) -> Event:
    current = Event.objects.visible_to(user, "change").select_for_update().filter(pk=event.pk).first()
    if current is None:
        raise Http404
    return current


@transaction.atomic
def event_update(*, user, event: Event, version, **values) -> Event:
    """Change an event; a change of time or place raises the calendar revision and re-sends."""
    current = _for_change(user, event)
    if current.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be changed."))
    merged = {name: values.get(name, getattr(current, name)) for name in FIELDS}
    _validate(user, merged)
    clipping = check_clipping(values["media_clipping"], field="media_clipping") if values.get("media_clipping") else None
    rescheduled = any(merged[name] != getattr(current, name) for name in SCHEDULE_FIELDS)
    for name, value in merged.items():
        setattr(current, name, value)
    fields = list(FIELDS)
    if clipping is not None:
        current.media_clipping_name, current.media_clipping_type = clipping.name, clipping.mime
        current.media_clipping.save("clipping", clipping.content, save=False)
        fields += ["media_clipping", "media_clipping_name", "media_clipping_type"]
    if rescheduled and current.status == EventStatus.PLANNED:
        current.sequence += 1
        fields.append("sequence")
    try:
        save_with_version(current, version, fields)
    except Exception:
        if clipping is not None:  # nothing saved: no stray file either
            current.media_clipping.storage.delete(current.media_clipping.name)
        raise
    audit_log(action=AuditAction.UPDATE, actor=user, obj=current,
              details={"rescheduled": rescheduled, "sequence": current.sequence})
    if rescheduled and current.status == EventStatus.PLANNED:
        _queue(current.pk)
    return current


@transaction.atomic
def event_cancel(*, user, event: Event, reason: str = "") -> Event:
    """Cancel a planned event; every participant told is sent a cancellation."""
    current = _for_change(user, event)
    if current.status != EventStatus.PLANNED:
        raise ValidationError(_("Only a planned event can be cancelled."))
    current.status = EventStatus.CANCELLED
    current.cancelled_at = timezone.now()
    current.cancel_reason = (reason or "")[:255]
    current.sequence += 1
    current.version += 1
    current.save(update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "version", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=current, details={"cancelled": True, "sequence": current.sequence})
    _queue(current.pk)
    return current


@transaction.atomic
def event_mark_held(*, user, event: Event) -> Event:
    """Mark an event held (only once it has started)."""
    current = _for_change(user, event)
    if current.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be marked held."))
    if current.starts_at > timezone.now():
        raise ValidationError(_("The event has not happened yet."))
    current.status = EventStatus.HELD
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=current, details={"held": True})
    return current


@transaction.atomic
def participant_add(*, user, event: Event, person=None, outside: Outside | None = None, queue: bool = True) -> Participant:
    """Invite a staff member of the platform or an outside participant."""
    current = _for_change(user, event)
    if current.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event takes no participants."))
    if person is not None:
        if Participant.objects.filter(event=current, user=person).exists():
            raise ValidationError({"person": [_("This person is already a participant.")]})
        membership = person.memberships.filter(is_active=True).select_related("institution").first()
        participant = Participant(
            event=current, municipality_id=current.municipality_id, user=person,
            institution_name=membership.institution.name if membership else "",
            function=str(membership.get_role_display()) if membership else "",
            language=getattr(person, "language", "") or "sr-latn",
        )
    elif outside is not None and outside.name.strip():
        participant = Participant(event=current, municipality_id=current.municipality_id, name=outside.name.strip(),
                                  institution_name=outside.institution_name, function=outside.function,
                                  email=outside.email, language=outside.language or "sr-latn")
    else:
        raise ValidationError({"name": [_("Choose a person or write the participant's name.")]})
    participant.full_clean()
    participant.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=participant, details={"event": current.pk})
    if queue and current.status == EventStatus.PLANNED:
        _queue(current.pk, only_new=True)
    return participant


@transaction.atomic
def participant_remove(*, user, event: Event, participant_id: int) -> None:
    """Remove a participant; one already told is sent a cancellation."""
    current = _for_change(user, event)
    participant = Participant.objects.filter(event=current, pk=participant_id).select_related("user").first()
    if participant is None:
        raise Http404
    if participant.certificates.exists():
        raise ValidationError(_("A participant with a certificate cannot be removed."))
    address = participant.user.email if participant.user_id else participant.email
    told = participant.sent_sequence is not None and address and current.status == EventStatus.PLANNED
    participant.delete()
    audit_log(action=AuditAction.DELETE, actor=user, obj=current, details={"participant": participant_id})
    if told:
        Event.objects.filter(pk=current.pk).update(sequence=current.sequence + 1)
        sealed, sequence = encrypt(address), current.sequence + 1
        outbox.after_commit(send_event_uninvite, event_id=current.pk, sealed=sealed, sequence=sequence)


@transaction.atomic
def attendance_record(*, user, event: Event, attended: dict[int, bool], hours: dict[int, Decimal | None] | None = None) -> int:
    """Record who attended (and, for trainings, their hours); refused before the event has happened
    and for a cancelled one. Returns the rows changed."""
    current = _for_change(user, event)
    if current.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event has no attendance."))
    if current.starts_at > timezone.now():
        raise ValidationError(_("Attendance can be recorded only once the event has happened."))
    hours = hours or {}
    changed = 0
    default_hours = current.hours
    for participant in Participant.objects.filter(event=current).select_for_update():
        came = bool(attended.get(participant.pk))
        value = hours.get(participant.pk)
        if value is not None and Decimal(value) < 0:
            raise ValidationError({"hours": [_("Hours cannot be negative.")]})
        if value is not None and default_hours is not None and Decimal(value) > default_hours:
            raise ValidationError({"hours": [_("Hours cannot exceed the event's hours.")]})
        new_hours = (Decimal(value) if value is not None else default_hours) if came else None
        if participant.attended != came or participant.hours != new_hours:
            participant.attended, participant.hours = came, new_hours
            participant.version += 1
            participant.save(update_fields=["attended", "hours", "version", "updated_at"])
            changed += 1
    if current.status == EventStatus.PLANNED:
        current.status = EventStatus.HELD
        current.version += 1
        current.save(update_fields=["status", "version", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=current, details={"attendance": changed})
    return changed
