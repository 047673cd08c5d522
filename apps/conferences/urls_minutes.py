"""Minutes, action items, supervision feedback and targets."""
urlpatterns = []
