"""A figure as a file (CSV or XLSX): the same cells as the page, hidden ones as "< 5" or "c"."""
from __future__ import annotations

from django.http import HttpResponse

from apps.action_plans.tabular import render


def figure_response(table, name: str, fmt: str) -> HttpResponse:
    body, content_type = render(fmt, table.headers(), table.export_rows(), title=str(table.figure.title))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
