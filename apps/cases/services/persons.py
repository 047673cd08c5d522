"""Persons on a case: victims, perpetrators, children, household members.

The JMBG is stored encrypted with a keyed hash for exact look-up; the name is kept with a
script- and diacritics-insensitive key. Adding or changing a person recognises repeats: within
the municipality by the JMBG hash or by name + date of birth on another case (the person and the
case are flagged), across municipalities by the same keys only as "known elsewhere" (nothing
about the other case is stored or shown).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.crypto import keyed_hash
from apps.core.locking import save_with_version
from apps.core.models import AuditEntry
from apps.core.text import search_key

from ..choices import ContactKind, PersonRole, Relationship, Sex, Visibility
from ..models import Case, CaseNote, CasePerson
from ..validators import (
    age_on,
    validate_birth_date,
    validate_birth_year,
    validate_email_field,
    validate_jmbg,
    validate_phone,
)
from .common import acting_institution, ensure_open, reach_case, touch

ADULT_AGE = 18
REPEAT_PAIR_MONTHS = 12
EDITABLE_FIELDS = (
    "role",
    "first_name",
    "last_name",
    "sex",
    "birth_date",
    "birth_year",
    "jmbg",
    "phone",
    "email",
    "address",
    "confidential_address",
    "disability",
    "relationship_to_victim",
)
DERIVED_FIELDS = ("name_key", "jmbg_hash", "is_repeat", "known_elsewhere")
JUVENILE_MESSAGE = _(
    "The perpetrator was under 18 when the violence was reported. The Law on Prevention of Domestic "
    "Violence does not apply to minors: follow the juvenile procedure under the Law on juvenile "
    "offenders and criminal-law protection of juveniles (inform the public prosecutor for juveniles "
    "and the centre for social work's guardianship service)."
)
JUVENILE_UNSURE_MESSAGE = _(
    "With only the year of birth the perpetrator may have been under 18 when the violence was "
    "reported. Enter the full date of birth: for a minor the juvenile procedure under the Law on "
    "juvenile offenders and criminal-law protection of juveniles applies instead."
)


def months_before(moment: datetime, months: int) -> datetime:
    """The same local wall-clock time ``months`` calendar months earlier (day clipped to the month)."""
    local = timezone.localtime(moment)
    month_index = local.year * 12 + local.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    naive = local.replace(tzinfo=None, year=year, month=month, day=min(local.day, last_day))
    return timezone.make_aware(naive)


def _add_error(errors: dict, field: str, message) -> None:
    errors.setdefault(field, []).append(message)


def _clean_person(person: CasePerson, case: Case) -> None:
    """Validate and derive the person's fields in place; raise one ValidationError naming every field."""
    errors: dict[str, list] = {}
    today = timezone.localdate()
    person.first_name = (person.first_name or "").strip()
    person.last_name = (person.last_name or "").strip()
    person.jmbg = (person.jmbg or "").strip()
    person.phone = (person.phone or "").strip()
    person.email = (person.email or "").strip()
    person.address = (person.address or "").strip()
    if person.role not in PersonRole.values:
        _add_error(errors, "role", _("Choose the person's role in the case."))
    if not person.first_name:
        _add_error(errors, "first_name", _("Enter the first name."))
    if not person.last_name:
        _add_error(errors, "last_name", _("Enter the last name."))
    if person.sex not in Sex.values:
        _add_error(errors, "sex", _("Choose a valid value."))
    for validator, field in (
        (validate_birth_date, "birth_date"),
        (validate_birth_year, "birth_year"),
        (validate_phone, "phone"),
        (validate_email_field, "email"),
    ):
        try:
            validator(getattr(person, field), field=field, **({"today": today} if "birth" in field else {}))
        except ValidationError as exc:
            for message in exc.message_dict[field]:
                _add_error(errors, field, message)
    if person.jmbg:
        try:
            born = validate_jmbg(person.jmbg, today=today)
        except ValidationError as exc:
            for message in exc.message_dict["jmbg"]:
                _add_error(errors, "jmbg", message)
        else:
            if person.birth_date is None:
                person.birth_date = born
            elif person.birth_date != born:
                _add_error(errors, "birth_date", _("The date of birth does not match the date in the JMBG."))
            duplicate = CasePerson.objects.filter(case_id=case.pk, jmbg_hash=keyed_hash(person.jmbg))
            if person.pk:
                duplicate = duplicate.exclude(pk=person.pk)
            if duplicate.exists():
                _add_error(errors, "jmbg", _("A person with this JMBG is already on the case."))
    if person.birth_date is not None and "birth_date" not in errors:
        if person.birth_year is not None and person.birth_year != person.birth_date.year:
            _add_error(errors, "birth_year", _("The year of birth does not match the date of birth."))
        else:
            person.birth_year = person.birth_date.year
    if person.relationship_to_victim:
        if person.relationship_to_victim not in Relationship.values:
            _add_error(errors, "relationship_to_victim", _("Choose a valid relationship."))
        elif person.role == PersonRole.VICTIM:
            _add_error(
                errors,
                "relationship_to_victim",
                _("The relationship to the victim is recorded on the perpetrator and the other persons, not on the victim."),
            )
    if person.role == PersonRole.PERPETRATOR and not ({"birth_date", "birth_year"} & set(errors)):
        youngest, oldest = age_on(person.birth_date, person.birth_year, timezone.localtime(case.reported_at).date())
        if oldest is not None and oldest < ADULT_AGE:
            _add_error(errors, "birth_date", JUVENILE_MESSAGE)
        elif youngest is not None and youngest < ADULT_AGE:
            _add_error(errors, "birth_date", JUVENILE_UNSURE_MESSAGE)
    if errors:
        raise ValidationError(errors)
    person.name_key = search_key(f"{person.first_name} {person.last_name}")
    person.jmbg_hash = keyed_hash(person.jmbg) if person.jmbg else ""


