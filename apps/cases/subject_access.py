"""What the platform holds on one person, for the controller's data-protection officer.

Found by JMBG (its keyed hash) or by name and date of birth, in every municipality (a platform-wide,
audited read naming the request's reference). The export holds the person's own rows, the records of
the cases they appear in (incidents, measures, referrals, plans, notes, the list of documents) and
who read those cases (institution and time, from the audit log), but of the other persons of those
cases only their role: the officer reviews the export and removes third parties' data that remains in
free texts before anything leaves the controller.
"""
from __future__ import annotations

from datetime import date

from django.apps import apps
from django.core import serializers
from django.db import transaction
from django.db.models import Count, Q

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.crypto import keyed_hash
from apps.core.models import AuditEntry
from apps.core.tenancy import platform
from apps.core.text import search_key

from .models import Case, CasePerson
from .services.retention import blank_persons

# Rows of a case that are exported whole (every model of this app with a ``case`` foreign key), but
# the persons, of whom only the subject is exported whole.
SKIP = {"cases.caseperson", "cases.formdraft", "cases.reminder", "cases.caseusergrant", "cases.casegroupgrant"}


def _case_models():
    for model in apps.get_app_config("cases").get_models():
        if model._meta.label_lower in SKIP:
            continue
        if any(f.name == "case" and f.is_relation for f in model._meta.concrete_fields):
            yield model


def _identify(reference, jmbg, first_name, last_name, birth_date) -> Q:
    if not reference:
        raise ValueError("A subject-access or erasure request needs its reference.")
    if jmbg:
        return Q(jmbg_hash=keyed_hash(jmbg))
    if first_name and last_name and birth_date:
        return Q(name_key=search_key(f"{first_name} {last_name}"), birth_date=birth_date)
    raise ValueError("Give the JMBG, or the first and last name with the date of birth.")


def erase_person(*, reference: str, jmbg: str = "", first_name: str = "", last_name: str = "",
                 birth_date: date | None = None) -> int:
    """Erasure granted by the controller: the person's identifying data removed from every case they
    appear in (the year of birth, role and sex stay for the statistics); returns how many records."""
    match = _identify(reference, jmbg, first_name, last_name, birth_date)
    with platform(f"erasure request {reference}"), transaction.atomic():
        persons = CasePerson.objects.filter(match)
        ids = list(persons.values_list("pk", flat=True))
        count = blank_persons(CasePerson.objects.filter(pk__in=ids))
        audit_log(action=AuditAction.UPDATE, object_type="cases.caseperson",
                  details={"erasure": reference, "persons": count, "ids": ids})
    return count


def subject_access(*, reference: str, jmbg: str = "", first_name: str = "", last_name: str = "",
                   birth_date: date | None = None) -> dict:
    """The export (a dict ready for JSON); ``reference`` is the request's number at the controller."""
    match = _identify(reference, jmbg, first_name, last_name, birth_date)
    with platform(f"subject access request {reference}"):
        persons = list(CasePerson.objects.filter(match).order_by("municipality_id", "case_id", "pk"))
        case_ids = sorted({p.case_id for p in persons})
        export = {
            "reference": reference,
            "person_records": serializers.serialize("python", persons),
            "cases": serializers.serialize("python", Case.objects.filter(pk__in=case_ids).order_by("pk")),
            "other_persons_of_the_cases": list(
                CasePerson.objects.filter(case_id__in=case_ids).exclude(pk__in=[p.pk for p in persons])
                .values("case_id", "role")
            ),
            "records": {},
            "read_by": list(
                AuditEntry.objects.filter(object_type="cases.case", object_id__in=[str(i) for i in case_ids],
                                          action=AuditAction.VIEW)
                .values("object_id", "institution_id").annotate(reads=Count("id")).order_by("object_id", "institution_id")
            ),
        }
        for model in _case_models():
            rows = model._default_manager.filter(case_id__in=case_ids).order_by("pk")
            if model._meta.label_lower == "cases.attachment":
                rows = rows.defer("file")
            export["records"][model._meta.label_lower] = serializers.serialize("python", rows)
        audit_log(action=AuditAction.EXPORT, object_type="cases.caseperson",
                  details={"subject_access": reference, "persons": len(persons), "cases": len(case_ids)})
    return export


def add_identity_arguments(parser) -> None:
    """The command-line arguments that name a request and its person (subject_access, erase_person)."""
    parser.add_argument("--reference", required=True, help="the request's number at the controller")
    parser.add_argument("--jmbg", default="")
    parser.add_argument("--first-name", default="")
    parser.add_argument("--last-name", default="")
    parser.add_argument("--birth-date", type=date.fromisoformat, help="YYYY-MM-DD")

