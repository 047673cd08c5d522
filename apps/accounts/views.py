"""Login with a second factor, enrolment of an authenticator app, logout, invitation acceptance."""
from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.redirects import requested_next

from . import services
from .forms import (
    InvitationAcceptForm,
    InvitationExistingAccountForm,
    LoginForm,
    OTPCodeForm,
    QueuedPasswordResetForm,
)
from .invitations import InvitationUnusable, invitation_accept
from .models import Invitation, User
from .qr import qr_svg


class SafeNextMixin:
    """Django's `next` handling for the login and logout views, through the platform's one check."""

    def get_redirect_url(self):
        return requested_next(self.request)


class LoginView(SafeNextMixin, auth_views.LoginView):
    """Step one: e-mail or username and password."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        response.set_cookie("kzn_language", user.language, samesite="Lax", secure=self.request.is_secure())
        return response


class LogoutView(SafeNextMixin, auth_views.LogoutView):
    """Log out (POST only)."""

    next_page = "accounts:login"


class OTPVerifyView(LoginRequiredMixin, View):
    """Step two: the code from the authenticator app."""

    template_name = "accounts/otp_verify.html"

    def get(self, request):
        if request.user.is_verified():
            return redirect(requested_next(request) or "core:home")
        return render(request, self.template_name, {"form": OTPCodeForm()})

    def post(self, request):
        form = OTPCodeForm(request.POST)
        if form.is_valid():
            device = match_token(request.user, form.cleaned_data["code"])
            if device is not None:
                otp_login(request, device)
                return redirect(requested_next(request) or "core:home")
            audit_log(action=AuditAction.OTP_FAILED, actor=request.user)
            form.add_error("code", _("The code is not right. Check the time on your phone and try again."))
        return render(request, self.template_name, {"form": form}, status=200)


class OTPSetupView(LoginRequiredMixin, View):
    """Enrol an authenticator app: scan a QR code rendered here, confirm with the first code."""

    template_name = "accounts/otp_setup.html"

    def _device(self, request):
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        return device or services.totp_device_start(user=request.user)

    def _context(self, device, form):
        return {"form": form, "qr_svg": qr_svg(device.config_url), "secret": device_secret(device)}

    def get(self, request):
        if request.user.is_verified():
            return redirect("core:home")
        if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
            return redirect("accounts:otp_verify")
        return render(request, self.template_name, self._context(self._device(request), OTPCodeForm()))

    def post(self, request):
        device = self._device(request)
        form = OTPCodeForm(request.POST)
        if form.is_valid():
            if services.totp_device_confirm(device=device, code=form.cleaned_data["code"]):
                otp_login(request, device)
                messages.success(request, _("Two-factor login is set up."))
                return redirect("core:home")
            form.add_error("code", _("The code is not right. Scan the QR code again and enter the new code."))
        return render(request, self.template_name, self._context(device, form))


def device_secret(device) -> str:
    """The base32 secret, grouped in fours for typing by hand."""

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class SwitchMembershipView(LoginRequiredMixin, View):
    """Choose which membership (institution and role) the user acts through."""

    def post(self, request):
        try:
            wanted = int(request.POST.get("membership", ""))
        except ValueError:
            wanted = None
        if any(m.id == wanted for m in request.user.access.memberships):
            request.session["active_membership_id"] = wanted
        return redirect("core:home")


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail; the answer is the same whether or not the address exists."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = "/accounts/password-reset/sent/"

    def get_form_class(self):
        return QueuedPasswordResetForm


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = "/accounts/password-reset/complete/"

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_log(action=AuditAction.PASSWORD_RESET, actor=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# The token travels in the link only once: it is moved into the session and the browser is sent
# to this placeholder address, so that the token is not in later request lines, logs or referrers.
INVITATION_SESSION_KEY = "_invitation_token"
INVITATION_URL_TOKEN = "continue"


def _private(response):
    """No referrer outside the platform, no caching and no request logging for secret-link pages."""
    # "same-origin", not "no-referrer": with no referrer at all browsers send "Origin: null" on the
    # form's POST and the CSRF origin check refuses it. The token has left the URL by then anyway.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    # Django logs 4xx responses with the request path, which holds the token.
    response._has_been_logged = True
    return response


class InvitationAcceptView(View):
    """Accept an invitation: choose a name and password (or confirm an existing account's password)."""

    template_name = "accounts/invitation_accept.html"

    def dispatch(self, request, token):
        if token != INVITATION_URL_TOKEN:
            invitation = Invitation.find_by_token(token)
            if invitation is None or not invitation.is_usable:
                return self.unusable(request, invitation)
            request.session[INVITATION_SESSION_KEY] = token
            return _private(redirect("accounts:invitation_accept", token=INVITATION_URL_TOKEN))
        secret = request.session.get(INVITATION_SESSION_KEY)
        invitation = Invitation.find_by_token(secret) if secret else None
        if invitation is None or not invitation.is_usable:
            return self.unusable(request, invitation)
        self.invitation = invitation
        self.existing_user = User.objects.filter(email__iexact=invitation.email).first()
        return _private(super().dispatch(request))

    def unusable(self, request, invitation):
        """A clear page for an unknown, used, revoked or expired link (nothing about the e-mail)."""
        request.session.pop(INVITATION_SESSION_KEY, None)
        reason = "unknown" if invitation is None else invitation.status
        status = 404 if invitation is None else 410
        return _private(render(request, "accounts/invitation_invalid.html", {"reason": reason}, status=status))

    def make_form(self, data=None):
        if self.existing_user is not None:
            return InvitationExistingAccountForm(data)
        return InvitationAcceptForm(data, invitation=self.invitation)

    def render_form(self, form):
        context = {
            "form": form,
            "invitation": self.invitation,
            "institution": self.invitation.institution,
            "municipality": self.invitation.municipality,
            "role": self.invitation.get_role_display(),
            "existing_account": self.existing_user is not None,
        }
        return render(self.request, self.template_name, context)

    def get(self, request):
        return self.render_form(self.make_form())

    def post(self, request):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        if self.existing_user is not None:
            checked = authenticate(request, username=self.invitation.email, password=form.cleaned_data["password"])
            if checked is None or checked.pk != self.existing_user.pk:
                form.add_error("password", _("The password is not right."))
                return self.render_form(form)
            first_name, last_name, password = checked.first_name, checked.last_name, ""
        else:
            first_name = form.cleaned_data["first_name"]
            last_name = form.cleaned_data["last_name"]
            password = form.cleaned_data["password1"]
        try:
            user = invitation_accept(
                invitation=self.invitation, password=password, first_name=first_name, last_name=last_name,
                language=translation.get_language() or "",
            )
        except InvitationUnusable:
            return self.unusable(request, self.invitation.__class__.objects.filter(pk=self.invitation.pk).first())
        except ValidationError as exc:
            # The membership rule refuses it (one's own invitation, a platform admin in a case role):
            # nothing was saved; the message says why.
            for message in exc.messages:
                form.add_error(None, message)
            return self.render_form(form)
        request.session.pop(INVITATION_SESSION_KEY, None)
        auth_login(request, user, backend="apps.accounts.backends.EmailOrUsernameBackend")
        messages.success(
            request,
            _("Welcome! You have joined %(institution)s as %(role)s. Now set up two-factor login.")
            % {"institution": self.invitation.institution.display_name(), "role": self.invitation.get_role_display()},
        )
        response = redirect("accounts:otp_setup")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, user.language, samesite="Lax", secure=request.is_secure()
        )
        return response
