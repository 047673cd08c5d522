"""Meeting pages: list, calendar, scheduling, invitations and the calendar feed."""
urlpatterns = []
