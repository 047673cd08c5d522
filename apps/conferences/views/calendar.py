"""Month and week calendars of the meetings a user sees, and the user's private calendar feeds."""
from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.service_errors import apply_service_errors
from apps.core.views_scoped import ScopedView

from ..forms_meetings import FeedForm
from ..models import CalendarFeed
from ..selectors.calendar import month_grid, week_grid
from ..services import invitations as invitation_services


def _month_param(value: str) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in value.split("-", 1))
        date(year, month, 1)
        if not 2000 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        return today.year, today.month
    return year, month


def _day_param(value: str) -> date:
    try:
        day = date.fromisoformat(value)
        if not 2000 <= day.year <= 2100:
            raise ValueError
        return day
    except (TypeError, ValueError):
        return timezone.localdate()


class MonthView(ScopedView, View):
    """A month of meetings (?month=2026-05)."""

    def get(self, request):
        year, month = _month_param(request.GET.get("month", ""))
        return render(request, "conferences/calendar/month.html", {"grid": month_grid(request.user, year, month)})


class WeekView(ScopedView, View):
    """A week of meetings (?day=2026-05-14 shows that day's week)."""

    def get(self, request):
        grid = week_grid(request.user, _day_param(request.GET.get("day", "")))
        return render(request, "conferences/calendar/week.html", {"grid": grid})


class FeedListView(ScopedView, View):
    """The user's calendar feeds; creating one shows its address once."""

    template_name = "conferences/calendar/feeds.html"

    def render(self, form, new_url: str = ""):
        feeds = CalendarFeed.objects.filter(user=self.request.user).order_by("-created_at")
        return render(self.request, self.template_name, {"feeds": feeds, "form": form, "new_url": new_url})

    def get(self, request):
        return self.render(FeedForm())

    def post(self, request):
        form = FeedForm(request.POST)
        if form.is_valid():
            try:
                _feed, token = invitation_services.feed_create(user=request.user, name=form.cleaned_data["name"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                url = request.build_absolute_uri(reverse("conferences:calendar_feed", kwargs={"token": token}))
                messages.success(request, _t("Your feed is ready. Copy its address now: it is shown only once."))
                return self.render(FeedForm(), new_url=url)
        return self.render(form)


class FeedRevokeView(ScopedView, View):
    """Revoke one of the user's feeds."""

    def post(self, request, pk):
        invitation_services.feed_revoke(user=request.user, feed_id=pk)
        messages.success(request, _t("The feed is revoked; its address no longer works."))
        return HttpResponseRedirect(reverse("conferences:calendar_feeds"))
