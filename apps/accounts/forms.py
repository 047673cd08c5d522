"""Account forms: login, second factor, invitations, staff management, profile."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader
from django.utils.translation import gettext_lazy as _

from apps.core import outbox
from apps.core.choices import Role
from apps.core.dates import WindowDateField
from apps.core.filters import DateInput, DateRangeForm
from apps.core.forms import ScopedFormMixin, ScopedModelChoiceField
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from .choices import AccessNoticeKind
from .csv_import import MAX_BYTES, parse_invitation_csv
from .invitations import invitation_check
from .models import User


class LoginForm(AuthenticationForm):
    """E-mail (or username) and password."""
    username = forms.CharField(
        label=_("E-mail or username"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    error_messages = {
        "invalid_login": _("Wrong e-mail/username or password. After 5 failed attempts the login is locked for 15 minutes."),
        "inactive": _("This account is not active."),
    }


class OTPCodeForm(forms.Form):
    """A six-digit code from the authenticator app."""
    code = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown in your app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "maxlength": 8}
        ),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip()


class QueuedPasswordResetForm(PasswordResetForm):
    """Sends the reset e-mail through the outbox, after the request's transaction commits."""
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        outbox.send_email(subject=subject, body=body, to=[to_email], kind="accounts.password_reset")


class InvitationAcceptForm(forms.Form):
    """A new account from an invitation: name and a password typed twice (Django's validators)."""
    first_name = forms.CharField(label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password, not only digits, not like your name or e-mail."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, invitation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        if invitation is not None and not self.is_bound:
            self.initial.setdefault("first_name", invitation.first_name)
            self.initial.setdefault("last_name", invitation.last_name)

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif p1:
            probe = User(
                email=getattr(self.invitation, "email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class InvitationExistingAccountForm(forms.Form):
    """The invited e-mail already has an account: its password confirms it is the same person."""
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class InviteForm(ScopedFormMixin, forms.Form):
    """Invite one person to one of the institutions the user administers."""
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    institution = ScopedModelChoiceField(Institution.objects.active(), label=_("Institution"), action="change")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _preselect_single(self.fields["institution"], self)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("email") and cleaned.get("role"):
            try:
                invitation_check(email=cleaned["email"], role=cleaned["role"], invited_by=self.user)
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


class InviteCsvForm(ScopedFormMixin, forms.Form):
    """Invite many people from a spreadsheet saved as CSV."""
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: email, first_name, last_name, role (code or name, e.g. caseworker), and institution_id if "
            "you manage several institutions. Comma or semicolon separated, UTF-8."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    institution = ScopedModelChoiceField(
        Institution.objects.active(),
        label=_("Institution"),
        action="change",
        required=False,
        empty_label=_("As given in the file (institution_id column)"),
        help_text=_("Everyone in the file joins this institution, unless the file has an institution_id column."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        _preselect_single(self.fields["institution"], self)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB. Split it into smaller files."))
        result = parse_invitation_csv(
            upload.read(),
            institutions=list(self.fields["institution"].queryset),
            default_institution=cleaned.get("institution"),
            uploaded_by=self.user,
        )
        if not result.ok:
            raise forms.ValidationError([forms.ValidationError(message) for message in result.errors])
        self.rows = result.rows
        return cleaned


def _preselect_single(field, form):
    """With only one institution to offer, preselect it; across municipalities, name the municipality too."""
    if not form.is_bound and len(field.queryset[:2]) == 1:
        form.initial.setdefault("institution", field.queryset[:1][0].pk)
    if form.user is not None and form.user.is_platform_admin:
        field.queryset = field.queryset.select_related("municipality").order_by("municipality__name", "name")
        field.label_from_instance = lambda inst: f"{inst.name} ({inst.municipality.name})"


class StaffFilterForm(ScopedFormMixin, forms.Form):
    """Narrow the staff page (filters, never security: the lists are already scoped)."""
    STATUS_CHOICES = [("active", _("Active")), ("ended", _("Ended")), ("all", _("All"))]
    INVITATION_CHOICES = [
        ("", _("All")),
        ("pending", _("Pending")),
        ("expired", _("Expired")),
        ("accepted", _("Accepted")),
        ("revoked", _("Revoked")),
    ]

    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    municipality = ScopedModelChoiceField(
        Municipality.objects.all(), label=_("Municipality"), required=False, empty_label=_("All")
    )
    institution = ScopedModelChoiceField(
        Institution.objects.all(), label=_("Institution"), action="change", required=False, empty_label=_("All")
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All"))] + list(Role.choices), required=False)
    status = forms.ChoiceField(label=_("Membership"), choices=STATUS_CHOICES, required=False)
    invitation_status = forms.ChoiceField(label=_("Invitations"), choices=INVITATION_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        if user is None or not user.is_platform_admin:
            # Only platform admins span municipalities; an institution admin's list is one place.
            del self.fields["municipality"]
        self.fields["institution"].queryset = self.fields["institution"].queryset.select_related("municipality")


class ProfileForm(forms.ModelForm):
    """What a person may change about themselves."""
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "language"]


class ApiTokenRevokeForm(forms.Form):
    """Which token to revoke (by its public prefix, never the secret)."""
    token_key = forms.CharField(max_length=64)


class AccessNoticeFilterForm(DateRangeForm):
    """Narrow the "New access" list by date and kind (the list is already scoped)."""
    date_from = WindowDateField(label=_("From"), required=False, widget=DateInput())
    date_to = WindowDateField(label=_("To"), required=False, widget=DateInput())
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *AccessNoticeKind.choices])
