"""Pages of the interlinking app: the institution admin's machine accounts (create, rotate, revoke,
upload a file, see what came in) and the matching queue of the institution's case staff."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from apps.core.choices import Role
from apps.core.views_scoped import ScopedObjectView, ScopedView
from apps.institutions.models import Institution

from . import selectors
from .choices import RecordStatus
from .files import FileErrors
from .forms import AssignForm, MachineAccountEditForm, MachineAccountForm, UndoForm, UploadForm
from .models import ImportRun, InboundRecord, MachineAccount
from .services import accounts as account_services
from .services.imports import import_start
from .services.queue import record_assign, record_undo


def _admin_institutions(user):
    return user.access.institution_ids(Role.INSTITUTION_ADMIN)


class AccountListView(ScopedView, View):
    """The machine accounts of the institutions the user administers."""

    model = MachineAccount
    action = "change"

    def get(self, request):
        if not _admin_institutions(request.user):
            raise Http404
        return render(request, "interlink/account_list.html", {"accounts": selectors.accounts_for(request.user)})


class AccountCreateView(ScopedView, View):
    """A new machine account of the admin's institution; its token is shown once."""

    model = MachineAccount
    action = "change"

    def _institution(self, request):
        ids = _admin_institutions(request.user)
        if not ids:
            raise Http404
        membership = next(m for m in request.user.access.memberships if m.institution_id in ids)
        return Institution.objects.visible_to(request.user).get(pk=membership.institution_id)

    def get(self, request):
        self._institution(request)
        return render(request, "interlink/account_form.html", {"form": MachineAccountForm()})

    def post(self, request):
        institution = self._institution(request)
        form = MachineAccountForm(request.POST)
        if form.is_valid():
            try:
                account, secret = account_services.machine_account_create(user=request.user, institution=institution,
                                                                           **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                return render(request, "interlink/token_shown.html", {"account": account, "secret": secret})
        return render(request, "interlink/account_form.html", {"form": form})


class AccountDetailView(ScopedObjectView, View):
    """One account: scopes, tokens, what came in, file imports."""

    model = MachineAccount
    action = "change"

    def get(self, request, pk, form=None, upload=None, file_errors=None):
        account = self.get_scoped_object()
        return render(request, "interlink/account_detail.html", {
            "account": account, "tokens": selectors.tokens_of(account),
            "form": form or MachineAccountEditForm(initial={"scopes": account.scopes, "rate_per_minute": account.rate_per_minute}),
            "upload": upload or UploadForm(), "file_errors": file_errors or [],
            "records": selectors.records_for(request.user).filter(account=account)[:20],
            "imports": selectors.imports_for(request.user, account),
        })

    def post(self, request, pk):
        account = self.get_scoped_object()
        form = MachineAccountEditForm(request.POST)
        if form.is_valid():
            try:
                account_services.machine_account_update(user=request.user, account=account, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The machine account is saved."))
                return redirect("interlink:account_detail", pk=account.pk)
        return self.get(request, pk, form=form)


class AccountRotateView(ScopedObjectView, View):
    model = MachineAccount
    action = "change"

    def post(self, request, pk):
        account = self.get_scoped_object()
        try:
            secret = account_services.machine_token_rotate(user=request.user, account=account)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("interlink:account_detail", pk=account.pk)
        return render(request, "interlink/token_shown.html", {"account": account, "secret": secret, "rotated": True})


class TokenRevokeView(ScopedObjectView, View):
    model = MachineAccount
    action = "change"

    def post(self, request, pk, prefix):
        account = self.get_scoped_object()
        if account_services.machine_token_revoke(user=request.user, account=account, prefix=prefix):
            messages.success(request, _("The token is revoked."))
        return redirect("interlink:account_detail", pk=account.pk)


class AccountRevokeView(ScopedObjectView, View):
    model = MachineAccount
    action = "change"

    def post(self, request, pk):
        account = account_services.machine_account_revoke(user=request.user, account=self.get_scoped_object())
        messages.success(request, _("The machine account is revoked: its tokens no longer work."))
        return redirect("interlink:account_detail", pk=account.pk)


class UploadView(AccountDetailView):
    """An admin sends a file for a system that can only export files (refused whole when wrong)."""

    def post(self, request, pk):
        account = self.get_scoped_object()
        upload = UploadForm(request.POST, request.FILES)
        if not upload.is_valid():
            return self.get(request, pk, upload=upload)
        data = upload.cleaned_data["file"]
        try:
            run = import_start(account=account, kind=upload.cleaned_data["kind"], name=data.name, data=data.read(),
                               uploaded_by=request.user)
        except FileErrors as exc:
            return self.get(request, pk, upload=upload, file_errors=exc.errors)
        except PermissionDenied as exc:
            upload.add_error("kind", str(exc))
            return self.get(request, pk, upload=upload)
        return redirect("interlink:import_detail", pk=run.pk)


class ImportDetailView(ScopedObjectView, View):
    """The progress of a file import (the page refreshes itself while it runs)."""

    model = ImportRun
    action = "view"

    def get(self, request, pk):
        return render(request, "interlink/import_detail.html", {"run": self.get_scoped_object()})


class RecordListView(ScopedView, View):
    """What came in, and the matching queue (``?status=queued``)."""

    model = InboundRecord
    action = "view"

    def get(self, request):
        status = request.GET.get("status", "")
        records = list(selectors.records_for(request.user, status=status)[:200])
        return render(request, "interlink/record_list.html", {
            "records": records, "status": status, "statuses": RecordStatus.choices,
        })


class RecordDetailView(ScopedObjectView, View):
    """One record: where it landed and why; candidates the reader may see; decide or undo."""

    model = InboundRecord
    action = "view"

    def get(self, request, pk, assign=None, undo=None):
        record = self.get_scoped_object()
        may_decide = selectors.may_decide(request.user, record)
        cases = selectors.candidate_cases(request.user, record) if may_decide else []
        self.audit_read(record)
        return render(request, "interlink/record_detail.html", {
            "record": record, "may_decide": may_decide, "candidates": selectors.candidate_rows(request.user, record),
            "assign": assign or AssignForm(cases=cases), "undo": undo or UndoForm(),
            "history": record.explanation.get("history", []),
            "case": selectors.case_if_visible(request.user, record),
        })


class RecordAssignView(RecordDetailView):
    action = "change"

    def post(self, request, pk):
        record = self.get_scoped_object()
        cases = selectors.candidate_cases(request.user, record)
        form = AssignForm(request.POST, cases=cases)
        if form.is_valid():
            try:
                record_assign(user=request.user, record=record, case_id=form.cleaned_data["case"] or None)
            except ValidationError as exc:
                form.add_error("case", exc.messages)
            else:
                messages.success(request, _("The record is on the case."))
                return redirect("interlink:record_detail", pk=record.pk)
        return self.get(request, pk, assign=form)


class RecordUndoView(RecordDetailView):
    action = "change"

    def post(self, request, pk):
        record = self.get_scoped_object()
        form = UndoForm(request.POST)
        if form.is_valid():
            try:
                record_undo(user=request.user, record=record, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error("reason", exc.messages)
            else:
                messages.success(request, _("The decision is undone; the record waits in the queue."))
                return redirect("interlink:record_detail", pk=record.pk)
        return self.get(request, pk, undo=form)
