"""Who may see cases and everything recorded on them.

Lists are built from the scoped predicate alone (municipality first, then the user's institutions'
participation or a municipality-wide grant) so they walk tenant-leading indexes. Cases shared by
an explicit grant (an accepted referral) are a separate branch: ``shared_with(user)``; detail
look-ups use ``visible_to`` which adds that branch only for users who hold grants.
"""
from __future__ import annotations

from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from apps.core import fixed_sql
from apps.core.choices import Role
from apps.core.querysets import TenantManager, TenantQuerySet
from apps.core.rules import rule

from . import rules
from .rules import CASE_ROLES, case_municipality_ids, granted_municipality_ids

__all__ = ["CASE_ROLES", "case_municipality_ids", "granted_municipality_ids"]


def granted_case_ids(access, field: str = "content_object_id") -> list[dict]:
    """Rows ``{field: value}`` of the unexpired case grants to the user or their role groups
    (``rules.grants``): the cases shared with them, or (``field="municipality_id"``) their municipalities."""
    if access.user.pk is None:
        return []
    sql, params = rules.grants(field, access.user.pk, timezone.now())
    return [{field: value} for (value,) in fixed_sql.fetchall(sql, params)]


def has_case_grants(access) -> bool:
    """Whether the user holds any case grant (cached on the access context for the request)."""
    return bool(granted_municipality_ids(access))


def _per_request(access, key: str, build):
    """A scope condition built once per access context (one request; a membership change makes a
    new one): the work queue and the case page filter half a dozen tables by the same case scope,
    and building its subqueries costs more than running them. Actions share it: the case rules do
    not depend on the action."""
    cache = access.__dict__.setdefault("_scope_cache", {})
    if key not in cache:
        cache[key] = build()
    return cache[key]


class CaseQuerySet(TenantQuerySet):
    """Caseworkers: cases their institution takes part in; coordinators: the municipality's cases;
    restricted cases: assigned staff only; platform admins and officials: never a case. The rules
    themselves are stated once in apps/cases/rules.py."""

    def scoped(self, access, action="view"):
        """The tenant-scoped branch (no grants): ``rules.listed``."""
        return rule(lambda a: rules.listed(access, a))

    def scope(self, access, action):
        return _per_request(access, "case", lambda: self._scope(access, action))

    def _scope(self, access, action):
        condition = self.scoped(access, action)
        if has_case_grants(access):
            now = timezone.now()
            branch = rule(lambda a: rules.granted(access, a, now))
            condition = branch if condition is None else condition | branch
        return condition

    def listed_for(self, user):
        """The main case list: the scoped branch only (grants are the 'shared with me' tab)."""
        access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
        if access is None:
            return self.none()
        condition = self.scoped(access)
        return self.none() if condition is None else self.filter(condition)

    def in_tab(self, user, scope: str):
        """One tab of the list ("mine", "institution", "all": ``rules.tab``, which includes
        ``listed_for``; "shared": ``shared_with``)."""
        if scope == "shared":
            return self.shared_with(user)
        access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
        condition = None if access is None else rule(lambda a: rules.tab(access, scope, a))
        return self.none() if condition is None else self.filter(condition)

    def shared_with(self, user):
        """Cases shared with the user by an explicit grant (a separate list branch)."""
        access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
        if access is None:
            return self.none()
        now = timezone.now()
        return self.filter(rule(lambda a: rules.granted(access, a, now)))


class CaseManager(TenantManager.from_queryset(CaseQuerySet)):
    """Manager exposing visible_to(), listed_for() and shared_with()."""


def mark_visible(case, user):
    """Note on a case loaded through ``Case.objects.visible_to(user)`` that ``user`` may see it, so
    the sections of its page read its rows with ``of_case`` (for this instance, this request)."""
    case.__dict__["_visible_user"] = user
    return case


def marked_for(case, user) -> bool:
    """Whether ``case`` was marked by ``mark_visible`` for this very user object (this request)."""
    return case.__dict__.get("_visible_user") is user and user is not None


