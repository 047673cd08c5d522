"""The isolation matrix: every URL of the project x every role x own / other institution / other municipality.

Adding a URL to the project without an entry here makes tests/security/test_isolation_matrix.py fail.

An entry says, for one URL pattern name and one HTTP method:
- ``kwargs(w, scope)``: the URL kwargs for an object of that scope (``None`` if the URL takes none);
- ``scopes``: which objects to try; the usual ones are OWN (the user's own institution, CSR A),
  SAME (another institution of the same municipality, police A) and OTHER (another municipality,
  CSR B); entries may name their own scopes (e.g. "valid_token");
- ``data(w, scope)``: the request body for writes;
- ``expect``: the designed answer per role and scope, looked up as "role@scope", "role",
  "@scope", "*". Anonymous users default to LOGIN (pages) or 401 (API) unless said otherwise;
- ``leaks``: whether a 200 answer must hold nothing of the other municipality (names, e-mails,
  links, ids in API lists); on by default, checked for every signed-in role except the platform
  admin, for HTML, CSV and JSON alike.

Answers: an int status, LOGIN (302 to the login page), REDIRECT (302 anywhere else), or a tuple of
acceptable answers. The ``w`` passed around is the ``matrix_world`` fixture (tests/security/conftest.py).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from apps.core.choices import OutboxStatus, Role
from apps.core.models import OutboxMessage

PAGE, API = "page", "api"
OWN, SAME, OTHER, NONE = "own", "same_municipality", "other_municipality", "none"
LOGIN, REDIRECT = "login", "redirect"

PLATFORM_ADMIN, ANONYMOUS = "platform_admin", "anonymous"
ROLES = (
    Role.CASEWORKER.value,
    Role.COORDINATOR.value,
    Role.SUPERVISOR.value,
    Role.OFFICIAL.value,
    Role.INSTITUTION_ADMIN.value,
    PLATFORM_ADMIN,
    ANONYMOUS,
)
CW, CO, SU, OF, IA, PA = (*ROLES[:6],)

# URL names that are infrastructure, not features, and why they are outside the matrix.
EXCLUDED = {
    "set_language": "Django's language switch (i18n): POST-only, stores a cookie, reads and returns no data.",
}


@dataclass(frozen=True)
class Entry:
    """One URL pattern and method with its designed answers."""

    name: str
    kind: str
    expect: dict
    method: str = "GET"
    kwargs: Callable | None = None
    scopes: tuple[str, ...] | None = None
    data: Callable | None = None
    leaks: bool = True
    query: str = ""
    note: str = ""

    @property
    def id(self) -> str:
        return f"{self.name}[{self.method}]"

    def scope_list(self) -> tuple[str, ...]:
        if self.scopes is not None:
            return self.scopes
        return (OWN, SAME, OTHER) if self.kwargs is not None else (NONE,)

    def expected(self, role: str, scope: str):
        if role == ANONYMOUS:  # "@scope" and "*" describe signed-in users only
            keys = (f"{role}@{scope}", role)
        else:
            keys = (f"{role}@{scope}", role, f"@{scope}", "*")
        for key in keys:
            if key in self.expect:
                return self.expect[key]
        return LOGIN if self.kind == PAGE else 401


def e(*, default, **by_role) -> dict:
    """An expectation table: ``default`` for everyone, then per role ("institution_admin=200").

    Per role and scope: pass a dict, e.g. ``coordinator={OWN: 200, SAME: 200, OTHER: 404}``.
    """
    table = {"*": default}
    for role, value in by_role.items():
        if isinstance(value, dict):
            for scope, status in value.items():
                table[f"{role}@{scope}"] = status
        else:
            table[role] = value
    return table


ADMINS_ONLY = {IA: 200, PA: 200}  # pages of staff management and the audit log


# --- kwargs and bodies per scope -------------------------------------------------------------

def institution_pk(w, scope):
    return {"pk": w.institution[scope].pk}


def municipality_slug(w, scope):
    return {"slug": w.municipality[scope].slug}


def municipality_pk(w, scope):
    return {"pk": w.municipality[scope].pk}


def membership_pk(w, scope):
    return {"pk": w.membership[scope].pk}


def invitation_pk(w, scope):
    return {"pk": w.invitation[scope].pk}


def failed_delivery(w, scope):
    """A failed outbox message of the scope's municipality (platform infrastructure: only platform admins)."""
    row = OutboxMessage.objects.create(channel="email", kind="matrix.test", payload="{}", status=OutboxStatus.FAILED,
                                       origin_municipality=w.municipality[scope].pk)
    return {"pk": row.pk, "action": "discard"}


