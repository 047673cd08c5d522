"""Scoped base views: concrete views declare a queryset; scoping, 404s and write re-checks live here."""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection, transaction
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.views import generic

from .audit import audit_log
from .choices import AuditAction


class ScopedQuerysetMixin(LoginRequiredMixin):
    """Every object and list comes from ``Model.objects.visible_to(user, action)``."""

    action = "view"
    audit_reads = False  # case-data views turn this on: every read is audited

    def get_base_queryset(self):
        if getattr(self, "queryset", None) is not None:
            return self.queryset.all()
        return self.model._default_manager.all()

    def get_queryset(self):
        return self.get_base_queryset().visible_to(self.request.user, self.action)


class ScopedListView(ScopedQuerysetMixin, generic.ListView):
    """A list of what the user may see."""


class ScopedDetailView(ScopedQuerysetMixin, generic.DetailView):
    """One object the user may see; anything else is 404."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if self.audit_reads:
            audit_log(action=AuditAction.VIEW, actor=self.request.user, obj=obj)
        return obj


class ScopedFormMixin:
    """Passes the user to the form so that scoped choice fields narrow themselves."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


class ScopedWriteMixin(ScopedFormMixin):
    """Saves inside a transaction and re-checks, after the save, that the user may change the result."""

    write_action = "change"

    def save_object(self, form):
        """Call the service; the default saves the model form."""
        return form.save()

    def form_valid(self, form):
        with transaction.atomic():
            self.object = self.save_object(form)
            model = type(self.object)
            if not model._default_manager.visible_to(self.request.user, self.write_action).filter(pk=self.object.pk).exists():
                transaction.set_rollback(True)
                raise Http404
        return HttpResponseRedirect(self.get_success_url())


class ScopedCreateView(ScopedWriteMixin, ScopedQuerysetMixin, generic.CreateView):
    """Create an object; the result must be changeable by its creator."""

    action = "change"


class ScopedUpdateView(ScopedWriteMixin, ScopedQuerysetMixin, generic.UpdateView):
    """Change an object the user may change (404 otherwise)."""

    action = "change"


def health(request):
    """Liveness and database check for load balancers (no personal data)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
