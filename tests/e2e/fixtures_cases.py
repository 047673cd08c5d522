"""Helpers of the case browser test: a small Lazarevac / Zvezdara world built with the services
(the way seed_demo builds it, without its eight municipalities and their cases), logging in with
the second factor, and the few page steps every case form shares."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.accounts.services import membership_create
from apps.cases.validators import jmbg_check_digit
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution
from apps.institutions.services import institution_create
from apps.municipalities.choices import MunicipalityKind, SizeClass
from apps.municipalities.models import Municipality
from apps.municipalities.services import municipality_create

from .helpers import code_for_device

PASSWORD = "test-lozinka-123"
EMAIL_DOMAIN = "test.kzn.example"
# The submit button of the form a case page shows (records and measures pages use form.card).
FORM_SUBMIT = "main form.card button[type=submit]"


@dataclass
class CaseWorld:
    """Lazarevac (test) with a CSR, a police station and an NGO; Zvezdara (test) with a CSR."""

    lazarevac: Municipality
    zvezdara: Municipality
    csr: Institution
    police: Institution
    ngo: Institution
    csr_zvezdara: Institution
    users: dict[str, User]
    devices: dict[str, TOTPDevice]


def _user(username: str, first_name: str) -> User:
    user = User(username=username, email=f"{username}@{EMAIL_DOMAIN}", first_name=first_name, last_name="Testić (test)")
    user.set_password(PASSWORD)
    user.save()
    return user


def build_case_world() -> CaseWorld:
    """Create the two municipalities, their institutions and the three users with a confirmed TOTP device."""
    admin = _user("platform.admin.test", "Ana")
    admin.is_platform_admin = True
    admin.save(update_fields=["is_platform_admin"])
    lazarevac = municipality_create(
        name="Lazarevac (test)", name_cyrl="Лазаревац (тест)", code="LAZT", slug="lazarevac-test",
        kind=MunicipalityKind.CITY_MUNICIPALITY, district="Grad Beograd (test)", population=55000,
        size_class=SizeClass.SMALL, created_by=admin,
    )
    zvezdara = municipality_create(
        name="Zvezdara (test)", name_cyrl="Звездара (тест)", code="ZVET", slug="zvezdara-test",
        kind=MunicipalityKind.CITY_MUNICIPALITY, district="Grad Beograd (test)", population=170000,
        size_class=SizeClass.LARGE, created_by=admin,
    )

    def inst(municipality, itype, name, key):
        return institution_create(
            municipality=municipality, type=itype, name=name,
            email=f"{key}.{municipality.slug}@{EMAIL_DOMAIN}", phone="+381 11 000 0000", created_by=admin,
        )

    csr = inst(lazarevac, InstitutionType.CSR, "Centar za socijalni rad Lazarevac (test)", "csr")
    police = inst(lazarevac, InstitutionType.POLICE, "Policijska stanica Lazarevac (test)", "police")
    ngo = inst(lazarevac, InstitutionType.NGO, "Udruženje „Sigurna luka“ Lazarevac (test)", "ngo")
    csr_zvezdara = inst(zvezdara, InstitutionType.CSR, "Centar za socijalni rad Zvezdara (test)", "csr")

    users, devices = {}, {}
    for username, first_name, institution, role in [
        ("lazarevac.caseworker", "Jelena", csr, Role.CASEWORKER),
        ("lazarevac.coordinator", "Marko", csr, Role.COORDINATOR),
        ("zvezdara.caseworker", "Milica", csr_zvezdara, Role.CASEWORKER),
    ]:
        user = _user(username, first_name)
        membership_create(user=user, institution=institution, role=role, created_by=admin)
        users[username] = user
        devices[username] = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return CaseWorld(
        lazarevac=lazarevac, zvezdara=zvezdara, csr=csr, police=police, ngo=ngo,
        csr_zvezdara=csr_zvezdara, users=users, devices=devices,
    )


def log_in(page, username: str, device: TOTPDevice) -> None:
    """Password, then the authenticator code on /accounts/2fa/verify/, then the home page."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/2fa/verify/")
    page.fill("#id_code", code_for_device(device))
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/" not in url)


def log_out(page) -> None:
    """The log-out button in the page header."""
    page.click("header form[action='/accounts/logout/'] button[type=submit]")
    page.wait_for_load_state()


def submit_form(page, case_url: str) -> None:
    """Submit the case form on the page and wait until the browser is back on the case page."""
    page.click(FORM_SUBMIT)
    page.wait_for_url(lambda url: url.split("#")[0].split("?")[0].endswith(case_url))


def local_input(moment: datetime) -> str:
    """A moment as a datetime-local input takes it (Belgrade wall-clock time)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def jmbg_for(born: date, *, region: str = "71", serial: str = "505") -> str:
    """A JMBG with a valid mod-11 check digit (serial 500-999: a woman; 000-499: a man)."""
    first12 = f"{born:%d%m}{born.year % 1000:03d}{region}{serial}"
    return first12 + str(jmbg_check_digit(first12))
