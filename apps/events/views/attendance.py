"""Participants, attendance, the sign-in and attendance PDFs, certificates and their progress."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.service_errors import apply_service_errors

from .. import pdf
from ..forms import OutsideForm, RevokeForm
from ..models import Certificate, CertificateRun, Participant
from ..services import certificates as certificate_services
from ..services import events as services
from .events import EventView, detail_url


def _errors(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


class ParticipantAddView(EventView, View):
    action = "change"

    def post(self, request, pk):
        form = OutsideForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
            return HttpResponseRedirect(detail_url(self.event, "participants"))
        data = form.cleaned_data
        try:
            if data.get("person"):
                services.participant_add(user=request.user, event=self.event, person=data["person"])
            else:
                services.participant_add(user=request.user, event=self.event, outside=services.Outside(
                    name=data["name"], institution_name=data.get("institution_name", ""),
                    function=data.get("function", ""), email=data.get("email", ""), language=data["language"]))
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _t("The participant is added."))
        return HttpResponseRedirect(detail_url(self.event, "participants"))


class ParticipantRemoveView(EventView, View):
    action = "change"

    def post(self, request, pk, participant_pk):
        try:
            services.participant_remove(user=request.user, event=self.event, participant_id=participant_pk)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _t("The participant is removed."))
        return HttpResponseRedirect(detail_url(self.event, "participants"))


class AttendanceView(EventView, View):
    """Record who attended and their hours."""

    action = "change"

    def post(self, request, pk):
        attended, hours = {}, {}
        for participant_id in Participant.objects.filter(event_id=self.event.pk).values_list("pk", flat=True):
            attended[participant_id] = request.POST.get(f"attended_{participant_id}") == "on"
            raw = (request.POST.get(f"hours_{participant_id}") or "").replace(",", ".").strip()
            if raw:
                try:
                    hours[participant_id] = Decimal(raw)
                except InvalidOperation:
                    messages.error(request, _t("Enter hours as a number, e.g. 6 or 6.5."))
                    return HttpResponseRedirect(detail_url(self.event, "attendance"))
        try:
            changed = services.attendance_record(user=request.user, event=self.event, attended=attended, hours=hours)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _t("Attendance is recorded (%(n)s changed).") % {"n": changed})
        return HttpResponseRedirect(detail_url(self.event, "attendance"))


class _PdfView(EventView, View):
    action = "change"
    kind = ""

    def get(self, request, pk):
        event = self.event
        participants = list(Participant.objects.filter(event_id=event.pk).select_related("user").order_by("name", "id"))
        language = get_language() or "sr-latn"
        body = (pdf.sign_in_sheet if self.kind == "sign-in" else pdf.attendance_record)(event, participants, language)
        audit_log(action=AuditAction.EXPORT, actor=request.user, obj=event, details={"pdf": self.kind})
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{self.kind}-{event.pk}.pdf"'
        return response


class SignInPdfView(_PdfView):
    kind = "sign-in"


class AttendancePdfView(_PdfView):
    kind = "attendance"


class CertificatesIssueView(EventView, View):
    """Queue the certificates of everyone who attended (or of those ticked)."""

    action = "change"

    def post(self, request, pk):
        ids = [int(v) for v in request.POST.getlist("participant") if v.isdigit()]
        try:
            run = certificate_services.certificates_request(user=request.user, event=self.event, participant_ids=ids)
        except ValidationError as error:
            _errors(request, error)
            return HttpResponseRedirect(detail_url(self.event, "certificates"))
        messages.success(request, _t("Issuing %(n)s certificates; the progress is shown below.") % {"n": run.total})
        return HttpResponseRedirect(detail_url(self.event, "certificates"))


class CertificateRunView(EventView, View):
    """The progress of a certificate run (a fragment the event page polls)."""

    action = "change"

    def get(self, request, pk, run_pk):
        run = self.child_row(CertificateRun, run_pk, parent_field="event")
        return render(request, "events/_run.html", {"run": run, "event": self.event})


class CertificatePdfView(EventView, View):
    """One certificate's PDF: for who runs the event and for its holder."""

    def get(self, request, pk, certificate_pk):
        certificate = self.child_row(Certificate, certificate_pk, parent_field="event")
        if not certificate.pdf:
            raise Http404
        audit_log(action=AuditAction.EXPORT, actor=request.user, obj=certificate, details={"pdf": "certificate"})
        return FileResponse(certificate.pdf.open("rb"), content_type="application/pdf",
                            filename=f"certificate-{certificate.code}.pdf")




class CertificateRevokeView(EventView, View):
    """Revoke a certificate with a reason (who runs the event); the holder may then get a new one."""

    action = "change"
    template_name = "events/certificate_revoke.html"

    def certificate(self, certificate_pk):
        return self.child_row(Certificate, certificate_pk, parent_field="event", action="change",
                              select_related=("participant", "participant__user"))

    def render(self, certificate, form):
        return render(self.request, self.template_name, {"event": self.event, "certificate": certificate, "form": form})

    def get(self, request, pk, certificate_pk):
        certificate = self.certificate(certificate_pk)
        return self.render(certificate, RevokeForm())

    def post(self, request, pk, certificate_pk):
        certificate = self.certificate(certificate_pk)
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                certificate_services.certificate_revoke(user=request.user, event=self.event,
                                                        certificate_id=certificate.pk,
                                                        reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The certificate %(code)s is revoked; its code now shows as revoked.")
                                 % {"code": certificate.code})
                return HttpResponseRedirect(detail_url(self.event, "certificates"))
        return self.render(certificate, form)
