"""Reading a person's contact data: a confidential address only for the lead institution's
assigned staff."""
from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..models import CaseAssignment, CasePerson


@dataclass(frozen=True)
class PersonContact:
    """What the user may see of a person's contact data."""

    phone: str
    email: str
    address: str
    # True when the address exists but is confidential and the user may not see it.
    address_masked: bool


def may_see_confidential_address(user, person: CasePerson) -> bool:
    """Assigned (active) staff of the case's lead institution."""
    case = person.case
    return CaseAssignment.objects.filter(
        case_id=case.pk,
        user_id=user.pk,
        institution_id=case.lead_institution_id,
        ended_at__isnull=True,
    ).exists()


def person_contact_for(user, person: CasePerson) -> PersonContact:
    """The person's phone, e-mail and address as ``user`` may see them (Http404 if the person is out
    of reach); the read is audited."""
    person = CasePerson.objects.visible_to(user).select_related("case").filter(pk=person.pk).first()
    if person is None:
        raise Http404("No person matches the given query.")
    masked = bool(person.address) and person.confidential_address and not may_see_confidential_address(user, person)
    audit_log(
        action=AuditAction.VIEW,
        actor=user,
        obj=person,
        details={"case": person.case_id, "contact": True, "address_masked": masked},
    )
    return PersonContact(
        phone=person.phone,
        email=person.email,
        address="" if masked else person.address,
        address_masked=masked,
    )
