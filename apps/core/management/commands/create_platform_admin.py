"""Create the first platform admin (or promote an existing user) on a fresh installation.

    python manage.py create_platform_admin --email admin@example.org
    PLATFORM_ADMIN_PASSWORD=... python manage.py create_platform_admin --email admin@example.org --no-input

The password is read from the PLATFORM_ADMIN_PASSWORD environment variable when set, otherwise asked
for twice on the terminal; it is never a command-line argument (those end up in shell history and
process lists). The admin enrols an authenticator app (second factor) at the first login.
"""
from __future__ import annotations

import getpass
import os

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from apps.core.audit import audit_log
from apps.core.choices import CASE_READING_ROLES, AuditAction

PASSWORD_ENV = "PLATFORM_ADMIN_PASSWORD"
# The user model through Django (core imports no domain app).
User = get_user_model()


@transaction.atomic
def platform_admin_create(
    *, email: str, password: str | None, username: str = "", first_name: str = "", last_name: str = ""
) -> tuple:
    """Create a platform admin, or promote the user with this e-mail; returns (user, created)."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        if password is None:
            raise ValueError("a new platform admin needs a password")
        user = User(
            email=email,
            username=username or _free_username(email.split("@")[0]),
            first_name=first_name,
            last_name=last_name,
        )
        user.set_password(password)
    elif password is not None:
        user.set_password(password)
    if not created and user.memberships.filter(is_active=True, role__in=CASE_READING_ROLES).exists():
        # A platform admin never reads cases: case work and platform administration are two accounts.
        raise ValueError("this user holds a role that reads cases; a platform admin needs a separate account")
    user.is_platform_admin = True
    user.is_active = True
    user.full_clean()
    user.save()
    audit_log(
        action=AuditAction.PERMISSION_GRANTED,
        actor=None,
        actor_label="manage.py create_platform_admin",
        obj=user,
        details={"platform_admin": True, "created": created},
    )
    return user, created


def _free_username(base: str) -> str:
    base = (base or "admin")[:140]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


class Command(BaseCommand):
    help = "Create the first platform admin (or promote an existing user by e-mail)."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="login e-mail of the platform admin")
        parser.add_argument("--username", default="", help="short handle (default: the part before @)")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive",
            help=f"never prompt; the password comes from ${PASSWORD_ENV}",
        )

    def handle(self, *args, email, username, first_name, last_name, interactive, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError("--email: enter a valid e-mail address.")
        existing = User.objects.filter(email__iexact=email.strip()).first()
        password = os.environ.get(PASSWORD_ENV) or None
        if password is None and existing is None:
            if not interactive:
                raise CommandError(f"Set {PASSWORD_ENV} or run without --no-input to be asked for the password.")
            password = self._ask_password()
        if password is not None:
            probe = existing or User(email=email, username=username, first_name=first_name, last_name=last_name)
            try:
                password_validation.validate_password(password, probe)
            except ValidationError as exc:
                raise CommandError("Password: " + " ".join(exc.messages))

        try:
            user, created = platform_admin_create(
                email=email, password=password, username=username, first_name=first_name, last_name=last_name
            )
        except ValueError as exc:
            raise CommandError(f"--email: {exc}.") from exc
        verb = "Created" if created else "Promoted"
        login_url = settings.SITE_URL.rstrip("/") + "/accounts/login/"
        self.stdout.write(self.style.SUCCESS(f"{verb} platform admin {user.email} (username {user.username})."))
        self.stdout.write(
            f"Sign in at {login_url}; the first login asks to enrol an authenticator app (two-factor "
            "authentication) before anything else is reachable."
        )

    def _ask_password(self) -> str:
        for _attempt in range(3):
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
            if first and first == second:
                return first
            self.stderr.write("The passwords are empty or differ; try again.")
        raise CommandError("No password given.")
