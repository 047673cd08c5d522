"""Minutes, action items, supervision feedback and targets."""
from django.urls import path

from .views import actions, autosave, minutes, supervision, targets

urlpatterns = [
    path("meetings/<int:pk>/agenda/prepare/", minutes.AgendaPrepareView.as_view(), name="agenda_prepare"),
    path("meetings/<int:pk>/minutes/", minutes.MinutesView.as_view(), name="minutes"),
    path("meetings/<int:pk>/minutes/autosave/", autosave.MinutesAutosaveView.as_view(), name="minutes_autosave"),
    path("meetings/<int:pk>/minutes/pdf/", minutes.MinutesPdfView.as_view(), name="minutes_pdf"),
    path("meetings/<int:pk>/minutes/approve/", minutes.MinutesApproveView.as_view(), name="minutes_approve"),
    path("meetings/<int:pk>/minutes/amend/", minutes.MinutesAmendView.as_view(), name="minutes_amend"),
    path("meetings/<int:pk>/minutes/items/<int:item_pk>/", minutes.MinutesItemView.as_view(), name="minutes_item"),
    path("meetings/<int:pk>/minutes/items/<int:item_pk>/autosave/", autosave.MinutesItemAutosaveView.as_view(),
         name="minutes_item_autosave"),
    path("meetings/<int:pk>/minutes/items/<int:item_pk>/actions/", actions.ActionAddView.as_view(), name="action_add"),
    path("meetings/<int:pk>/held/", minutes.MeetingMarkHeldView.as_view(), name="meeting_mark_held"),
    path("meetings/<int:pk>/feedback/", supervision.FeedbackView.as_view(), name="feedback"),
    path("actions/", actions.ActionListView.as_view(), name="actions"),
    path("actions/<int:pk>/", actions.ActionDetailView.as_view(), name="action_detail"),
    path("actions/<int:pk>/complete/", actions.ActionCompleteView.as_view(), name="action_complete"),
    path("targets/", targets.TargetsView.as_view(), name="targets"),
]
