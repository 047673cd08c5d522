"""What a user reaches, stated once in SQL and read by both walls (docs/decisions.md, decision 63).

- ``kzn_case_grants(uid, at)``: the cases shared with the user, or with one of their role groups, by an
  unexpired ``view_case`` grant, with their municipalities. The case rules name it
  (``apps/cases/rules.grants``): the "shared with me" branch of every list and look-up.
- ``kzn_user_reach(uid, at)``: the user's memberships (``m``), the municipality-wide permissions of their
  role groups (``p``), the municipalities of the cases shared with them (``g``, from
  ``kzn_case_grants``), of the cases referred to their institutions while the referral runs (``r``) and
  of the coordination areas their institutions or municipalities belong to (``a``). ``active`` says
  whether the application acts through the row (a membership in an active institution of an active
  municipality, a grant on an active municipality): the access context (apps/accounts/access.py)
  keeps those, row-level security admits the municipality of every row.
- ``kzn_context(uid, everything, at, invitation)``: the transaction's municipalities (the set of
  ``kzn_user_reach``, every municipality for a platform-wide job, an invitation's for its link) and,
  in the same call, the ``m``/``p``/``g`` rows, so that the statement that opens a request's
  transaction also loads its access context (apps/core/tenancy.py). SECURITY DEFINER: the app role
  reads nothing before its context is set.
- ``kzn_context_municipality_ids``: kept with its signature, now the first column of ``kzn_context``.

The two SQL functions are LANGUAGE sql and STABLE, so the planner inlines them where the app names
them. Their bodies name tables of later apps, so they are created without checking the body (the
tables exist when a request first calls them).
"""
from importlib import import_module

from django.conf import settings
from django.db import migrations

ROLE = getattr(settings, "DATABASE_APP_ROLE", "") or ""

VIEW_CASE = (
    "(SELECT perm.id FROM auth_permission perm JOIN django_content_type ct ON ct.id = perm.content_type_id"
    " WHERE ct.app_label = 'cases' AND ct.model = 'case' AND perm.codename = 'view_case' LIMIT 1)"
)

