"""Keyset (cursor) pagination for every API list."""
from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Stable, index-friendly pages; ordering on the primary key unless a view says otherwise."""

    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
