"""URL patterns of the measures area: emergency and protective measures, plans, referrals and the
work queue (joined in apps/cases/urls.py). Only int converters, and the work queue has a literal
prefix, so nothing here can clash with the case pages' <int:pk>/ patterns."""
from django.urls import path

from .views import measures, plans, referrals, work_queue

urlpatterns = [
    path("work-queue/", work_queue.WorkQueueView.as_view(), name="work_queue"),
    path("work-queue/reminders/<int:reminder_pk>/read/", work_queue.ReminderReadView.as_view(), name="reminder_read"),
    path("<int:pk>/emergency/add/", measures.EmergencyAddView.as_view(), name="emergency_add"),
    path("<int:pk>/emergency/<int:measure_pk>/", measures.EmergencyUpdateView.as_view(), name="emergency_update"),
    path("<int:pk>/breaches/add/", measures.BreachAddView.as_view(), name="breach_add"),
    path("<int:pk>/protective/add/", measures.ProtectiveAddView.as_view(), name="protective_add"),
    path("<int:pk>/protective/<int:measure_pk>/renew/", measures.ProtectiveRenewView.as_view(), name="protective_renew"),
    path("<int:pk>/plans/add/", plans.PlanCreateView.as_view(), name="plan_create"),
    path("<int:pk>/plans/<int:plan_pk>/edit/", plans.PlanEditView.as_view(), name="plan_edit"),
    path("<int:pk>/plans/<int:plan_pk>/measures/add/", plans.PlanMeasureAddView.as_view(), name="plan_measure_add"),
    path("<int:pk>/plan-measures/<int:measure_pk>/", plans.PlanMeasureUpdateView.as_view(), name="plan_measure_update"),
    path("<int:pk>/referrals/send/", referrals.ReferralSendView.as_view(), name="referral_send"),
    path("<int:pk>/referrals/<int:referral_pk>/answer/", referrals.ReferralAnswerView.as_view(), name="referral_answer"),
    path("<int:pk>/referrals/<int:referral_pk>/complete/", referrals.ReferralCompleteView.as_view(), name="referral_complete"),
]
