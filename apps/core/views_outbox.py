"""The deliveries page: platform admins see what the outbox could not send, and decide.

A failed message (the mail server kept refusing it) or an uncertain one (the process died while
sending, so it may have arrived) is never sent again by itself; here a person sends it again or
discards it. Contents are never shown: kind, masked recipient, times, attempts and the errors.
"""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from . import outbox
from .audit import audit_log
from .choices import AuditAction, OutboxStatus
from .models import OutboxMessage

PAGE_SIZE = 100
# What needs a person first; "all" lists everything still kept.
SHOWN = {
    "attention": [OutboxStatus.FAILED, OutboxStatus.UNCERTAIN],
    "pending": [OutboxStatus.PENDING, OutboxStatus.SENDING],
    "sent": [OutboxStatus.SENT],
    "discarded": [OutboxStatus.DISCARDED],
}


class PlatformAdminView(LoginRequiredMixin, View):
    """Platform admins only; anyone else gets a 404, as for anything they may not see."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_platform_admin:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class OutboxView(PlatformAdminView):
    """The outgoing messages by state, newest first, with counts per state."""

    def get(self, request):
        shown = request.GET.get("show", "attention")
        if shown not in SHOWN:
            shown = "attention"
        rows = (OutboxMessage.objects.filter(status__in=SHOWN[shown])
                .defer("payload").order_by("-created_at", "-pk")[:PAGE_SIZE])
        counts = {name: OutboxMessage.objects.filter(status__in=states).count() for name, states in SHOWN.items()}
        tabs = [
            {"name": "attention", "label": _("Needs attention"), "count": counts["attention"]},
            {"name": "pending", "label": _("Waiting"), "count": counts["pending"]},
            {"name": "sent", "label": _("Sent"), "count": counts["sent"]},
            {"name": "discarded", "label": _("Discarded"), "count": counts["discarded"]},
        ]
        return render(request, "core/outbox.html", {"rows": rows, "tabs": tabs, "shown": shown,
                                                    "page_size": PAGE_SIZE})


class OutboxActionView(PlatformAdminView):
    """Send a failed or uncertain message again, or discard it."""

    def post(self, request, pk: int, action: str):
        message = OutboxMessage.objects.filter(pk=pk).defer("payload").first()
        if message is None or action not in ("send", "discard"):
            raise Http404
        done = outbox.send_again(message) if action == "send" else outbox.discard(message)
        if done:
            audit_log(action=AuditAction.UPDATE, actor=request.user, obj=message,
                      details={"outbox": action, "kind": message.kind})
            messages.success(request, _("The message will be sent again.") if action == "send"
                             else _("The message was discarded."))
        else:
            messages.error(request, _("This message has changed meanwhile; nothing was done."))
        return HttpResponseRedirect(reverse("core:outbox") + "?show=attention")