FUNCTIONS = f"""
SET LOCAL check_function_bodies = off;

CREATE OR REPLACE FUNCTION kzn_case_grants(uid bigint, at timestamptz)
    RETURNS TABLE (case_id bigint, municipality_id bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT r_g.content_object_id, r_g.municipality_id FROM cases_casegroupgrant r_g
        JOIN accounts_user_groups r_ug ON r_ug.group_id = r_g.group_id
        WHERE r_ug.user_id = uid AND r_g.permission_id = {VIEW_CASE}
          AND (r_g.expires_at IS NULL OR r_g.expires_at > at)
    UNION
    SELECT r_u.content_object_id, r_u.municipality_id FROM cases_caseusergrant r_u
        WHERE r_u.user_id = uid AND r_u.permission_id = {VIEW_CASE}
          AND (r_u.expires_at IS NULL OR r_u.expires_at > at)
$$;

CREATE OR REPLACE FUNCTION kzn_user_reach(uid bigint, at timestamptz)
    RETURNS TABLE (kind text, municipality_id bigint, institution_id bigint, ref_id bigint, name text, active boolean)
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    WITH institutions AS (
        SELECT ms.institution_id FROM accounts_membership ms WHERE ms.user_id = uid AND ms.is_active
    ), areas AS (
        SELECT am.area_id FROM conferences_areamember am JOIN institutions i USING (institution_id)
        UNION
        SELECT am.area_id FROM conferences_areamunicipality am
            WHERE am.municipality_id IN (SELECT ms.municipality_id FROM accounts_membership ms
                                         WHERE ms.user_id = uid AND ms.is_active)
    )
    SELECT 'm'::text, ms.municipality_id, ms.institution_id, ms.id, ms.role::text, inst.is_active AND mun.is_active
        FROM accounts_membership ms
        JOIN institutions_institution inst ON inst.id = ms.institution_id
        JOIN municipalities_municipality mun ON mun.id = ms.municipality_id
        WHERE ms.user_id = uid AND ms.is_active
    UNION ALL
    SELECT 'p', g.content_object_id, NULL, NULL, perm.codename::text, mun.is_active
        FROM municipalities_municipalitygroupgrant g
        JOIN accounts_user_groups ug ON ug.group_id = g.group_id
        JOIN municipalities_municipality mun ON mun.id = g.content_object_id
        JOIN auth_permission perm ON perm.id = g.permission_id
        WHERE ug.user_id = uid AND (g.expires_at IS NULL OR g.expires_at > at)
    UNION ALL
    SELECT DISTINCT 'g', s.municipality_id, NULL::bigint, NULL::bigint, NULL::text, true
        FROM kzn_case_grants(uid, at) s
    UNION ALL
    SELECT DISTINCT 'r', r.municipality_id, NULL::bigint, NULL::bigint, NULL::text, true
        FROM cases_referral r JOIN institutions i ON i.institution_id = r.to_institution_id
        WHERE r.status IN ('sent', 'accepted')
    UNION ALL
    SELECT DISTINCT 'a', x.municipality_id, NULL::bigint, NULL::bigint, NULL::text, true FROM (
        SELECT a.municipality_id FROM conferences_coordinationarea a JOIN areas ON areas.area_id = a.id
        UNION ALL
        SELECT am.municipality_id FROM conferences_areamunicipality am JOIN areas USING (area_id)
    ) AS x
$$;

CREATE OR REPLACE FUNCTION kzn_context(uid bigint, everything boolean, at timestamptz DEFAULT now(), invitation text DEFAULT '')
    RETURNS TABLE (municipality_ids text, reach text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT
    AS $$
BEGIN
    IF everything THEN
        RETURN QUERY SELECT coalesce(array_agg(m.id ORDER BY m.id), '{{}}')::text, NULL::text
            FROM municipalities_municipality m;
        RETURN;
    END IF;
    IF uid IS NULL THEN
        -- Anonymous: only the holder of an invitation link, for its municipality (the page tells
        -- a used, revoked or expired link apart; only a usable one can be accepted).
        RETURN QUERY SELECT CASE WHEN count(*) = 0 THEN '' ELSE array_agg(i.municipality_id)::text END, NULL::text
            FROM accounts_invitation i WHERE invitation <> '' AND i.token_hash = invitation;
        RETURN;
    END IF;
    RETURN QUERY SELECT
        coalesce(array_agg(DISTINCT r.municipality_id ORDER BY r.municipality_id), '{{}}')::text,
        coalesce(jsonb_agg(jsonb_build_array(r.kind, r.municipality_id, r.institution_id, r.ref_id, r.name, r.active))
                 FILTER (WHERE r.kind IN ('m', 'p', 'g')), '[]'::jsonb)::text
        FROM kzn_user_reach(uid, at) r;
END
$$;

CREATE OR REPLACE FUNCTION kzn_context_municipality_ids(
    uid bigint, everything boolean, at timestamptz DEFAULT now(), invitation text DEFAULT ''
)
    RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT
    AS $$ SELECT c.municipality_ids FROM kzn_context(uid, everything, at, invitation) c $$;

REVOKE ALL ON FUNCTION kzn_context(bigint, boolean, timestamptz, text) FROM PUBLIC;
"""

# Back: the functions of core 0005 again (kzn_context_municipality_ids as it was), then these dropped.
BACKWARD = import_module("apps.core.migrations.0005_row_level_security").FUNCTIONS + """
DROP FUNCTION IF EXISTS kzn_context(bigint, boolean, timestamptz, text);
DROP FUNCTION IF EXISTS kzn_user_reach(bigint, timestamptz);
DROP FUNCTION IF EXISTS kzn_case_grants(bigint, timestamptz);
"""


def grant_sql() -> str:
    if not ROLE:
        return "SELECT 1"
    return f'GRANT EXECUTE ON FUNCTION kzn_context(bigint, boolean, timestamptz, text) TO "{ROLE}";'


class Migration(migrations.Migration):
    dependencies = [("core", "0006_audit_seal")]

    operations = [
        migrations.RunSQL(FUNCTIONS, BACKWARD),
        migrations.RunSQL(grant_sql(), migrations.RunSQL.noop),
    ]
