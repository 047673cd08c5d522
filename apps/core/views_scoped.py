"""The scoped base of the HTML views, like NetBox's restricted views.

A concrete view declares its ``model`` (or ``queryset``) and its ``action`` ("view" or "change"); the
base reads the object of the URL from ``Model.objects.visible_to(user, action)`` and answers 404 for
anything else (never 403 for an object the user cannot see). Rows that belong to the object (a
measure of a case) are read with ``scoped_row``: from their own ``visible_to`` and inside the object.
A view may still refuse an object the user sees (403) for a reason it names (e.g. only the team
records on a case).
"""
from __future__ import annotations

from django.shortcuts import get_object_or_404

from .audit import audit_log
from .choices import AuditAction
from .views import ScopedQuerysetMixin


class ScopedView(ScopedQuerysetMixin):
    """A page for signed-in users whose lists come from ``visible_to`` (the base of every HTML view)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.setup_scoped(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def setup_scoped(self, request, *args, **kwargs) -> None:
        """Load what the page is about before the handler runs (nothing for a page of lists)."""

    @property
    def page_name(self) -> str:
        """The URL's name: where a read happened (audit details)."""
        match = getattr(self.request, "resolver_match", None)
        return match.url_name if match else ""

    def scoped_row(self, model, pk, *, action: str | None = None, select_related=(), **filters):
        """``model.objects.visible_to(user, action)`` row ``pk`` matching ``filters``, else 404."""
        queryset = model._default_manager.visible_to(self.request.user, action or self.action)
        if select_related:
            queryset = queryset.select_related(*select_related)
        return get_object_or_404(queryset, pk=pk, **filters)


class ScopedObjectView(ScopedView):
    """A page about the object of the URL (``pk_url_kwarg``), loaded before the handler runs."""

    pk_url_kwarg = "pk"
    select_related: tuple[str, ...] = ()
    _scoped_object = None

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def setup_scoped(self, request, *args, **kwargs) -> None:
        self.get_scoped_object()

    def load_object(self):
        """The object of the URL among those the user may reach for ``action``; 404 otherwise."""
        return get_object_or_404(self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])

    def get_scoped_object(self):
        if self._scoped_object is None:
            self._scoped_object = self.load_object()
        return self._scoped_object

    def reload_object(self):
        """Read the object again (after a version conflict: show what is stored now)."""
        self._scoped_object = None
        return self.get_scoped_object()

    def child_row(self, model, pk, *, parent_field: str = "", action: str | None = None, select_related=(), **filters):
        """A row of the object (``parent_field`` names its foreign key, e.g. "case"): from the row's own
        ``visible_to`` and inside the object of the URL; 404 for a row of another object."""
        parent = parent_field or self.model._meta.model_name
        filters[f"{parent}_id"] = self.get_scoped_object().pk
        return self.scoped_row(model, pk, action=action, select_related=select_related, **filters)

    def audit_read(self, obj=None, **details) -> None:
        """A page showed the object (or one of its rows): one audit VIEW entry."""
        audit_log(action=AuditAction.VIEW, actor=self.request.user, obj=obj or self.get_scoped_object(), details=details)
