"""Scoped relation fields for serializers."""
from rest_framework import serializers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """Accepts only ids of objects the requesting user may see (another tenant's id is 'does not exist')."""

    def __init__(self, *args, action: str = "view", **kwargs):
        self.scope_action = action
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.context.get("user") or getattr(self.context.get("request"), "user", None)
        if user is None:
            return queryset.none()
        return queryset.visible_to(user, self.scope_action)
