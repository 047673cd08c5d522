"""Scoped API base: concrete viewsets declare a queryset and serializer, nothing else about access."""
from django.db import transaction
from django.http import Http404
from django.utils import translation
from rest_framework import mixins, viewsets

from ..audit import audit_log
from ..choices import AuditAction

_ACTION_MAP = {
    "list": "view",
    "retrieve": "view",
    "create": "change",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}


def activate_user_language(request) -> None:
    """Messages in the user's language unless the client asked for one (Accept-Language)."""
    user = request.user
    if "HTTP_ACCEPT_LANGUAGE" not in request.META and getattr(user, "language", ""):
        translation.activate(user.language)
        request.LANGUAGE_CODE = translation.get_language()


class UserLanguageMixin:
    """Answers (and their error messages) in the requesting user's language by default."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        activate_user_language(request)


class ScopedViewSetMixin:
    """get_queryset() goes through visible_to(); objects out of scope are 404; writes re-checked."""

    audit_reads = False
    # Ids are numbers: anything else in the URL does not match the route (404), never reaches a query.
    lookup_value_regex = r"[0-9]+"
    # Extra actions (``@action``) name their scope here, e.g. {"end": "change"}; unknown ones read.
    action_scopes: dict[str, str] = {}

    def scope_action(self) -> str:
        action = getattr(self, "action", None) or ""
        return self.action_scopes.get(action) or _ACTION_MAP.get(action, "view")

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user, self.scope_action())

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["user"] = self.request.user
        return context

    def get_scoped_object(self, queryset, action: str | None = None):
        """The object of this URL from another queryset than the viewset's (e.g. one that also holds
        rows the list leaves out), through ``visible_to(user, action)``; 404 when out of scope."""
        found = queryset.visible_to(self.request.user, action or self.scope_action()).filter(
            pk=self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        ).first()
        if found is None:
            raise Http404
        self.check_object_permissions(self.request, found)
        return found

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        if self.audit_reads:
            audit_log(action=AuditAction.VIEW, actor=request.user, obj=self.get_object())
        return response

    def _recheck(self, instance, action="change"):
        model = type(instance)
        if not model._default_manager.visible_to(self.request.user, action).filter(pk=instance.pk).exists():
            transaction.set_rollback(True)
            raise Http404

    def perform_create(self, serializer):
        with transaction.atomic():
            instance = serializer.save()
            self._recheck(instance)

    def perform_update(self, serializer):
        with transaction.atomic():
            instance = serializer.save()
            self._recheck(instance)


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve within the user's scope."""


class ScopedReadCreateViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """List, retrieve and create within the user's scope (changes, if any, are extra actions)."""


class ScopedModelViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Create, read and update within the user's scope (deletion is not offered by default)."""