def on_team(user, case) -> bool:
    """Whether the user reaches the case as the team or a coordinator (not only through a grant);
    asked once per request and case (the page's sections all need it)."""
    from .models import Case  # cycle: models -> querysets

    if not marked_for(case, user):
        return Case.objects.listed_for(user).filter(pk=case.pk).exists()
    if "_on_team" not in case.__dict__:
        case.__dict__["_on_team"] = Case.objects.listed_for(user).filter(pk=case.pk).exists()
    return case.__dict__["_on_team"]


class CaseChildQuerySet(TenantQuerySet):
    """Rows hanging off a case: visible when the case is visible."""

    def row_scope(self, access):
        """The rule on the row itself, on top of its case being visible (none for most rows)."""
        return None

    def of_case(self, user, case):
        """The rows of one case that ``user`` may see.

        For a case marked by ``mark_visible`` (just loaded through ``Case.objects.visible_to``) the
        case's visibility is not derived again in a subquery for each of the page's dozen sections:
        the rows are matched on their (municipality, case) and the row rule alone. Any other case
        goes through ``visible_to`` as usual.
        """
        if getattr(user, "pk", None) is None or not marked_for(case, user) or not getattr(user, "is_active", False):
            return self.visible_to(user).filter(case_id=case.pk)
        rows = self.filter(rule(lambda a: rules.rows_of_case(a, case)))
        row_rule = self.row_scope(user.access)
        return rows if row_rule is None else rows.filter(row_rule)

    def scope(self, access, action):
        return _per_request(access, "rows", lambda: self._case_rows_scope(access))

    def _case_rows_scope(self, access):
        from .models import Case  # cycle: models -> querysets

        visible = Case.objects.all().scope(access, "view")
        if visible is None:
            return None
        # A row carries its case's municipality: leading with it lets lists of rows (the work queue's
        # measures, the API's record lists) walk the tenant-leading indexes instead of whole tables.
        # The visible-case subquery is compiled to SQL once per access context: a page filtering half a
        # dozen tables by it otherwise re-resolved and re-compiled its nested subqueries for each one,
        # which cost more than running them. It is uncorrelated, so it means the same inside any query.
        cases = Case.objects.filter(visible).order_by().values("pk").query
        sql, params = cases.get_compiler(using=self.db).as_sql()
        tenant = rule(lambda a: rules.in_case_municipalities(access, a))
        return None if tenant is None else tenant & Q(case__in=RawSQL(sql, params))


class CaseChildManager(TenantManager.from_queryset(CaseChildQuerySet)):
    """Manager for rows of a case."""


class ReferralQuerySet(CaseChildQuerySet):
    """Referrals: seen with their case, and the inbox of the receiving institution."""

    def addressed_to(self, user):
        """Referrals addressed to the user's institutions (``rules.addressed_to``): the receiving
        side sees and answers them before the case is shared with it."""
        access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
        if access is None or not getattr(user, "is_active", False):
            return self.none()
        condition = rule(lambda a: rules.addressed_to(access, a))
        return self.none() if condition is None else self.filter(condition)


class ReferralManager(TenantManager.from_queryset(ReferralQuerySet)):
    """Manager for referrals: visible_to() and addressed_to()."""


class RestrictedChildQuerySet(CaseChildQuerySet):
    """Notes and attachments: 'own institution only' entries stay inside the author's institution."""

    def row_scope(self, access):
        return rule(lambda a: rules.note_visible(access, a))

    def scope(self, access, action):
        base = super().scope(access, action)
        if base is None:
            return None
        return base & self.row_scope(access)


class RestrictedChildManager(TenantManager.from_queryset(RestrictedChildQuerySet)):
    """Manager for notes and attachments."""


class FormDraftQuerySet(TenantQuerySet):
    """Drafts of case forms: each user reads and changes only their own."""

    def scope(self, access, action):
        return Q(user_id=access.user.pk)


class FormDraftManager(TenantManager.from_queryset(FormDraftQuerySet)):
    """Manager for form drafts."""


class RetentionRunQuerySet(TenantQuerySet):
    """Retention proposals: only the coordinators of the municipality see and decide them."""

    def scope(self, access, action):
        municipalities = access.municipality_ids(Role.COORDINATOR)
        return Q(municipality_id__in=municipalities) if municipalities else None


class RetentionRunManager(TenantManager.from_queryset(RetentionRunQuerySet)):
    """Manager for retention runs."""
