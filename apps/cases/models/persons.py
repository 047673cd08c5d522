"""The persons of a case (victim, perpetrator, children, household); contact data encrypted."""
from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField
from apps.core.models import TenantScopedModel

from ..choices import AgeGroup, PersonRole, Relationship, Sex
from ..querysets import CaseChildManager
from .case import Case


class CasePerson(TenantScopedModel):
    """A victim, perpetrator, child or household member in one case; contact data encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("role"), max_length=16, choices=PersonRole.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    name_key = models.CharField(max_length=210, editable=False, db_index=False)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    jmbg = EncryptedTextField(_("JMBG"), blank=True)
    jmbg_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    confidential_address = models.BooleanField(
        _("confidential address"),
        default=False,
        help_text=_("Only assigned staff of the lead institution see the address."),
    )
    disability = models.BooleanField(_("disability"), default=False)
    relationship_to_victim = models.CharField(
        _("relationship to the victim"), max_length=24, choices=Relationship.choices, blank=True
    )
    is_repeat = models.BooleanField(_("known from an earlier case"), default=False)
    known_elsewhere = models.BooleanField(_("known in another municipality"), default=False)
    version = models.PositiveIntegerField(default=1)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["case_id", "role", "id"]
        indexes = [
            models.Index(fields=["municipality", "jmbg_hash"], name="person_mun_jmbg"),
            models.Index(fields=["municipality", "name_key", "birth_date"], name="person_mun_name_birth"),
            models.Index(fields=["jmbg_hash"], name="person_jmbg"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def age(self) -> int | None:
        """Age in whole years today (from the date or, failing that, the year of birth)."""
        today = date.today()
        if self.birth_date:
            b = self.birth_date
            return today.year - b.year - ((today.month, today.day) < (b.month, b.day))
        if self.birth_year:
            return today.year - self.birth_year
        return None

    @property
    def age_group(self) -> str:
        """Statistical age group."""
        age = self.age
        if age is None:
            return AgeGroup.UNKNOWN
        if age < 18:
            return AgeGroup.CHILD
        if age <= 25:
            return AgeGroup.YOUNG
        if age <= 64:
            return AgeGroup.ADULT
        return AgeGroup.OLDER
