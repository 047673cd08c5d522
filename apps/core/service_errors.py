"""Showing a service's refusal on the form that asked for the change, and a version conflict (someone
saved the row meanwhile) with what changed, for every app's HTML views; the two ways a view calls a
service (a form, a button)."""
from __future__ import annotations

import json
from datetime import date, datetime

from django.contrib import messages
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model
from django.http import HttpResponseRedirect
from django.utils import formats, timezone
from django.utils.translation import gettext as _

CONFLICT_TEMPLATE = "core/_conflict.html"
SNAPSHOT_SALT = "cases.measures.snapshot"  # the salt snapshots were first signed with: open forms stay valid


def is_conflict(error) -> bool:
    """Whether a service's ValidationError is a version conflict (it carries the stored row)."""
    return getattr(error, "current", None) is not None and hasattr(error, "changed_fields")


def apply_service_errors(form, error: ValidationError, aliases: dict | None = None):
    """Put a service's ValidationError on the form: on the field it names (or its alias in this form),
    else as a form error; returns nothing.

    A version conflict is not a form error: it is returned (for the conflict partial, shown once with
    what changed) and the form's hidden version moves to the stored one, so that the user can save
    again after reading what changed."""
    if is_conflict(error):
        version = getattr(error.current, "version", None)
        if "version" in form.fields and version and form.is_bound:
            data = form.data.copy()
            data["version"] = str(version)
            form.data = data
        return error
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            name = aliases.get(name, name)
            target = name if name in form.fields and name != NON_FIELD_ERRORS else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)
    return None


def display_value(obj: Model, name: str) -> str:
    """A stored value as a person reads it (choice labels, names, dates as 27.11.2026 14:20)."""
    try:
        field = obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 - an unknown name shows as empty
        return ""
    value = getattr(obj, name, None)
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        display = getattr(obj, f"get_{name}_display", None)
        return str(display()) if display else str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list | tuple):
        base = getattr(field, "base_field", None)
        labels = dict(base.choices) if base is not None and base.choices else {}
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, Model):
        full_name = getattr(value, "get_full_name", None)
        return (full_name() if callable(full_name) else "") or str(value)
    if isinstance(value, dict):
        return _("(changed)")
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "…"


def describe_conflict(conflict) -> list[dict]:
    """Rows for the conflict partial: each changed field's label and the value now stored.

    Also sets ``conflict.rows`` so that the partial needs nothing but ``conflict`` in its context."""
    rows = [
        {"name": name, "label": str(label).capitalize(), "value": display_value(conflict.current, name)}
        for name, label in zip(conflict.changed_fields, conflict.changed_labels, strict=False)
    ]
    conflict.rows = rows
    return rows


def conflict_context(conflict) -> dict:
    """``conflict`` (with its rows) and the partial that shows it, for a page's context."""
    if conflict is None:
        return {"conflict": None}
    return {"conflict": conflict, "conflict_rows": describe_conflict(conflict), "conflict_template": CONFLICT_TEMPLATE}


# --- snapshots: what the user saw when opening a form (for naming what changed in a conflict) ------


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """Datetimes with their microseconds (DjangoJSONEncoder keeps milliseconds only)."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class _JSONSerializer:
    def dumps(self, obj):
        return json.dumps(obj, cls=_FullPrecisionEncoder, separators=(",", ":")).encode("latin-1")

    def loads(self, data):
        return json.loads(data.decode("latin-1"))


def snapshot(obj, fields) -> str:
    """A signed copy of ``fields`` of ``obj`` as the user saw them."""
    data = {"pk": obj.pk}
    for name in fields:
        f = obj._meta.get_field(name)
        data[f.attname] = getattr(obj, f.attname)
    return signing.dumps(data, salt=SNAPSHOT_SALT, serializer=_JSONSerializer)


def as_seen(current, value: str | None):
    """``current`` with the values the user saw (from the snapshot), to compare against the stored row.

    A missing or tampered snapshot gives ``current`` itself (a conflict is still refused, only
    without naming the fields)."""
    if not value:
        return current
    try:
        data = signing.loads(value, salt=SNAPSHOT_SALT, serializer=_JSONSerializer)
    except signing.BadSignature:
        return current
    if data.get("pk") != current.pk:
        return current
    concrete = current._meta.concrete_fields
    seen = type(current).from_db(current._state.db, [f.attname for f in concrete], [getattr(current, f.attname) for f in concrete])
    for attname, raw in data.items():
        if attname == "pk":
            continue
        try:
            model_field = next(f for f in concrete if f.attname == attname)
            setattr(seen, attname, model_field.to_python(raw) if raw is not None else None)
        except (StopIteration, ValidationError):
            continue
    return seen


def run_service(request, form, call, *, success: str, redirect_to: str):
    """Call the service behind a form: on success a message and a redirect; else None, with the refusal
    on the form (a version conflict as a form error naming what changed)."""
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
    """Call the service behind a button (no form): the refusal becomes an error message; a redirect."""
    try:
        call()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        if success:
            messages.success(request, success)
    return HttpResponseRedirect(redirect_to)
