"""Shared helpers of the protocols pages: a service call on a form, the conflict answer."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from apps.core.service_errors import apply_service_errors


def run_service(request, form, call, *, success: str, redirect_to: str):
    """Call the service; on success a message and a redirect, else the form with its errors (None)."""
    try:
        call()
    except ValidationError as error:
        conflict = apply_service_errors(form, error)
        if conflict is not None:
            form.add_error(None, conflict.messages[0])
        return None
    messages.success(request, success)
    return HttpResponseRedirect(redirect_to)


def post_service(request, call, *, success: str, redirect_to: str):
    """A POST without a form (a button): the service's refusal becomes an error message."""
    try:
        call()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, success)
    return HttpResponseRedirect(redirect_to)
