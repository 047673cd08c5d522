"""The staff page: an institution admin's people, invitations and their management."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from apps.core.choices import Role
from apps.core.redirects import requested_next
from apps.core.views import ScopedFormMixin, ScopedQuerysetMixin

from . import selectors, services
from .csv_import import template_csv
from .forms import AccessNoticeFilterForm, InviteCsvForm, InviteForm, StaffFilterForm
from .invitations import InvitationRow, invitation_create, invitation_create_many, invitation_revoke
from .models import Invitation, Membership


class StaffAdminMixin(LoginRequiredMixin):
    """Only platform admins and institution admins reach staff pages; anyone else gets 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.manages_staff(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def _back_to_staff(request):
    """Back to the staff page, keeping its filters when the form said where it came from."""
    return redirect(requested_next(request, within=reverse("accounts:staff")) or "accounts:staff")


class StaffView(StaffAdminMixin, TemplateView):
    """Members and invitations of the institutions the user administers."""

    template_name = "accounts/staff.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        form = StaffFilterForm(self.request.GET or None, user=user)
        filters = form.cleaned_data if form.is_valid() else {}
        common = {
            "municipality": filters.get("municipality"),
            "institution": filters.get("institution"),
            "role": filters.get("role") or "",
            "q": (filters.get("q") or "").strip(),
        }
        memberships = selectors.staff_memberships(user=user, status=filters.get("status") or "active", **common)
        members_page = Paginator(memberships, self.paginate_by).get_page(self.request.GET.get("page"))
        invitations = selectors.staff_invitations(user=user, status=filters.get("invitation_status") or "", **common)
        invitations_page = Paginator(invitations, self.paginate_by).get_page(self.request.GET.get("ipage"))
        ctx.update(
            filter_form=form,
            members_page=members_page,
            invitations_page=invitations_page,
            with_2fa=selectors.users_with_second_factor(m.user_id for m in members_page),
            is_platform_admin=user.is_platform_admin,
            query_without_page=_query_without(self.request.GET, "page"),
            query_without_ipage=_query_without(self.request.GET, "ipage"),
            here=self.request.get_full_path(),
        )
        return ctx


def _query_without(params, key: str) -> str:
    copy = params.copy()
    copy.pop(key, None)
    return copy.urlencode()


class InviteView(StaffAdminMixin, ScopedFormMixin, FormView):
    """Invite one person by e-mail."""

    template_name = "accounts/staff_invite.html"
    form_class = InviteForm
    success_url = reverse_lazy("accounts:staff")

    def _create(self, data):
        invitation = invitation_create(
            email=data["email"], institution=data["institution"], role=data["role"], invited_by=self.request.user,
            first_name=data["first_name"], last_name=data["last_name"],
        )
        # Re-check inside the transaction: the result must be something this admin manages.
        if invitation is not None and not Invitation.objects.visible_to(self.request.user, "change").filter(
            pk=invitation.pk
        ).exists():
            transaction.set_rollback(True)
            raise Http404
        return invitation

    def form_valid(self, form):
        data = form.cleaned_data
        already_pending = selectors.staff_invitations(
            user=self.request.user, institution=data["institution"], role=data["role"], status="pending"
        ).filter(email__iexact=data["email"]).exists()
        try:
            with transaction.atomic():
                invitation = self._create(data)
        except ValidationError as exc:
            # The membership rule, checked again inside the service (the form checked it first).
            form.add_error(None, exc)
            return self.form_invalid(form)
        if invitation is None:
            messages.info(self.request, _("This person already has that role in the institution."))
        elif already_pending:
            messages.info(self.request, _("This person was already invited; the invitation is still pending."))
        else:
            messages.success(self.request, _("Invitation sent."))
        return super().form_valid(form)


class InviteCsvView(StaffAdminMixin, ScopedFormMixin, FormView):
    """Invite many people from a CSV file; a file with any error is refused whole."""

    template_name = "accounts/staff_invite_csv.html"
    form_class = InviteCsvForm
    success_url = reverse_lazy("accounts:staff")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["roles"] = Role.choices
        ctx["institutions"] = list(ctx["form"].fields["institution"].queryset.order_by("name")[:101])
        return ctx

    def form_valid(self, form):
        rows: list[InvitationRow] = form.rows
        result = invitation_create_many(rows=rows, invited_by=self.request.user)
        messages.success(
            self.request,
            ngettext("%(count)s invitation sent.", "%(count)s invitations sent.", result.sent) % {"count": result.sent},
        )
        if result.already_pending:
            messages.info(
                self.request,
                ngettext(
                    "%(count)s person was already invited (still pending).",
                    "%(count)s people were already invited (still pending).",
                    result.already_pending,
                )
                % {"count": result.already_pending},
            )
        if result.already_member:
            messages.info(
                self.request,
                ngettext(
                    "%(count)s person already has that role.", "%(count)s people already have that role.",
                    result.already_member,
                )
                % {"count": result.already_member},
            )
        return super().form_valid(form)


class InviteCsvTemplateView(StaffAdminMixin, View):
    """A sample CSV to fill in (UTF-8 with BOM, so spreadsheets open it correctly)."""

    def get(self, request):
        response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="staff-invitations.csv"'
        return response


class ScopedActionView(StaffAdminMixin, ScopedQuerysetMixin, SingleObjectMixin, View):
    """A POST-only action on one object the user may change; anything else answers 404."""

    action = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.perform(self.object)
        return _back_to_staff(request)

    def perform(self, obj):  # pragma: no cover - every subclass implements it
        raise NotImplementedError


class InvitationRevokeView(ScopedActionView):
    """Revoke a pending invitation (its link stops working)."""

    model = Invitation

    def perform(self, invitation):
        if invitation.status not in ("pending", "expired"):
            messages.info(self.request, _("This invitation is no longer open."))
            return
        invitation_revoke(invitation=invitation, revoked_by=self.request.user)
        messages.success(self.request, _("Invitation revoked."))


class MembershipEndView(ScopedActionView):
    """End a person's role in an institution."""

    model = Membership

    def perform(self, membership):
        if membership.user_id == self.request.user.pk:
            messages.error(self.request, _("You cannot end your own membership. Ask another admin."))
            return
        if not membership.is_active:
            messages.info(self.request, _("This membership has already ended."))
            return
        services.membership_end(membership=membership, ended_by=self.request.user)
        messages.success(self.request, _("Membership ended."))


class TotpResetView(ScopedActionView):
    """Remove a member's authenticator (lost phone): they set up a new one at their next login."""

    # Only through a current membership: a former member is no longer this admin's to manage.
    queryset = Membership.objects.filter(is_active=True)

    def perform(self, membership):
        if membership.user_id == self.request.user.pk:
            messages.error(self.request, _("You cannot reset your own second factor. Ask another admin."))
            return
        services.totp_reset(user=membership.user, reset_by=self.request.user)
        messages.success(self.request, _("Second factor reset. The person sets up a new one at the next login."))


class AccessNoticeListView(LoginRequiredMixin, TemplateView):
    """New access to cases (roles and shared cases) in the municipality: for its coordinators and
    institution admins; anyone else gets 404."""

    template_name = "accounts/access_notices.html"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not selectors.reads_access_notices(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = AccessNoticeFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        notices = selectors.access_notices(
            user=self.request.user, date_from=filters.get("date_from"), date_to=filters.get("date_to"),
            kind=filters.get("kind") or "",
        )
        ctx.update(
            filter_form=form,
            page=Paginator(notices, self.paginate_by).get_page(self.request.GET.get("page")),
            query_without_page=_query_without(self.request.GET, "page"),
            is_filtered=bool(self.request.GET),
        )
        return ctx
