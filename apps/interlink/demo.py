"""Demo interlinking (the sandbox): a machine account of the Lazarevac police station with a known
sandbox token, its admin ``lazarevac.police.admin``, and the sample file of 20 police reports
(docs/interlink/police_reports_sample.csv) imported through it: new cases, repeats that change nothing,
a newer version, a name in Cyrillic that joins the case written in Latin, and one unsure match that
waits in the police station's queue. Idempotent: nothing is added when the account exists."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.services import membership_create
from apps.core import tenancy
from apps.core.choices import Role

from .choices import RecordKind, Scope
from .files import parse_file
from .formats import dumps, loads
from .models import MachineAccount, MachineToken
from .services.accounts import digest, machine_account_create, token_ttl
from .services.inbound import record_receive

SLUG = "lazarevac"
ACCOUNT_NAME = "Informacioni sistem PU Lazarevac (demo)"
# The sandbox token: only ever valid on the demo data (documented in the README); stored hashed like any.
SANDBOX_PREFIX = "demolazarev1"
SANDBOX_TOKEN = f"kznm_{SANDBOX_PREFIX}_sandbox-lazarevac-police-demo-only-2026"
SAMPLE = Path(settings.BASE_DIR) / "docs" / "interlink" / "police_reports_sample.csv"


def _admin(context, police) -> User:
    username = f"{SLUG}.police.admin"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@demo.kzn.example", first_name="Bojana",
                    last_name="Primer (demo)", is_demo=True, password=make_password(context["password"]))
        user.save()
    membership_create(user=user, institution=police, role=Role.INSTITUTION_ADMIN, created_by=context["users"]["platform.admin"])
    user.refresh_access()
    context["users"][username] = user
    return user


@transaction.atomic
def seed(context: dict) -> None:
    """The Lazarevac police machine account and its imported sample file (once)."""
    institutions = context["institutions"].get(SLUG)
    if not institutions:
        return
    police = institutions["police"]
    admin = _admin(context, police)
    if MachineAccount.objects.filter(institution=police, name=ACCOUNT_NAME).exists():
        return
    with tenancy.user_context(admin):
        account, _secret = machine_account_create(user=admin, institution=police, name=ACCOUNT_NAME,
                                                  scopes=list(Scope.values), rate_per_minute=600)
        # The issued token is replaced by the documented sandbox token.
        MachineToken.objects.filter(account=account).update(revoked_at=timezone.now())
        now = timezone.now()
        MachineToken.objects.create(account=account, user=account.user, prefix=SANDBOX_PREFIX,
                                    digest=digest(SANDBOX_TOKEN), created_at=now, expires_at=now + token_ttl())
    machine = account.user
    machine.refresh_access()
    records = parse_file(RecordKind.POLICE_REPORT, SAMPLE.name, SAMPLE.read_bytes())
    with tenancy.user_context(machine):
        for record in records:
            record_receive(account=account, kind=RecordKind.POLICE_REPORT, data=record_for_resend(record))


def record_for_resend(record: dict) -> dict:
    """A checked record as the API would receive it again (dates as ISO text)."""
    return loads(dumps(record))
