"""Optimistic locking: a row with a ``version`` column is saved only if nobody saved it meanwhile."""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

# Bookkeeping columns that are never reported as "changed by someone else".
_IGNORED = {"version", "updated_at", "created_at", "last_activity_at"}


class VersionConflict(ValidationError):
    """The row moved on since the user loaded it; nothing was saved.

    ``current`` is the row as it is now in the database, ``changed_fields`` the names of the
    fields whose stored value differs from what the user tried to save, ``changed_labels`` their
    (lazily) translated labels (for the message). It is a ValidationError (non-field), so a form shows
    it as a clear message; an API answers 412 Precondition Failed.
    """

    def __init__(self, *, current: models.Model, changed_fields: list[str]):
        self.current = current
        self.changed_fields = list(changed_fields)
        self.changed_labels = [_field_label(current, name) for name in self.changed_fields]
        if self.changed_labels:
            message = _(
                "Someone else saved this record while you were editing it. Changed: %(fields)s. "
                "Nothing was saved; reload to see their version and enter your changes again."
            )
            # Joined when the message is shown, so the labels are in the reader's language.
            params = {"fields": lazy(lambda labels: ", ".join(str(label) for label in labels), str)(self.changed_labels)}
        else:
            message = _(
                "Someone else saved this record while you were editing it. "
                "Nothing was saved; reload to see their version and enter your changes again."
            )
            params = None
        super().__init__({NON_FIELD_ERRORS: [ValidationError(message, code="version_conflict", params=params)]})

    @property
    def current_version(self) -> int | None:
        """The version now stored (for an ETag)."""
        return getattr(self.current, "version", None)


def _field_label(obj: models.Model, name: str) -> str:
    try:
        return obj._meta.get_field(name).verbose_name
    except Exception:  # noqa: BLE001 - a plain name is a fine fallback for a label
        return name


def _parse_version(expected_version) -> int:
    try:
        value = int(expected_version)
    except (TypeError, ValueError):
        raise ValidationError(
            {"version": _("The version of the record you edited is missing or invalid; reload the page.")},
            code="invalid",
        ) from None
    if value < 1:
        raise ValidationError({"version": _("The version of the record you edited is invalid; reload the page.")})
    return value


def changed_fields_between(current: models.Model, obj: models.Model, fields: Iterable[str] | None = None) -> list[str]:
    """Names of concrete fields whose value in ``current`` differs from ``obj``."""
    names = []
    for field in current._meta.concrete_fields:
        if field.primary_key or field.name in _IGNORED:
            continue
        if fields is not None and field.name not in fields:
            continue
        if getattr(current, field.attname) != getattr(obj, field.attname):
            names.append(field.name)
    return names


def save_with_version(
    obj: models.Model, expected_version, fields: Iterable[str], *, validate: bool = True
) -> models.Model:
    """Save ``fields`` of ``obj`` with UPDATE ... WHERE id = %s AND version = %s and bump the version.

    Raises VersionConflict (and saves nothing) when the stored version is not ``expected_version``.
    ``validate`` runs ``full_clean()`` first. Call inside the service's transaction.
    """
    expected = _parse_version(expected_version)
    model = type(obj)
    fields = [f for f in dict.fromkeys(fields) if f not in ("version", "id", "pk")]
    if validate:
        obj.full_clean()
    values = {}
    for name in fields:
        field = model._meta.get_field(name)
        values[field.attname] = getattr(obj, field.attname)
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        obj.updated_at = timezone.now()
        values["updated_at"] = obj.updated_at
    values["version"] = F("version") + 1
    rows = model._base_manager.filter(pk=obj.pk, version=expected).update(**values)
    if rows != 1:
        current = model._base_manager.filter(pk=obj.pk).first()
        if current is None:
            raise model.DoesNotExist(f"{model._meta.label} {obj.pk} no longer exists.")
        # Every field where the stored row differs from what this user would have saved: the
        # fields they edited that someone else set otherwise, and (for a stale object) the rest.
        changed = changed_fields_between(current, obj)
        raise VersionConflict(current=current, changed_fields=changed)
    obj.version = expected + 1
    return obj
