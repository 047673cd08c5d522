"""Conference pages: meetings and calendar (urls_meetings), minutes, actions, supervision and
targets (urls_minutes)."""
from django.urls import include, path

app_name = "conferences"

urlpatterns = [
    path("", include("apps.conferences.urls_meetings")),
    path("", include("apps.conferences.urls_minutes")),
]
