"""Meeting pages: list, calendar, scheduling, invitations and the calendar feed."""
from django.urls import path

from .feeds import calendar_feed, install_log_filter
from .views import areas, calendar
from .views import meetings as views

install_log_filter()

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.MeetingCancelView.as_view(), name="meeting_cancel"),
    path("meetings/<int:pk>/invitees/add/", views.InviteeAddView.as_view(), name="invitee_add"),
    path("meetings/<int:pk>/invitees/<int:invitee_pk>/remove/", views.InviteeRemoveView.as_view(),
         name="invitee_remove"),
    path("meetings/<int:pk>/answer/", views.RespondView.as_view(), name="meeting_respond"),
    path("meetings/<int:pk>/meeting.ics", views.MeetingIcsView.as_view(), name="meeting_ics"),
    path("meetings/<int:pk>/agenda/add/", views.AgendaAddView.as_view(), name="agenda_add"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/move/", views.AgendaMoveView.as_view(), name="agenda_move"),
    path("meetings/<int:pk>/agenda/<int:item_pk>/remove/", views.AgendaRemoveView.as_view(), name="agenda_remove"),
    path("calendar/", calendar.MonthView.as_view(), name="calendar_month"),
    path("calendar/week/", calendar.WeekView.as_view(), name="calendar_week"),
    path("calendar/feeds/", calendar.FeedListView.as_view(), name="calendar_feeds"),
    path("calendar/feeds/<int:pk>/revoke/", calendar.FeedRevokeView.as_view(), name="calendar_feed_revoke"),
    path("calendar/feed/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("areas/", areas.AreaListView.as_view(), name="area_list"),
    path("areas/new/", areas.AreaFormView.as_view(), name="area_create"),
    path("areas/<int:pk>/edit/", areas.AreaFormView.as_view(), name="area_edit"),
]