def new_municipality(w, scope):
    return {"name": "Matrica Testgrad", "name_cyrl": "Матрица Тестград", "code": "MTX", "slug": "matrica-testgrad",
            "kind": "municipality", "size_class": "small"}


def new_institution(w, scope):
    return {"municipality": w.municipality[scope].pk, "type": "ngo", "name": "Matrica udruženje"}


def new_membership(w, scope):
    return {"user": w.staff[OWN].pk, "institution": w.institution[scope].pk, "role": Role.SUPERVISOR.value}


def invite_one(w, scope):
    return {"email": "matrica.pozvana@test.kzn.example", "first_name": "Matrica", "last_name": "Pozvana",
            "role": Role.CASEWORKER.value, "institution": w.institution[scope].pk}


ENTRIES: list[Entry] = [
    # --- core ---------------------------------------------------------------------------------
    Entry("core:home", PAGE, e(default=200)),
    Entry("core:audit", PAGE, e(default=404, **ADMINS_ONLY)),
    Entry("core:audit_export", PAGE, e(default=404, **ADMINS_ONLY)),
    Entry("core:outbox", PAGE, e(default=404, platform_admin=200)),
    Entry("core:outbox_action", PAGE, e(default=404, platform_admin=REDIRECT), method="POST", kwargs=failed_delivery),
    Entry("health", PAGE, e(default=200, anonymous=200), note="load-balancer check, no data"),
    Entry("api-docs", PAGE, e(default=200), note="documentation only; the schema it loads needs authentication"),
    Entry("api-schema", API, e(default=200)),
    # --- accounts: login and second factor ----------------------------------------------------
    Entry("accounts:login", PAGE, e(default=REDIRECT, anonymous=200)),
    Entry("accounts:logout", PAGE, e(default=LOGIN), method="POST"),
    Entry("accounts:otp_verify", PAGE, e(default=REDIRECT), note="already verified: on to the home page"),
    Entry("accounts:otp_setup", PAGE, e(default=REDIRECT), note="already verified: on to the home page"),
    Entry("accounts:switch_membership", PAGE, e(default=REDIRECT), method="POST",
          data=lambda w, scope: {"membership": w.membership[OWN].pk}),
    Entry("accounts:password_reset", PAGE, e(default=200, anonymous=200)),
    Entry("accounts:password_reset_done", PAGE, e(default=200, anonymous=200)),
    Entry("accounts:password_reset_confirm", PAGE, e(default=200, anonymous=200),
          kwargs=lambda w, scope: {"uidb64": "MQ", "token": "not-a-valid-token"}, scopes=(NONE,),
          note="an invalid link renders the 'link no longer valid' page"),
    Entry("accounts:password_reset_complete", PAGE, e(default=200, anonymous=200)),
    Entry("accounts:invitation_accept", PAGE,
          e(default=REDIRECT, anonymous=REDIRECT, **{"@unknown_token": 404, "anonymous@unknown_token": 404}),
          kwargs=lambda w, scope: {"token": w.invitation_token if scope == "valid_token" else "unknown-token-value"},
          scopes=("valid_token", "unknown_token"),
          note="the token is the secret (no tenancy); a valid one moves to the session and redirects"),
    # --- accounts: profile and API tokens -------------------------------------------------------
    Entry("accounts:profile", PAGE, e(default=200)),
    Entry("accounts:password_change", PAGE, e(default=200)),
    Entry("accounts:api_token_create", PAGE, e(default=200), method="POST",
          note="verified users get a token shown once"),
    Entry("accounts:api_token_revoke", PAGE, e(default=404), method="POST",
          data=lambda w, scope: {"token_key": w.token_key[scope]}, scopes=(OTHER,),
          note="another person's token is 404 for everyone"),
    # --- accounts: staff management -------------------------------------------------------------
    Entry("accounts:staff", PAGE, e(default=404, **ADMINS_ONLY)),
    Entry("accounts:staff_invite", PAGE, e(default=404, **ADMINS_ONLY)),
    Entry("accounts:staff_invite", PAGE, method="POST", data=invite_one, scopes=(OWN, SAME, OTHER),
          expect=e(default=404, institution_admin={OWN: REDIRECT, SAME: 200, OTHER: 200}, platform_admin=REDIRECT),
          note="another institution is not a valid choice: the form answers 200 with an error, nothing is sent"),
    Entry("accounts:staff_invite_csv", PAGE, e(default=404, **ADMINS_ONLY)),
    Entry("accounts:staff_invite_csv_template", PAGE, e(default=404, **ADMINS_ONLY)),
    Entry("accounts:invitation_revoke", PAGE, method="POST", kwargs=invitation_pk,
          expect=e(default=404, institution_admin={OWN: REDIRECT}, platform_admin=REDIRECT)),
    Entry("accounts:membership_end", PAGE, method="POST", kwargs=membership_pk,
          expect=e(default=404, institution_admin={OWN: REDIRECT}, platform_admin=REDIRECT)),
    Entry("accounts:totp_reset", PAGE, method="POST", kwargs=membership_pk,
          expect=e(default=404, institution_admin={OWN: REDIRECT}, platform_admin=REDIRECT)),
    # --- municipalities -------------------------------------------------------------------------
    Entry("municipalities:list", PAGE, e(default=200)),
    Entry("municipalities:detail", PAGE, e(default=200, **{"@" + OTHER: 404}, platform_admin=200),
          kwargs=municipality_slug, scopes=(OWN, OTHER)),
    Entry("municipalities:edit", PAGE, e(default=404, platform_admin=200), kwargs=municipality_slug,
          scopes=(OWN, OTHER)),
    Entry("municipalities:onboard", PAGE, e(default=404, platform_admin=200)),
    Entry("municipalities:onboard_done", PAGE, e(default=404, platform_admin=REDIRECT),
          note="with nothing onboarded in this session it sends the admin to the wizard"),
    # --- institutions ---------------------------------------------------------------------------
    Entry("institutions:list", PAGE, e(default=200)),
    Entry("institutions:detail", PAGE, e(default=200, **{"@" + OTHER: 404}, platform_admin=200),
          kwargs=institution_pk),
    # --- REST API -------------------------------------------------------------------------------
    Entry("api-me", API, e(default=200)),
    Entry("municipality-list", API, e(default=200)),
    Entry("municipality-list", API, e(default=403, platform_admin=201), method="POST", data=new_municipality),
    Entry("municipality-detail", API, e(default=200, **{"@" + OTHER: 404}, platform_admin=200),
          kwargs=municipality_pk, scopes=(OWN, OTHER)),
    Entry("municipality-detail", API, e(default=404, platform_admin=200), method="PATCH",
          kwargs=municipality_pk, scopes=(OWN, OTHER), data=lambda w, scope: {"district": "Matrica okrug"}),
    Entry("institution-list", API, e(default=200)),
    Entry("institution-list", API, e(default=403, platform_admin=201), method="POST", data=new_institution,
          scopes=(OWN, OTHER)),
    Entry("institution-detail", API, e(default=200, **{"@" + OTHER: 404}, platform_admin=200),
          kwargs=institution_pk),
    Entry("institution-detail", API, e(default=404, institution_admin={OWN: 200}, platform_admin=200),
          method="PATCH", kwargs=institution_pk, data=lambda w, scope: {"phone": "011 000 000"}),
    Entry("membership-list", API, e(default=200)),
    Entry("membership-list", API, method="POST", data=new_membership, scopes=(OWN, SAME, OTHER),
          expect=e(default=403, institution_admin={OWN: 201, SAME: 400, OTHER: 400}, platform_admin=201),
          note="an institution the admin does not run is not a valid choice (400), nothing is created"),
    Entry("membership-detail", API, kwargs=membership_pk,
          expect=e(default=404, coordinator={OWN: 200, SAME: 200}, institution_admin={OWN: 200},
                   platform_admin=200),
          note="own staff for institution admins, the whole municipality for coordinators"),
    Entry("membership-end", API, method="POST", kwargs=membership_pk,
          expect=e(default=404, institution_admin={OWN: 200}, platform_admin=200)),
]


