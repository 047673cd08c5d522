"""Scheduling meetings: create, reschedule, cancel, invite and uninvite.

Who schedules: coordinators (``manage_municipality_conferences``) of the host municipality, or of a
municipality of the coordination area for a coordination-group meeting. Every service takes the
acting ``user``, re-checks through ``Meeting.objects.visible_to`` (Http404 otherwise), validates
everything before writing (one ValidationError naming each field, nothing half-saved), writes
an audit entry and queues the invitation e-mails after the commit.

Double booking is a warning, never a refusal: ``booking_conflicts`` names the invited staff who are
expected at another meeting at the same time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core import outbox
from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.crypto import encrypt
from apps.core.locking import VersionConflict
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from ..choices import InvitationResponse, InviteeRole, MeetingKind, MeetingStatus
from ..models import CoordinationArea, Meeting, MeetingInvitee
from ..tasks_meetings import send_meeting_invitations, send_meeting_uninvite
from .eligibility import (
    STAFF_ROLES,
    can_schedule,
    eligible_institutions,
    eligible_staff,
    institution_choices_for,
    schedulable_areas,
    schedulable_municipalities,
    staff_choices_for,
)
from .invitations import invitee_recipients

# The services of this module, and the reads of eligibility.py the meeting views and API call through it
# (``meeting_services.can_schedule``).
__all__ = [
    "Outside",
    "answerable_invitees",
    "booking_conflicts",
    "can_schedule",
    "conflict_message",
    "institution_choices_for",
    "invitation_respond",
    "invitee_add",
    "invitee_remove",
    "meeting_cancel",
    "meeting_schedule",
    "meeting_update",
    "reach_meeting",
    "schedulable_areas",
    "schedulable_municipalities",
    "staff_choices_for",
]

OUTSIDE_ROLES = (InviteeRole.VICTIM, InviteeRole.REPRESENTATIVE, InviteeRole.GUEST)
RESCHEDULE_FIELDS = ("starts_at", "ends_at", "place", "online_url")


@dataclass(frozen=True)
class Outside:
    """An outside person to invite (the victim or her representative): stored encrypted."""

    name: str
    email: str
    role: str = InviteeRole.VICTIM


# --- helpers ---------------------------------------------------------------------------------


def reach_meeting(user, meeting: Meeting | int, action: str = "change", *, lock: bool = True) -> Meeting:
    """The meeting, fresh and row-locked, if the user may ``action`` it; Http404 otherwise."""
    pk = meeting.pk if isinstance(meeting, Meeting) else meeting
    if not Meeting.objects.visible_to(user, action).filter(pk=pk).exists():
        raise Http404("No meeting matches the given query.")
    qs = Meeting.objects.select_related("municipality", "area")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=pk)


def _validate_times(errors: dict, starts_at: datetime | None, ends_at: datetime | None, *, check_past: bool) -> None:
    if starts_at is None:
        errors.setdefault("starts_at", []).append(_("Enter when the meeting starts."))
    if ends_at is None:
        errors.setdefault("ends_at", []).append(_("Enter when the meeting ends."))
    if starts_at is None or ends_at is None:
        return
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The meeting must end after it starts."))
    elif (ends_at - starts_at).total_seconds() > 12 * 3600:
        errors.setdefault("ends_at", []).append(_("A meeting lasts at most 12 hours; check the end time."))
    if check_past and starts_at < timezone.now():
        errors.setdefault("starts_at", []).append(_("The meeting cannot start in the past."))


def _validate_people(errors: dict, *, municipality_id, area, chair, supervisor, institutions, people) -> None:
    if chair is not None and not eligible_staff(municipality_id=municipality_id, area=area).filter(pk=chair.pk).exists():
        errors.setdefault("chair", []).append(
            _("The chair must be a staff member of an institution of this meeting's municipality or area.")
        )
    if supervisor is not None and not supervisor.is_active:
        errors.setdefault("supervisor", []).append(_("This supervisor's account is not active."))
    if institutions:
        allowed = set(eligible_institutions(municipality_id=municipality_id, area=area).values_list("pk", flat=True))
        outside = [i.name for i in institutions if i.pk not in allowed]
        if outside:
            errors.setdefault("institutions", []).append(
                _("Not an institution of this meeting's municipality or area: %(names)s.") % {"names": ", ".join(outside)}
            )
    if people:
        allowed = set(eligible_staff(municipality_id=municipality_id, area=area).values_list("pk", flat=True))
        outside = [u.get_full_name() or u.username for u in people if u.pk not in allowed]
        if outside:
            errors.setdefault("people", []).append(
                _("Not a staff member of this meeting's municipality or area: %(names)s.") % {"names": ", ".join(outside)}
            )


def _validate_outside(errors: dict, outside: list[Outside]) -> None:
    for person in outside:
        if not person.name.strip():
            errors.setdefault("outside_name", []).append(_("Enter the name of the person you invite."))
        try:
            EmailValidator()(person.email.strip())
        except ValidationError:
            errors.setdefault("outside_email", []).append(_("Enter a valid e-mail address of the person you invite."))
        if person.role not in OUTSIDE_ROLES:
            errors.setdefault("outside_role", []).append(_("Choose why this person is invited."))


def _queue_invitations(meeting_id: int, *, only_new: bool = False) -> None:
    outbox.after_commit(send_meeting_invitations, meeting_id=meeting_id, only_new=only_new)


def _queue_uninvite(meeting_id: int, recipients: list[str], sequence: int) -> None:
    # The addresses travel encrypted through the broker.
    sealed = encrypt("\n".join(recipients))
    outbox.after_commit(send_meeting_uninvite, meeting_id=meeting_id, sealed=sealed, sequence=sequence)


def _ensure_user_invitee(meeting: Meeting, user, role: str) -> MeetingInvitee:
    invitee = MeetingInvitee.objects.filter(meeting=meeting, user=user).first()
    if invitee is None:
        invitee = MeetingInvitee(meeting=meeting, municipality_id=meeting.municipality_id, user=user, role=role)
        invitee.full_clean()
        invitee.save()
    elif role == InviteeRole.SUPERVISOR and invitee.role != role:
        MeetingInvitee.objects.filter(pk=invitee.pk).update(role=role)
    return invitee


# --- services --------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    *,
    user,
    kind: str,
    starts_at: datetime | None,
    ends_at: datetime | None,
    municipality: Municipality | None = None,
    area: CoordinationArea | None = None,
    place: str = "",
    online_url: str = "",
    chair=None,
    supervisor=None,
    institutions=(),
    people=(),
    outside: list[Outside] | tuple = (),
) -> Meeting:
    """Schedule a meeting with its invitees; invitations go out after the commit."""
    errors: dict[str, list] = {}
    if kind not in MeetingKind.values:
        errors["kind"] = [_("Choose the kind of meeting.")]
    if kind == MeetingKind.COORDINATION_GROUP:
        if area is None:
            errors["area"] = [_("Choose the coordination area whose group meets.")]
        elif not schedulable_areas(user).filter(pk=area.pk).exists():
            errors["area"] = [_("You do not run meetings of this coordination area.")]
        else:
            municipality = area.municipality
    else:
        area = None
        if municipality is None:
            errors["municipality"] = [_("Choose the municipality that holds the meeting.")]
        elif not schedulable_municipalities(user).filter(pk=municipality.pk).exists():
            errors["municipality"] = [_("You do not run meetings of this municipality.")]
    _validate_times(errors, starts_at, ends_at, check_past=True)
    if not (place or "").strip() and not (online_url or "").strip():
        errors.setdefault("place", []).append(_("Enter a place or an online link."))
    if municipality is not None and "area" not in errors and "municipality" not in errors:
        _validate_people(errors, municipality_id=municipality.pk, area=area, chair=chair, supervisor=supervisor,
                         institutions=list(institutions), people=list(people))
    _validate_outside(errors, list(outside))
    if errors:
        raise ValidationError(errors)

    meeting = Meeting(
        municipality=municipality, kind=kind, area=area, starts_at=starts_at, ends_at=ends_at,
        place=place.strip(), online_url=online_url.strip(), chair=chair, supervisor=supervisor, created_by=user,
    )
    meeting.full_clean()
    meeting.save()
    _add_invitees(meeting, chair=chair, supervisor=supervisor, institutions=institutions, people=people, outside=outside)
    if not Meeting.objects.visible_to(user, "change").filter(pk=meeting.pk).exists():
        raise Http404("No meeting matches the given query.")
    audit_log(action=AuditAction.CREATE, actor=user, obj=meeting)
    _queue_invitations(meeting.pk)
    return meeting


def _add_invitees(meeting, *, chair=None, supervisor=None, institutions=(), people=(), outside=()) -> list[MeetingInvitee]:
    added = []
    if chair is not None:
        added.append(_ensure_user_invitee(meeting, chair, InviteeRole.MEMBER))
    if supervisor is not None:
        added.append(_ensure_user_invitee(meeting, supervisor, InviteeRole.SUPERVISOR))
    for person in people:
        added.append(_ensure_user_invitee(meeting, person, InviteeRole.MEMBER))
    existing = set(
        MeetingInvitee.objects.filter(meeting=meeting, user__isnull=True, institution__isnull=False).values_list(
            "institution_id", flat=True
        )
    )
    for institution in institutions:
        if institution.pk in existing:
            continue
        invitee = MeetingInvitee(meeting=meeting, municipality_id=meeting.municipality_id, institution=institution)
        invitee.full_clean()
        invitee.save()
        added.append(invitee)
    for person in outside:
        invitee = MeetingInvitee(
            meeting=meeting, municipality_id=meeting.municipality_id, name=person.name.strip(),
            email=person.email.strip(), role=person.role,
        )
        invitee.full_clean()
        invitee.save()
        added.append(invitee)
    return added


@transaction.atomic
def meeting_update(
    *,
    user,
    meeting: Meeting,
    starts_at: datetime | None,
    ends_at: datetime | None,
    place: str = "",
    online_url: str = "",
    chair=None,
    supervisor=None,
    expected_version: int | None = None,
) -> Meeting:
    """Reschedule or move a meeting, or change its chair or supervisor. A new time or place raises
    the calendar SEQUENCE and sends everyone an update."""
    current = reach_meeting(user, meeting, "change")
    if current.status != MeetingStatus.SCHEDULED:
        raise ValidationError({"starts_at": [_("Only a scheduled meeting can be changed.")]})
    wanted = Meeting(
        pk=current.pk, starts_at=starts_at, ends_at=ends_at, place=(place or "").strip(),
        online_url=(online_url or "").strip(), chair=chair, supervisor=supervisor,
    )
    if expected_version is not None and int(expected_version) != current.version:
        fields = ("starts_at", "ends_at", "place", "online_url", "chair", "supervisor")
        changed = [f for f in fields if getattr(current, Meeting._meta.get_field(f).attname)
                   != getattr(wanted, Meeting._meta.get_field(f).attname)]
        raise VersionConflict(current=current, changed_fields=changed)
    errors: dict[str, list] = {}
    time_changed = starts_at != current.starts_at or ends_at != current.ends_at
    _validate_times(errors, starts_at, ends_at, check_past=time_changed)
    if not wanted.place and not wanted.online_url:
        errors.setdefault("place", []).append(_("Enter a place or an online link."))
    area = current.area
    _validate_people(errors, municipality_id=current.municipality_id, area=area, chair=chair, supervisor=supervisor,
                     institutions=[], people=[])
    if errors:
        raise ValidationError(errors)

    reschedule = any(getattr(current, f) != getattr(wanted, f) for f in RESCHEDULE_FIELDS)
    old_supervisor_id = current.supervisor_id
    for name in ("starts_at", "ends_at", "place", "online_url", "chair", "supervisor"):
        setattr(current, name, getattr(wanted, name))
    if reschedule:
        current.sequence += 1
    current.version += 1
    current.full_clean()
    current.save()
    if old_supervisor_id and old_supervisor_id != current.supervisor_id:
        old = MeetingInvitee.objects.filter(meeting=current, user_id=old_supervisor_id, role=InviteeRole.SUPERVISOR).first()
        if old is not None:
            _remove(current, old)
    added = _add_invitees(current, chair=chair, supervisor=supervisor)
    audit_log(action=AuditAction.UPDATE, actor=user, obj=current,
              details={"rescheduled": reschedule, "sequence": current.sequence})
    if reschedule:
        _queue_invitations(current.pk)
    elif added:
        _queue_invitations(current.pk, only_new=True)
    return current


@transaction.atomic
def meeting_cancel(*, user, meeting: Meeting, reason: str = "") -> Meeting:
    """Cancel a scheduled meeting; everyone invited gets a METHOD:CANCEL with a higher SEQUENCE."""
    current = reach_meeting(user, meeting, "change")
    if current.status != MeetingStatus.SCHEDULED:
        raise ValidationError({"reason": [_("Only a scheduled meeting can be cancelled.")]})
    current.status = MeetingStatus.CANCELLED
    current.cancelled_at = timezone.now()
    current.cancel_reason = (reason or "").strip()[:255]
    current.sequence += 1
    current.version += 1
    current.full_clean()
    current.save()
    audit_log(action=AuditAction.UPDATE, actor=user, obj=current, details={"cancelled": True, "sequence": current.sequence})
    _queue_invitations(current.pk)
    return current


@transaction.atomic
def invitee_add(
    *, user, meeting: Meeting, institution: Institution | None = None, person=None, outside: Outside | None = None
) -> MeetingInvitee:
    """Invite one more institution, staff member or outside person; only they get an invitation."""
    current = reach_meeting(user, meeting, "change")
    errors: dict[str, list] = {}
    if current.status != MeetingStatus.SCHEDULED:
        errors["institution"] = [_("Only a scheduled meeting takes new invitees.")]
    chosen = [x for x in (institution, person, outside) if x]
    if len(chosen) != 1:
        errors.setdefault("institution", []).append(
            _("Choose one institution, one staff member or enter one outside person.")
        )
    if not errors:
        _validate_people(errors, municipality_id=current.municipality_id, area=current.area, chair=None,
                         supervisor=None, institutions=[institution] if institution else [],
                         people=[person] if person else [])
        if outside:
            _validate_outside(errors, [outside])
    if person is not None and MeetingInvitee.objects.filter(meeting=current, user=person).exists():
        errors.setdefault("people", []).append(_("This person is already invited."))
    if institution is not None and MeetingInvitee.objects.filter(
        meeting=current, institution=institution, user__isnull=True
    ).exists():
        errors.setdefault("institutions", []).append(_("This institution is already invited."))
    if errors:
        raise ValidationError(errors)
    added = _add_invitees(current, institutions=[institution] if institution else [],
                          people=[person] if person else [], outside=[outside] if outside else [])
    invitee = added[0]
    audit_log(action=AuditAction.CREATE, actor=user, obj=invitee, details={"meeting": current.pk})
    _queue_invitations(current.pk, only_new=True)
    return invitee


def _remove(meeting: Meeting, invitee: MeetingInvitee) -> None:
    recipients = invitee_recipients(invitee) if invitee.sent_sequence is not None else []
    invitee.delete()
    if recipients:
        Meeting.objects.filter(pk=meeting.pk).update(sequence=meeting.sequence + 1)
        meeting.sequence += 1
        _queue_uninvite(meeting.pk, recipients, meeting.sequence)


@transaction.atomic
def invitee_remove(*, user, meeting: Meeting, invitee_id: int) -> None:
    """Take an invitee off the meeting; if they were sent an invitation they get a METHOD:CANCEL."""
    current = reach_meeting(user, meeting, "change")
    invitee = (
        MeetingInvitee.objects.select_related("user", "institution").filter(meeting=current, pk=invitee_id).first()
    )
    if invitee is None:
        raise Http404("No invitee matches the given query.")
    if invitee.user_id and invitee.user_id in (current.chair_id, current.supervisor_id):
        raise ValidationError({"invitee": [_("Change the chair or the supervisor first; they stay invited.")]})
    audit_log(action=AuditAction.DELETE, actor=user, obj=invitee, details={"meeting": current.pk})
    _remove(current, invitee)


def answerable_invitees(user, meeting: Meeting):
    """Invitations the user may answer: their own, and those of their institutions."""
    institutions = user.access.institution_ids(*STAFF_ROLES) if user.is_authenticated else frozenset()
    condition = Q(user_id=user.pk)
    if institutions:
        condition |= Q(user__isnull=True, institution_id__in=institutions)
    return MeetingInvitee.objects.filter(condition, meeting_id=meeting.pk).select_related("institution")


@transaction.atomic
def invitation_respond(*, user, meeting: Meeting, invitee_id: int, response: str, note: str = "") -> MeetingInvitee:
    """Accept or decline an invitation (one's own, or one's institution's), with an optional note."""
    if not Meeting.objects.visible_to(user, "view").filter(pk=meeting.pk).exists():
        raise Http404("No meeting matches the given query.")
    invitee = answerable_invitees(user, meeting).select_for_update(of=("self",)).filter(pk=invitee_id).first()
    if invitee is None:
        raise Http404("No invitation matches the given query.")
    errors = {}
    if response not in (InvitationResponse.ACCEPTED, InvitationResponse.DECLINED):
        errors["response"] = [_("Choose whether you accept or decline.")]
    if len(note or "") > 255:
        errors["note"] = [_("Keep the note under 255 characters.")]
    status = Meeting.objects.values_list("status", flat=True).get(pk=meeting.pk)
    if status != MeetingStatus.SCHEDULED:
        errors.setdefault("response", []).append(_("This meeting is no longer scheduled."))
    if errors:
        raise ValidationError(errors)
    invitee.response = response
    invitee.response_note = (note or "").strip()
    invitee.responded_at = timezone.now()
    invitee.full_clean()
    invitee.save(update_fields=["response", "response_note", "responded_at", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=invitee, details={"response": response})
    return invitee


def booking_conflicts(meeting: Meeting) -> list[User]:
    """Staff expected at this meeting (chair, supervisor, invited people) who are also expected at
    another scheduled meeting overlapping it."""
    if meeting.status != MeetingStatus.SCHEDULED:
        return []
    expected = set(MeetingInvitee.objects.filter(meeting=meeting, user__isnull=False).values_list("user_id", flat=True))
    expected |= {pk for pk in (meeting.chair_id, meeting.supervisor_id) if pk}
    if not expected:
        return []
    overlapping = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED, starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at
    ).exclude(pk=meeting.pk)
    busy = set(
        MeetingInvitee.objects.filter(meeting__in=overlapping, user_id__in=expected).values_list("user_id", flat=True)
    )
    busy |= set(overlapping.filter(chair_id__in=expected).values_list("chair_id", flat=True))
    busy |= set(overlapping.filter(supervisor_id__in=expected).values_list("supervisor_id", flat=True))
    return list(User.objects.filter(pk__in=busy).order_by("last_name", "first_name"))


def conflict_message(users) -> str:
    """The warning shown after saving when someone is booked elsewhere at that time."""
    names = ", ".join(u.get_full_name() or u.username for u in users)
    return str(
        _("Warning: %(names)s already expected at another meeting at this time. The meeting was saved; "
          "check with them or choose another time.") % {"names": names}
    )


