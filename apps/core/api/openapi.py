"""Schema classes for views whose answer drf-spectacular would otherwise guess wrong."""
from drf_spectacular.openapi import AutoSchema


class SingleObjectSchema(AutoSchema):
    """For a ``list`` action that answers one object (e.g. the work queue), not an array of them."""

    def _is_list_view(self, serializer=None):
        return False
