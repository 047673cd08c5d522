"""Shared pieces of the protocols models: the reader's script and the owner (a municipality or national)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

User = settings.AUTH_USER_MODEL
INSTITUTION = "institutions.Institution"


def in_language(obj, name: str, language: str | None = None) -> str:
    """A text kept in three columns (``name``: Latin, ``name_cyrl``, ``name_en``), in the reader's language;
    Latin when the other is empty (free text is stored as entered)."""
    language = ((language if language is not None else get_language()) or "").lower()
    latin = getattr(obj, name, "") or ""
    if language.endswith("cyrl"):
        return getattr(obj, f"{name}_cyrl", "") or latin
    if language.startswith("en"):
        return getattr(obj, f"{name}_en", "") or latin
    return latin


class NationalOrMunicipal(TimeStampedModel):
    """A row of a national template (no municipality: published by platform admins, read by everyone
    signed in) or of one municipality's adaptation. The tables are directory tables of the row-level
    security (apps/core/tenancy.py): rules, not case content."""

    municipality = models.ForeignKey(
        "municipalities.Municipality", on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name=_("municipality"),
    )

    class Meta:
        abstract = True

    @property
    def is_national(self) -> bool:
        return self.municipality_id is None
