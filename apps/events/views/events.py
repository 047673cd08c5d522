"""Event pages: the list, planning, the event page, changing, cancelling and the event's .ics.

Every event comes from ``Event.objects.visible_to(user, action)`` (404 otherwise); changes go through
the services, whose ValidationErrors land on the form fields they name.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.audit import audit_log
from apps.core.calendar import ics as core_ics
from apps.core.choices import AuditAction
from apps.core.service_errors import apply_service_errors
from apps.core.views import ScopedListView
from apps.core.views_scoped import ScopedObjectView, ScopedView

from .. import calendar
from ..choices import EventKind, EventStatus, MediaKind
from ..forms import ALIASES, CancelForm, EventForm, OutsideForm
from ..hooks import questionnaires_for
from ..models import Certificate, CertificateRun, Event, MediaCoverage, Participant
from ..services import events as services

PAGE_SIZE = 30


def detail_url(event, anchor: str = "") -> str:
    url = reverse("events:event_detail", kwargs={"pk": event.pk})
    return f"{url}#{anchor}" if anchor else url


class EventView(ScopedObjectView):
    """A page about the event of the URL, from ``Event.objects.visible_to(user, action)``."""

    model = Event
    select_related = ("municipality", "area", "created_by")

    @property
    def event(self) -> Event:
        return self.get_scoped_object()


class EventListView(ScopedListView):
    """Upcoming or past events the user sees."""

    model = Event
    template_name = "events/list.html"
    context_object_name = "events"
    paginate_by = PAGE_SIZE

    def when(self) -> str:
        return "past" if self.request.GET.get("when") == "past" else "upcoming"

    def kind(self) -> str:
        kind = self.request.GET.get("kind", "")
        return kind if kind in EventKind.values else ""

    def get_queryset(self):
        now = timezone.now()
        qs = Event.objects.visible_to(self.request.user).select_related("municipality", "area")
        if self.kind():
            qs = qs.filter(kind=self.kind())
        if self.when() == "past":
            return qs.filter(ends_at__lt=now).order_by("-starts_at", "-id")
        return qs.filter(ends_at__gte=now).order_by("starts_at", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(when=self.when(), kind=self.kind(), kinds=EventKind.choices,
                       can_plan=services.can_plan(self.request.user))
        return context


class EventCreateView(ScopedView, View):
    """Plan an event (coordinators)."""

    template_name = "events/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.can_plan(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "creating": True})

    def get(self, request):
        initial = {"kind": request.GET.get("kind", EventKind.TRAINING)}
        municipalities = list(services.plannable_municipalities(request.user))
        if len(municipalities) == 1:
            initial["municipality"] = municipalities[0].pk
        return self.render(EventForm(initial=initial, user=request.user))

    def post(self, request):
        form = EventForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        try:
            event = services.event_plan(user=request.user, municipality=data.get("municipality"), area=data.get("area"),
                                        staff=data.get("people") or [], **form.values())
        except ValidationError as error:
            apply_service_errors(form, error, ALIASES)
            return self.render(form)
        messages.success(request, _t("The event is planned; the invitations are on their way."))
        return HttpResponseRedirect(detail_url(event))


class EventDetailView(EventView, View):
    """The event page: facts, participants and attendance, certificates, coverage."""

    template_name = "events/detail.html"

    def get(self, request, pk):
        event = self.event
        user = request.user
        runs = Event.objects.visible_to(user, "change").filter(pk=event.pk).exists()
        participants = list(Participant.objects.visible_to(user).filter(event_id=event.pk)
                            .select_related("user").prefetch_related("certificates").order_by("name", "id"))
        audit_log(action=AuditAction.VIEW, actor=user, obj=event)
        last_run = CertificateRun.objects.visible_to(user).filter(event_id=event.pk).first() if runs else None
        context = {
            "event": event, "runs": runs, "participants": participants,
            "happened": event.starts_at <= timezone.now(),
            "editable": runs and event.status == EventStatus.PLANNED,
            "participant_form": OutsideForm(user=user) if runs and event.status != EventStatus.CANCELLED else None,
            "cancel_form": CancelForm() if runs and event.status == EventStatus.PLANNED else None,
            "last_run": last_run,
            "certificate_count": Certificate.objects.visible_to(user).filter(event_id=event.pk,
                                                                             revoked_at__isnull=True).count(),
            "revoked": [c for p in participants for c in p.certificates.all() if c.revoked_at] if runs else [],
            "coverage": list(MediaCoverage.objects.visible_to(user).filter(event_id=event.pk)),
            "target_labels": [label for value, label in EventForm.base_fields["target_groups"].choices
                              if value in (event.target_groups or [])],
            "attended_count": sum(1 for p in participants if p.attended),
            "media_kinds": MediaKind.choices,
            "questionnaires": questionnaires_for(user, event),
        }
        return render(request, self.template_name, context)


class EventEditView(EventView, View):
    """Change an event (a new time or place goes out as an update)."""

    action = "change"
    template_name = "events/form.html"

    def form(self, data=None):
        event = self.event
        start, end = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
        initial = {name: getattr(event, name) for name in services.FIELDS if name not in ("starts_at", "ends_at")}
        initial.pop("media_clipping", None)
        initial.update(date=start.date(), start_time=start.time(), end_time=end.time(),
                       end_date=end.date() if end.date() != start.date() else None, version=event.version)
        files = self.request.FILES if data is not None else None
        return EventForm(data, files, initial=initial, user=self.request.user, event=event)

    def render(self, form, conflict=None):
        return render(self.request, self.template_name, {"form": form, "event": self.event, "conflict": conflict})

    def get(self, request, pk):
        return self.render(self.form())

    def post(self, request, pk):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render(form)
        try:
            event = services.event_update(user=request.user, event=self.event, version=form.cleaned_data.get("version"),
                                          **form.values())
        except ValidationError as error:
            conflict = apply_service_errors(form, error, ALIASES)
            return self.render(form, conflict)
        messages.success(request, _t("The event is saved."))
        return HttpResponseRedirect(detail_url(event))


class EventCancelView(EventView, View):
    """Cancel a planned event (everyone invited is told)."""

    action = "change"

    def post(self, request, pk):
        form = CancelForm(request.POST)
        form.is_valid()
        try:
            services.event_cancel(user=request.user, event=self.event, reason=form.cleaned_data.get("reason", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _t("The event is cancelled; everyone invited is told."))
        return HttpResponseRedirect(detail_url(self.event))


class EventIcsView(EventView, View):
    """The event as a calendar file for the user's own calendar."""

    def get(self, request, pk):
        body = core_ics.invitation_ics(calendar.entry(self.event),
                                       attendee=request.user.email or core_ics.organizer_address())
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="event-{self.event.pk}.ics"'
        return response
