"""A person's own profile: name, phone, language, password and personal API tokens."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views import View
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from . import services
from .forms import ApiTokenRevokeForm, ProfileForm
from .models import User


def set_language_cookie(response, request, language: str):
    """Apply the preferred language the same way Django's set_language view does."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE or request.is_secure(),
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _profile_context(request, form):
    user = request.user
    now = timezone.now()
    tokens = [
        {"key": t.token_key, "prefix": t.token_key[:8], "created": t.created, "expiry": t.expiry,
         "expired": t.expiry is not None and t.expiry <= now}
        for t in AuthToken.objects.filter(user=user).order_by("-created")
    ]
    return {
        "form": form,
        "tokens": tokens,
        "has_second_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "is_verified": user.is_verified(),
        "max_tokens": services.MAX_API_TOKENS,
    }


class ProfileView(LoginRequiredMixin, View):
    """The person's own details and tokens."""

    template_name = "accounts/profile.html"

    def get(self, request):
        form = ProfileForm(instance=User.objects.get(pk=request.user.pk))
        return render(request, self.template_name, _profile_context(request, form))

    def post(self, request):
        # A fresh copy for the form: validation writes into its instance, the service compares with ours.
        form = ProfileForm(request.POST, instance=User.objects.get(pk=request.user.pk))
        if not form.is_valid():
            return render(request, self.template_name, _profile_context(request, form))
        data = form.cleaned_data
        services.user_profile_update(
            user=request.user, first_name=data["first_name"], last_name=data["last_name"], phone=data["phone"],
            language=data["language"],
        )
        translation.activate(request.user.language)
        messages.success(request, _("Your profile is saved."))
        return set_language_cookie(redirect("accounts:profile"), request, request.user.language)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (the old one first); other sessions of the user end."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        messages.success(self.request, _("Your password is changed."))
        return response


class ApiTokenCreateView(LoginRequiredMixin, View):
    """Issue a personal API token and show it once."""

    http_method_names = ["post"]

    def post(self, request):
        if not request.user.is_verified():
            messages.error(request, _("API tokens need a verified second factor. Set up two-factor login and log in with it."))
            return redirect("accounts:profile")
        try:
            instance, token = services.api_token_create(user=request.user)
        except services.TooManyApiTokens:
            messages.error(
                request,
                _("You already have %(max)s tokens. Revoke one you no longer use first.") % {"max": services.MAX_API_TOKENS},
            )
            return redirect("accounts:profile")
        response = render(
            request, "accounts/api_token_created.html", {"token": token, "expiry": instance.expiry}
        )
        response["Cache-Control"] = "no-store"
        return response


class ApiTokenRevokeView(LoginRequiredMixin, View):
    """Revoke one of one's own tokens (another person's token answers 404)."""

    http_method_names = ["post"]

    def post(self, request):
        form = ApiTokenRevokeForm(request.POST)
        if not form.is_valid() or not services.api_token_revoke(user=request.user, token_key=form.cleaned_data["token_key"]):
            raise Http404
        messages.success(request, _("The token is revoked."))
        return redirect("accounts:profile")
