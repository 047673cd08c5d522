"""Load the demo data set: the 8 programme municipalities, their institutions and one user per role.

Idempotent: running it again changes nothing but the demo passwords. Apps that come later add
their own demo data through a ``demo.py`` module with ``seed(context)``; it is called in
INSTALLED_APPS order after the base data exists.
"""
from importlib import import_module

from django.apps import apps as django_apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.models import User
from apps.accounts.services import membership_create
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution
from apps.institutions.services import institution_create
from apps.municipalities.choices import MunicipalityKind, SizeClass
from apps.municipalities.models import Municipality
from apps.municipalities.services import ensure_role_groups, municipality_create

# (slug, code, Latin, Cyrillic, kind, district, population, size)
PROGRAMME_MUNICIPALITIES = [
    ("lazarevac", "LAZ", "Lazarevac", "Лазаревац", MunicipalityKind.CITY_MUNICIPALITY, "Grad Beograd", 55146, SizeClass.SMALL),
    ("palilula", "PAL", "Palilula", "Палилула", MunicipalityKind.CITY_MUNICIPALITY, "Grad Beograd", 182624, SizeClass.LARGE),
    ("zvezdara", "ZVE", "Zvezdara", "Звездара", MunicipalityKind.CITY_MUNICIPALITY, "Grad Beograd", 172625, SizeClass.LARGE),
    ("vozdovac", "VOZ", "Voždovac", "Вождовац", MunicipalityKind.CITY_MUNICIPALITY, "Grad Beograd", 174864, SizeClass.LARGE),
    ("kragujevac", "KRG", "Kragujevac", "Крагујевац", MunicipalityKind.CITY, "Šumadijski", 171197, SizeClass.LARGE),
    ("loznica", "LOZ", "Loznica", "Лозница", MunicipalityKind.CITY, "Mačvanski", 72062, SizeClass.SMALL),
    ("cuprija", "CUP", "Ćuprija", "Ћуприја", MunicipalityKind.MUNICIPALITY, "Pomoravski", 26030, SizeClass.SMALL),
    ("smederevska-palanka", "SPA", "Smederevska Palanka", "Смедеревска Паланка", MunicipalityKind.MUNICIPALITY, "Podunavski", 44884, SizeClass.SMALL),
]

# (key, type, name pattern); every name is a demo name, clearly not a real service's.
DEMO_INSTITUTIONS = [
    ("csr", InstitutionType.CSR, "Centar za socijalni rad {name} (demo)"),
    ("police", InstitutionType.POLICE, "Policijska stanica {name} (demo)"),
    ("health", InstitutionType.HEALTH_CENTRE, "Dom zdravlja {name} (demo)"),
    ("prosecutor", InstitutionType.PROSECUTOR, "Osnovno javno tužilaštvo – {name} (demo)"),
    ("school", InstitutionType.SCHOOL, "OŠ „Primer“ {name} (demo)"),
    ("ngo", InstitutionType.NGO, "Udruženje „Sigurna luka“ {name} (demo)"),
    ("local", InstitutionType.LOCAL_GOVERNMENT, "Opštinska uprava {name} (demo)"),
]

# (username suffix, role, institution key, first name)
DEMO_USERS = [
    ("caseworker", Role.CASEWORKER, "csr", "Jelena"),
    ("coordinator", Role.COORDINATOR, "csr", "Marko"),
    ("supervisor", Role.SUPERVISOR, "csr", "Vesna"),
    ("official", Role.OFFICIAL, "local", "Dragana"),
    ("admin", Role.INSTITUTION_ADMIN, "csr", "Milan"),
    ("police", Role.CASEWORKER, "police", "Nikola"),
    ("ngo", Role.CASEWORKER, "ngo", "Sanja"),
]

DEMO_EMAIL_DOMAIN = "demo.kzn.example"


class Command(BaseCommand):
    help = "Create the demo municipalities, institutions and users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--password", required=True, help="password for every demo user")

    @transaction.atomic
    def handle(self, *args, password, **options):
        self._password_hash = make_password(password)
        context = {"municipalities": {}, "institutions": {}, "users": {}, "password": password}
        platform_admin = self._user("platform.admin", "Ana", password, is_platform_admin=True)
        context["users"]["platform.admin"] = platform_admin
        for slug, code, name, name_cyrl, kind, district, population, size in PROGRAMME_MUNICIPALITIES:
            municipality = Municipality.objects.filter(code=code).first()
            if municipality is None:
                municipality = municipality_create(
                    name=name, name_cyrl=name_cyrl, code=code, slug=slug, kind=kind, district=district,
                    population=population, size_class=size, created_by=platform_admin,
                )
            else:
                ensure_role_groups(municipality=municipality, granted_by=platform_admin)
            context["municipalities"][slug] = municipality
            institutions = {}
            for key, itype, pattern in DEMO_INSTITUTIONS:
                inst_name = pattern.format(name=name)
                inst = Institution.objects.filter(municipality=municipality, name=inst_name).first()
                if inst is None:
                    inst = institution_create(
                        municipality=municipality, type=itype, name=inst_name,
                        email=f"{key}.{slug}@{DEMO_EMAIL_DOMAIN}", phone="+381 11 000 0000",
                        created_by=platform_admin,
                    )
                institutions[key] = inst
            context["institutions"][slug] = institutions
            for suffix, role, inst_key, first_name in DEMO_USERS:
                user = self._user(f"{slug}.{suffix}", first_name, password)
                membership_create(user=user, institution=institutions[inst_key], role=role, created_by=platform_admin)
                context["users"][f"{slug}.{suffix}"] = user
        for config in django_apps.get_app_configs():
            if not config.name.startswith("apps.") or config.label == "accounts":
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            module.seed(context)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(context['municipalities'])} municipalities, {len(context['users'])} users."
            )
        )

    def _user(self, username: str, first_name: str, password: str, is_platform_admin: bool = False) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=f"{username}@{DEMO_EMAIL_DOMAIN}")
        user.first_name = first_name
        user.last_name = "Primer (demo)"
        user.is_demo = True
        user.is_platform_admin = is_platform_admin
        # One argon2 hash for every demo user: hashing is deliberately slow, and the demo users
        # share one password anyway (a salted hash reused across them reveals nothing more).
        user.password = self._password_hash
        user.save()
        return user
