"""Validation of personal data on the case record: JMBG, dates of birth, phone numbers.

Every error names the field it belongs to (a ``ValidationError`` with a dict) and carries a
translated message; it never repeats the value itself (no personal data in error texts or logs).
"""
from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

JMBG_WEIGHTS = (7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# Political regions 60-69 were never assigned; every other pair 00-99 is in use.
_UNUSED_REGIONS = range(60, 70)
_PHONE = re.compile(r"^\+?[0-9 ()/.-]{6,30}$")
EARLIEST_BIRTH_YEAR = 1900


def jmbg_check_digit(first12: str) -> int:
    """The mod-11 check digit: m = 11 - (weighted sum mod 11); 10 and 11 become 0."""
    total = sum(int(d) * w for d, w in zip(first12, JMBG_WEIGHTS, strict=True))
    m = 11 - (total % 11)
    return 0 if m >= 10 else m


def jmbg_birth_date(jmbg: str) -> date | None:
    """The date of birth encoded in DDMMYYY (9xx -> 19xx, 0xx -> 20xx), or None if not a real date."""
    day, month, yyy = int(jmbg[0:2]), int(jmbg[2:4]), int(jmbg[4:7])
    if yyy >= 900:
        year = 1000 + yyy
    elif yyy < 100:
        year = 2000 + yyy
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def validate_jmbg(value: str, *, field: str = "jmbg", today: date | None = None) -> date:
    """Check a JMBG (13 digits, real date of birth not in the future, region, check digit).

    Returns the date of birth it encodes; raises ValidationError({field: message}) otherwise.
    """
    jmbg = (value or "").strip()
    if not re.fullmatch(r"[0-9]{13}", jmbg):
        raise ValidationError({field: _("The JMBG must have exactly 13 digits.")}, code="jmbg_length")
    born = jmbg_birth_date(jmbg)
    if born is None:
        raise ValidationError(
            {field: _("The first seven digits of the JMBG are not a valid date of birth (DDMMYYY).")},
            code="jmbg_date",
        )
    today = today or timezone.localdate()
    if born > today:
        raise ValidationError({field: _("The date of birth in the JMBG is in the future.")}, code="jmbg_future")
    if int(jmbg[7:9]) in _UNUSED_REGIONS:
        raise ValidationError(
            {field: _("Digits 8 and 9 of the JMBG are not a valid region of registration.")}, code="jmbg_region"
        )
    if jmbg_check_digit(jmbg[:12]) != int(jmbg[12]):
        raise ValidationError(
            {field: _("The JMBG check digit is wrong; please check the number for a typing error.")},
            code="jmbg_checksum",
        )
    return born


def validate_birth_date(value: date | None, *, field: str = "birth_date", today: date | None = None) -> None:
    """A date of birth is not in the future and not before 1900."""
    if value is None:
        return
    today = today or timezone.localdate()
    if value > today:
        raise ValidationError({field: _("The date of birth cannot be in the future.")}, code="future")
    if value.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError({field: _("The date of birth is too far in the past.")}, code="too_old")


def validate_birth_year(value: int | None, *, field: str = "birth_year", today: date | None = None) -> None:
    """A year of birth is between 1900 and the current year."""
    if value is None:
        return
    today = today or timezone.localdate()
    if value > today.year:
        raise ValidationError({field: _("The year of birth cannot be in the future.")}, code="future")
    if value < EARLIEST_BIRTH_YEAR:
        raise ValidationError({field: _("The year of birth is too far in the past.")}, code="too_old")


def validate_phone(value: str, *, field: str = "phone") -> None:
    """A phone number: digits with optional +, spaces, dashes, slashes, dots or brackets."""
    if not value:
        return
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE.fullmatch(value.strip()) or not 6 <= digits <= 15:
        raise ValidationError(
            {field: _("Enter a phone number of 6 to 15 digits, e.g. +381 11 123 4567.")}, code="phone"
        )


def validate_email_field(value: str, *, field: str = "email") -> None:
    """An e-mail address (the encrypted column does not validate it itself)."""
    if not value:
        return
    try:
        validate_email(value.strip())
    except ValidationError:
        raise ValidationError({field: _("Enter a valid e-mail address.")}, code="email") from None


def age_on(birth_date: date | None, birth_year: int | None, day: date) -> tuple[int | None, int | None]:
    """The smallest and largest possible age in whole years on ``day`` (equal when the date is known)."""
    if birth_date is not None:
        age = day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
        return age, age
    if birth_year is not None:
        return day.year - birth_year - 1, day.year - birth_year
    return None, None
