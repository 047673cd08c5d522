"""URL patterns of one area of the case pages (joined in apps/cases/urls.py)."""
urlpatterns = []
