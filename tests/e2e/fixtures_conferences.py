"""Helpers of the case-conference browser test: a small Kragujevac world built with the services
(the way seed_demo builds it, without the other municipalities): the centre for social work, the
police, the health centre and a school; the centre's coordinator and caseworker with a confirmed
authenticator; three cases opened by the caseworker; and a coordinator of Kraljevo, a municipality
that has nothing to do with Kragujevac's conferences."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.accounts.services import membership_create
from apps.cases.models import Case
from apps.cases.services.cases import case_open
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution
from apps.institutions.services import institution_create
from apps.municipalities.choices import MunicipalityKind, SizeClass
from apps.municipalities.models import Municipality
from apps.municipalities.services import municipality_create

from .fixtures_cases import EMAIL_DOMAIN, PASSWORD

__all__ = ["PASSWORD", "ConferenceWorld", "build_conference_world"]


@dataclass
class ConferenceWorld:
    """Kragujevac (test) with four institutions, two staff and three cases; Kraljevo (test) with a coordinator."""

    kragujevac: Municipality
    kraljevo: Municipality
    csr: Institution
    police: Institution
    health: Institution
    school: Institution
    cases: list[Case]
    users: dict[str, User]
    devices: dict[str, TOTPDevice]


def _user(username: str, first_name: str, last_name: str) -> User:
    user = User(username=username, email=f"{username}@{EMAIL_DOMAIN}", first_name=first_name, last_name=last_name)
    user.set_password(PASSWORD)
    user.save()
    return user


def build_conference_world() -> ConferenceWorld:
    """Create both municipalities, their institutions, the three users (each with a confirmed TOTP
    device) and three Kragujevac cases led by the centre for social work."""
    admin = _user("platform.admin.test", "Ana", "Administrović (test)")
    admin.is_platform_admin = True
    admin.save(update_fields=["is_platform_admin"])
    kragujevac = municipality_create(
        name="Kragujevac (test)", name_cyrl="Крагујевац (тест)", code="KRGT", slug="kragujevac-test",
        kind=MunicipalityKind.CITY, district="Šumadijski (test)", population=171000,
        size_class=SizeClass.LARGE, created_by=admin,
    )
    kraljevo = municipality_create(
        name="Kraljevo (test)", name_cyrl="Краљево (тест)", code="KRLT", slug="kraljevo-test",
        kind=MunicipalityKind.CITY, district="Raški (test)", population=110000,
        size_class=SizeClass.LARGE, created_by=admin,
    )

    def inst(municipality, itype, name, key):
        return institution_create(
            municipality=municipality, type=itype, name=name,
            email=f"{key}.{municipality.slug}@{EMAIL_DOMAIN}", phone="+381 34 000 0000", created_by=admin,
        )

    csr = inst(kragujevac, InstitutionType.CSR, "Centar za socijalni rad Kragujevac (test)", "csr")
    police = inst(kragujevac, InstitutionType.POLICE, "Policijska uprava Kragujevac (test)", "police")
    health = inst(kragujevac, InstitutionType.HEALTH_CENTRE, "Dom zdravlja Kragujevac (test)", "health")
    school = inst(kragujevac, InstitutionType.SCHOOL, "OŠ „Primer“ Kragujevac (test)", "school")
    csr_kraljevo = inst(kraljevo, InstitutionType.CSR, "Centar za socijalni rad Kraljevo (test)", "csr")

    users, devices = {}, {}
    for username, first_name, last_name, institution, role in [
        ("kragujevac.coordinator", "Nikola", "Koordinatorović (test)", csr, Role.COORDINATOR),
        ("kragujevac.caseworker", "Jovana", "Radnić (test)", csr, Role.CASEWORKER),
        ("kraljevo.coordinator", "Stefan", "Stranić (test)", csr_kraljevo, Role.COORDINATOR),
    ]:
        user = _user(username, first_name, last_name)
        membership_create(user=user, institution=institution, role=role, created_by=admin)
        users[username] = user
        devices[username] = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    caseworker = User.objects.get(pk=users["kragujevac.caseworker"].pk)  # fresh: access sees the membership
    now = timezone.now()
    cases = [
        case_open(
            user=caseworker, municipality=kragujevac, lead_institution=csr,
            reported_at=now - timedelta(days=days), summary=f"Prijava (test) broj {n}: psihičko nasilje.",
        )
        for n, days in enumerate((9, 6, 3), start=1)
    ]
    return ConferenceWorld(
        kragujevac=kragujevac, kraljevo=kraljevo, csr=csr, police=police, health=health, school=school,
        cases=cases, users=users, devices=devices,
    )
