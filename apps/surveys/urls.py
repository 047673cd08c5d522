"""Pages of the surveys app."""
from django.urls import path

from .views import public

app_name = "surveys"

urlpatterns: list = [
    path("a/<str:token>/", public.answer, name="public_answer"),
    path("a/<str:token>/thanks/", public.thanks, name="public_thanks"),
]
