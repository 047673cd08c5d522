"""Who may see cases and everything recorded on them.

Lists are built from the scoped predicate alone (municipality first, then the user's institutions'
participation or a municipality-wide grant) so they walk tenant-leading indexes. Cases shared by
an explicit grant (an accepted referral) are a separate branch: ``shared_with(user)``; detail
look-ups use ``visible_to`` which adds that branch only for users who hold grants.
"""
from __future__ import annotations

from django.db.models import OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.lookups import IsNull

from apps.core.choices import CASE_READING_ROLES, Role
from apps.core.querysets import TenantManager, TenantQuerySet

# The roles that read cases (one definition: apps/core/choices.py), in a fixed order for the SQL.
CASE_ROLES = tuple(r for r in Role if r in CASE_READING_ROLES)


def row_probe(queryset) -> Q:
    """True when the correlated ``queryset`` has a row, checked row by row with one index probe.

    Inside an OR, PostgreSQL turns ``EXISTS`` into a hashed subplan that first reads every match
    (every case an institution ever took part in: 37,000 rows for a large centre at national scale)
    because it cannot know that the ordered, LIMITed list stops after a page. A scalar subquery is
    never hashed, so a page costs one probe of the (case, institution) index per row it walks.
    """
    return Q(IsNull(Subquery(queryset.values("pk")[:1]), False))


def granted_case_ids(access, field: str = "content_object_id"):
    """Ids of cases shared with the user's institutions or with the user by an unexpired grant
    (``field="municipality_id"``: the municipalities of those cases, which every grant carries)."""
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from .models import CaseGroupGrant, CaseUserGrant

    now = timezone.now()
    active = Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    # The permission as a value (one InitPlan), not a join on its codename: the planner then walks the
    # (group, permission, case) unique index instead of reading every grant the groups hold.
    view_case = Subquery(
        Permission.objects.filter(content_type__app_label="cases", content_type__model="case", codename="view_case").values("pk")[:1]
    )
    by_group = CaseGroupGrant.objects.filter(active, group__user=access.user, permission_id=view_case)
    by_user = CaseUserGrant.objects.filter(active, user=access.user, permission_id=view_case)
    return by_group.values(field).union(by_user.values(field))


# --- the same rules in SQL ----------------------------------------------------------------------------
# Hand-written statements of the busiest pages (the case page's case, the work queue's visibility
# check) say the rules above in SQL; tests compare them with the ORM's for every kind of user and case.