def _identity(person: CasePerson) -> Q | None:
    """How the same human is found on other cases: the JMBG hash, or name and date of birth."""
    condition = None
    if person.jmbg_hash:
        condition = Q(jmbg_hash=person.jmbg_hash)
    if person.birth_date and person.name_key:
        by_name = Q(name_key=person.name_key, birth_date=person.birth_date)
        condition = by_name if condition is None else condition | by_name
    return condition


def _same_municipality(identity: Q, case: Case):
    """The same human on other cases of the case's municipality."""
    return CasePerson.objects.filter(identity, municipality_id=case.municipality_id).exclude(case_id=case.pk)


def _elsewhere(person: CasePerson, case: Case) -> bool:
    """The same human on cases of other municipalities: asked of the database function that may look
    across municipalities (row-level security hides their rows; it answers yes or no, nothing more)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kzn_person_known_elsewhere(%s, %s, %s, %s)",
            [case.municipality_id, person.jmbg_hash or "", person.name_key or "", person.birth_date],
        )
        return bool(cursor.fetchone()[0])


def _recognise(person: CasePerson, case: Case) -> None:
    """Set is_repeat (same municipality, another case) and known_elsewhere (another municipality)."""
    identity = _identity(person)
    if identity is None:
        person.is_repeat = person.known_elsewhere = False
        return
    person.is_repeat = _same_municipality(identity, case).exists()
    person.known_elsewhere = _elsewhere(person, case)


@dataclass(frozen=True)
class Recognition:
    """What the user may learn about a person being known from other cases.

    ``cases``: other cases of the municipality the user may read (number, report time, status);
    ``hidden``: the person is also on cases of the municipality the user may not read (nothing about
    them is told); ``elsewhere``: known in another municipality (nothing about that case is told).
    """

    checked: bool
    cases: tuple = ()
    hidden: bool = False
    elsewhere: bool = False

    @property
    def known(self) -> bool:
        return bool(self.cases or self.hidden or self.elsewhere)


def _recognition(user, case: Case, person: CasePerson) -> Recognition:
    identity = _identity(person)
    if identity is None:
        return Recognition(checked=False)
    case_ids = set(_same_municipality(identity, case).values_list("case_id", flat=True))
    readable = list(
        Case.objects.visible_to(user, "view").filter(pk__in=case_ids).order_by("-reported_at", "-id")
    ) if case_ids else []
    return Recognition(
        checked=True,
        cases=tuple(readable),
        hidden=len(readable) < len(case_ids),
        elsewhere=_elsewhere(person, case),
    )


def person_recognition(user, person: CasePerson) -> Recognition:
    """The other cases a saved person is known from, as far as ``user`` may know (see Recognition)."""
    return _recognition(user, person.case, person)


def person_check(*, user, case: Case, first_name: str = "", last_name: str = "", birth_date: date | None = None,
                 jmbg: str = "") -> Recognition:
    """Before saving: is the person typed into the form known from other cases? The same recognition
    as saving uses (JMBG, or name with date of birth); an invalid JMBG is left out. One audit entry."""
    case = reach_case(user, case, lock=False)
    probe = CasePerson(first_name=(first_name or "").strip(), last_name=(last_name or "").strip(), birth_date=birth_date)
    jmbg = "".join((jmbg or "").split())
    if jmbg:
        try:
            born = validate_jmbg(jmbg, today=timezone.localdate())
        except ValidationError:
            jmbg = ""
        else:
            probe.jmbg_hash = keyed_hash(jmbg)
            probe.birth_date = probe.birth_date or born
    if probe.first_name and probe.last_name:
        probe.name_key = search_key(f"{probe.first_name} {probe.last_name}")
    result = _recognition(user, case, probe)
    if result.checked:
        audit_log(
            action=AuditAction.VIEW,
            actor=user,
            obj=case,
            details={
                "case": case.pk, "page": "person_check", "shown_cases": [c.pk for c in result.cases],
                "hidden": result.hidden, "elsewhere": result.elsewhere,
            },
        )
    return result


def _repeat_pair(person: CasePerson, case: Case) -> bool:
    """Whether this victim and a perpetrator of the case (or this perpetrator and a victim) were
    together on another case of the municipality reported within 12 months of this one."""
    counterpart_role = {PersonRole.VICTIM: PersonRole.PERPETRATOR, PersonRole.PERPETRATOR: PersonRole.VICTIM}.get(
        person.role
    )
    identity = _identity(person)
    if counterpart_role is None or identity is None or not person.is_repeat:
        return False
    reported = case.reported_at
    window = Q(case__reported_at__gte=months_before(reported, REPEAT_PAIR_MONTHS)) & Q(
        case__reported_at__lte=reported + (reported - months_before(reported, REPEAT_PAIR_MONTHS))
    )
    earlier_cases = (
        CasePerson.objects.filter(identity, window, municipality_id=case.municipality_id, role=person.role)
        .exclude(case_id=case.pk)
        .values("case_id")
    )
    for counterpart in CasePerson.objects.filter(case_id=case.pk, role=counterpart_role).exclude(pk=person.pk):
        other = _identity(counterpart)
        if other is None:
            continue
        if CasePerson.objects.filter(
            other, municipality_id=case.municipality_id, role=counterpart_role, case_id__in=earlier_cases
        ).exists():
            return True
    return False


def _note_repeat_pair(user, case: Case) -> bool:
    """Write (once per case) a team note that the same victim and perpetrator were together on
    another case within 12 months; which case is not named."""
    already = AuditEntry.objects.filter(
        object_type="cases.case", object_id=str(case.pk), details__repeat_pair=True
    ).exists()
    if already:
        return False
    institution = acting_institution(user, case)
    if institution is None:
        return False
    note = CaseNote(
        municipality_id=case.municipality_id,
        case=case,
        kind=ContactKind.NOTE,
        occurred_at=timezone.now(),
        text=gettext(
            "Repeat: the same victim and perpetrator were recorded together on another case of this "
            "municipality reported within 12 months. Consider proposing the case for a case conference."
        ),
        visibility=Visibility.TEAM,
        author=user,
        institution=institution,
    )
    note.full_clean()
    note.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=note, details={"case": case.pk, "automatic": True})
    audit_log(action=AuditAction.UPDATE, actor=user, obj=case, details={"repeat_pair": True})
    return True


def _refresh_case_flags(case: Case) -> None:
    """The case is a repeat / known elsewhere when any of its persons is."""
    persons = CasePerson.objects.filter(case_id=OuterRef("pk"))
    Case.objects.filter(pk=case.pk).update(
        is_repeat=Exists(persons.filter(is_repeat=True)),
        known_elsewhere=Exists(persons.filter(known_elsewhere=True)),
    )
    case.refresh_from_db(fields=["is_repeat", "known_elsewhere"])


def _after_save(user, person: CasePerson, case: Case) -> None:
    _refresh_case_flags(case)
    person.repeat_pair = _repeat_pair(person, case)
    if person.repeat_pair:
        _note_repeat_pair(user, case)
    touch(case)


@transaction.atomic
def person_add(
    *,
    user,
    case: Case,
    role: str,
    first_name: str,
    last_name: str,
    sex: str = Sex.UNKNOWN,
    birth_date: date | None = None,
    birth_year: int | None = None,
    jmbg: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
    confidential_address: bool = False,
    disability: bool = False,
    relationship_to_victim: str = "",
) -> CasePerson:
    """Add a person to the case; a minor perpetrator is refused (juvenile procedure).

    The returned person carries ``repeat_pair`` (not stored): True when this victim-perpetrator
    pair was together on another case within 12 months (a team note records it).
    """
    case = reach_case(user, case)
    ensure_open(case)
    person = CasePerson(
        municipality_id=case.municipality_id,
        case=case,
        role=role,
        first_name=first_name,
        last_name=last_name,
        sex=sex or Sex.UNKNOWN,
        birth_date=birth_date,
        birth_year=birth_year,
        jmbg=jmbg or "",
        phone=phone or "",
        email=email or "",
        address=address or "",
        confidential_address=confidential_address,
        disability=disability,
        relationship_to_victim=relationship_to_victim or "",
    )
    _clean_person(person, case)
    _recognise(person, case)
    person.full_clean()
    person.save()
    audit_log(
        action=AuditAction.CREATE,
        actor=user,
        obj=person,
        details={"case": case.pk, "role": person.role, "repeat": person.is_repeat, "known_elsewhere": person.known_elsewhere},
    )
    _after_save(user, person, case)
    return person


@transaction.atomic
def person_update(*, user, person: CasePerson, expected_version: int, **changes) -> CasePerson:
    """Change a person's data with the version the user saw; repeat recognition runs again."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"person_update() got unexpected fields: {', '.join(sorted(unknown))}")
    case = reach_case(user, person.case_id)
    ensure_open(case)
    person = CasePerson.objects.select_for_update().get(pk=person.pk, case_id=case.pk)
    jmbg_derived_birth = "jmbg" in changes and "birth_date" not in changes
    for field, value in changes.items():
        setattr(person, field, value if value is not None or field in ("birth_date", "birth_year") else "")
    if "birth_date" in changes and "birth_year" not in changes:
        person.birth_year = None  # derived again from the new date
    if jmbg_derived_birth and person.jmbg:
        # A new JMBG brings its own date of birth unless one is given with it.
        person.birth_date = None
        if "birth_year" not in changes:
            person.birth_year = None
    _clean_person(person, case)
    _recognise(person, case)
    fields = list(changes) + ["birth_date", "birth_year", *DERIVED_FIELDS]
    save_with_version(person, expected_version, fields)
    audit_log(
        action=AuditAction.UPDATE,
        actor=user,
        obj=person,
        details={"case": case.pk, "fields": sorted(changes)},
    )
    _after_save(user, person, case)
    return person
