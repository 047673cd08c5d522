"""Keyset (cursor) pagination for every API list."""
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from rest_framework import pagination
from rest_framework.exceptions import NotFound

BIGINT = 2**63


class CursorPagination(pagination.CursorPagination):
    """Stable, index-friendly pages; ordering on the primary key unless a view says otherwise.

    A cursor is decoded from the query string, so its position is checked against the ordering
    field before it reaches the database: a forged one answers 404 "Invalid cursor", like a garbled one.
    """

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None and not self._position_fits(cursor.position):
            raise NotFound(self.invalid_cursor_message)
        return cursor

    def _position_fits(self, position: str) -> bool:
        name = self.ordering[0].lstrip("-") if isinstance(self.ordering, list | tuple) else self.ordering.lstrip("-")
        model = getattr(self, "_model", None)
        if model is None:
            return True
        try:
            field = model._meta.get_field("id" if name == "pk" else name)
        except FieldDoesNotExist:
            return True
        try:
            value = field.to_python(position)
        except (ValidationError, ValueError, TypeError, OverflowError):
            return False
        if isinstance(field, models.IntegerField) and not -BIGINT <= value < BIGINT:
            return False
        return value is not None