def view_case_permission_sql() -> str:
    """The id of the ``view_case`` permission, as a one-row subquery (one InitPlan per statement)."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    return (
        f"(SELECT perm.id FROM {Permission._meta.db_table} perm"
        f" JOIN {ContentType._meta.db_table} ct ON ct.id = perm.content_type_id"
        " WHERE ct.app_label = 'cases' AND ct.model = 'case' AND perm.codename = 'view_case' LIMIT 1)"
    )


def listed_rule_sql(alias: str) -> str:
    """``Case.objects.listed_for(user)`` (``CaseQuerySet.scoped``) as SQL over the case ``alias``,
    with the five parameters of ``listed_rule_params``."""
    from .models import CaseAssignment, CaseParticipant

    return (
        f"(({alias}.municipality_id = ANY(%s) AND NOT {alias}.is_restricted)"
        f" OR ({alias}.municipality_id = ANY(%s) AND ("
        f"(NOT {alias}.is_restricted AND ({alias}.lead_institution_id = ANY(%s)"
        f" OR EXISTS (SELECT 1 FROM {CaseParticipant._meta.db_table} cp"
        f" WHERE cp.case_id = {alias}.id AND cp.institution_id = ANY(%s) AND cp.ended_at IS NULL)))"
        f" OR EXISTS (SELECT 1 FROM {CaseAssignment._meta.db_table} ca"
        f" WHERE ca.case_id = {alias}.id AND ca.user_id = %s AND ca.ended_at IS NULL))))"
    )


def listed_rule_params(access) -> list:
    """The parameters of ``listed_rule_sql``: the municipalities where the user sees every unrestricted
    case (``view_municipality_cases``), the municipalities and institutions of the user's case roles
    (both empty without an institution with a case role), the institutions again, and the user
    (assigned staff see their restricted cases)."""
    if not access.memberships:
        return [[], [], [], [], access.user.pk]
    wide = sorted(access.municipalities_with("view_municipality_cases"))
    institutions = sorted(access.institution_ids(*CASE_ROLES))
    municipalities = sorted(access.municipality_ids(*CASE_ROLES)) if institutions else []
    return [wide, municipalities, institutions, institutions, access.user.pk]


def granted_rule_sql(alias: str) -> str:
    """``pk__in=granted_case_ids(access)`` as SQL over the case ``alias``, with the five parameters of
    ``granted_rule_params``."""
    from apps.accounts.models import User

    from .models import CaseGroupGrant, CaseUserGrant

    view_case = view_case_permission_sql()
    return (
        "(%s AND (EXISTS ("
        f"SELECT 1 FROM {CaseGroupGrant._meta.db_table} g"
        f" JOIN {User.groups.through._meta.db_table} ug ON ug.group_id = g.group_id"
        f" WHERE g.content_object_id = {alias}.id AND ug.user_id = %s AND g.permission_id = {view_case}"
        " AND (g.expires_at IS NULL OR g.expires_at > %s))"
        f" OR EXISTS (SELECT 1 FROM {CaseUserGrant._meta.db_table} ug2"
        f" WHERE ug2.content_object_id = {alias}.id AND ug2.user_id = %s AND ug2.permission_id = {view_case}"
        " AND (ug2.expires_at IS NULL OR ug2.expires_at > %s))))"
    )


def granted_rule_params(access, now) -> list:
    """The parameters of ``granted_rule_sql``: whether the user holds any case grant (none: the
    grant tables are not read), then the user and the time twice (unexpired grants to the user's
    groups or to the user)."""
    return [has_case_grants(access), access.user.pk, now, access.user.pk, now]


def granted_municipalities_statement(user, now) -> tuple[str, list]:
    """The municipalities of the cases shared with ``user`` by an unexpired ``view_case`` grant (to
    their role groups or to them), as one SQL query of one column: loaded with the user's access
    context in the same statement (apps/accounts/access.py PRELOADS); ``granted_case_ids`` with
    ``field="municipality_id"`` is the same rule in the ORM."""
    from apps.accounts.models import User

    from .models import CaseGroupGrant, CaseUserGrant

    view_case = view_case_permission_sql()
    sql = (
        f"SELECT g.municipality_id FROM {CaseGroupGrant._meta.db_table} g"
        f" JOIN {User.groups.through._meta.db_table} ug ON ug.group_id = g.group_id"
        f" WHERE ug.user_id = %s AND g.permission_id = {view_case} AND (g.expires_at IS NULL OR g.expires_at > %s)"
        " UNION "
        f"SELECT u.municipality_id FROM {CaseUserGrant._meta.db_table} u"
        f" WHERE u.user_id = %s AND u.permission_id = {view_case} AND (u.expires_at IS NULL OR u.expires_at > %s)"
    )
    return sql, [user.pk, now, user.pk, now]


def granted_municipality_ids(access) -> frozenset[int]:
    """Municipalities of the cases shared with the user (loaded with the access context, once per
    request; by its own query for an access context built without the preload)."""
    cached = getattr(access, "_granted_municipalities", None)
    if cached is None:
        cached = access.preloaded("case_grant_municipalities") if hasattr(access, "preloaded") else None
        if cached is None:
            rows = granted_case_ids(access, "municipality_id") if access.memberships or access.user.pk else ()
            cached = frozenset(row["municipality_id"] for row in rows)
        access._granted_municipalities = cached
    return cached


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


def case_municipality_ids(access) -> frozenset[int]:
    """Municipalities whose cases the user may see: where they work on cases or hold a
    municipality-wide grant, and those of cases shared with them (cached for the request)."""
    cached = getattr(access, "_case_municipalities", None)
    if cached is None:
        ids = set(access.municipality_ids(*CASE_ROLES)) | set(access.municipalities_with("view_municipality_cases"))
        cached = access._case_municipalities = frozenset(ids | granted_municipality_ids(access))
    return cached


class CaseQuerySet(TenantQuerySet):
    """Caseworkers: cases their institution takes part in; coordinators: the municipality's cases;
    restricted cases: assigned staff only; platform admins and officials: never a case."""

    def scoped(self, access, action="view"):
        """The tenant-scoped branch (no grants)."""
        if not access.memberships:
            return None
        conditions = None
        wide = access.municipalities_with("view_municipality_cases")
        if wide:
            conditions = Q(municipality_id__in=wide, is_restricted=False)
        institutions = access.institution_ids(*CASE_ROLES)
        municipalities = access.municipality_ids(*CASE_ROLES)
        if institutions:
            from .models import CaseParticipant

            participates = row_probe(
                CaseParticipant.objects.filter(
                    case_id=OuterRef("pk"), institution_id__in=institutions, ended_at__isnull=True
                )
            )
            team = Q(municipality_id__in=municipalities, is_restricted=False) & (
                Q(lead_institution_id__in=institutions) | Q(participates)
            )
            conditions = team if conditions is None else conditions | team
            from .models import CaseAssignment

            assigned = row_probe(
                CaseAssignment.objects.filter(case_id=OuterRef("pk"), user_id=access.user.pk, ended_at__isnull=True)
            )
            conditions = conditions | (Q(municipality_id__in=municipalities) & assigned)
        return conditions

    def scope(self, access, action):
        return _per_request(access, "case", lambda: self._scope(access, action))

    def _scope(self, access, action):
        condition = self.scoped(access, action)
        if has_case_grants(access):
            branch = Q(pk__in=granted_case_ids(access))
            condition = branch if condition is None else condition | branch
        return condition

    def listed_for(self, user):
        """The main case list: the scoped branch only (grants are the 'shared with me' tab)."""
        access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
        if access is None:
            return self.none()
        condition = self.scoped(access)
        return self.none() if condition is None else self.filter(condition)

    def shared_with(self, user):
        """Cases shared with the user by an explicit grant (a separate list branch)."""
        access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
        if access is None:
            return self.none()
        return self.filter(pk__in=granted_case_ids(access))


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
    from .models import Case

    if not marked_for(case, user):
        return Case.objects.listed_for(user).filter(pk=case.pk).exists()
    if "_on_team" not in case.__dict__:
        case.__dict__["_on_team"] = Case.objects.listed_for(user).filter(pk=case.pk).exists()
    return case.__dict__["_on_team"]


class CaseChildQuerySet(TenantQuerySet):
    """Rows hanging off a case: visible when the case is visible."""

    case_field = "case"

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
            return self.visible_to(user).filter(**{f"{self.case_field}_id": case.pk})
        rows = self.filter(municipality_id=case.municipality_id, **{f"{self.case_field}_id": case.pk})
        rule = self.row_scope(user.access)
        return rows if rule is None else rows.filter(rule)

    def scope(self, access, action):
        return _per_request(access, f"rows:{self.case_field}", lambda: self._case_rows_scope(access))

    def _case_rows_scope(self, access):
        from .models import Case

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
        return Q(municipality_id__in=case_municipality_ids(access)) & Q(
            **{f"{self.case_field}__in": RawSQL(sql, params)}
        )


class CaseChildManager(TenantManager.from_queryset(CaseChildQuerySet)):
    """Manager for rows of a case."""


class RestrictedChildQuerySet(CaseChildQuerySet):
    """Notes and attachments: 'own institution only' entries stay inside the author's institution."""

    def row_scope(self, access):
        return Q(visibility="team") | Q(institution_id__in=access.institution_ids())

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