def entries_by_name() -> dict[str, list[Entry]]:
    result: dict[str, list[Entry]] = {}
    for entry in ENTRIES:
        result.setdefault(entry.name, []).append(entry)
    return result


# --- entries of other apps ---------------------------------------------------------------------
# An app may keep its entries in tests/security/matrix_<app>.py: a module with ENTRIES (a list of
# Entry), optionally EXCLUDED (name -> reason), FALLBACK_ENTRIES (general answers used only for URL
# names that no module's ENTRIES cover) and ``build(w)``, which adds the app's objects of each scope
# to the matrix world (and may extend w.leak_texts / w.leak_ids; extend, never replace).

def _extensions() -> list:
    import importlib
    import pkgutil
    from pathlib import Path

    names = sorted(i.name for i in pkgutil.iter_modules([str(Path(__file__).parent)]) if i.name.startswith("matrix_"))
    return [importlib.import_module(f"{__package__}.{name}") for name in names]


EXTENSIONS = _extensions()
for _module in EXTENSIONS:
    ENTRIES.extend(getattr(_module, "ENTRIES", ()))
    EXCLUDED.update(getattr(_module, "EXCLUDED", {}))
_covered = {entry.name for entry in ENTRIES}
for _module in EXTENSIONS:
    ENTRIES.extend(entry for entry in getattr(_module, "FALLBACK_ENTRIES", ()) if entry.name not in _covered)
