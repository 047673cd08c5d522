"""Row-level security, the second wall: the application role and the functions the policies read.

The policies themselves are applied to every tenant table after each ``migrate``
(apps/core/rls_schema.py, a post_migrate step), so that a tenant table added later gets its policy too.
Idempotent: the role is created only when missing (in production the operator creates it with a
password; tests on one server share it between databases).
"""
from django.conf import settings
from django.db import migrations, models

ROLE = getattr(settings, "DATABASE_APP_ROLE", "") or ""


def role_sql() -> str:
    if not ROLE:
        return "SELECT 1"
    return f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{ROLE}') THEN
        CREATE ROLE "{ROLE}" NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- created meanwhile by a migration of another database on the same server
END
$$;
DO $$
BEGIN
    -- The login that runs the app must be allowed to SET ROLE to the app role (a superuser always is).
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND current_user <> '{ROLE}' THEN
        EXECUTE format('GRANT %I TO %I', '{ROLE}', current_user);
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'cannot grant {ROLE} to %: connect the app as {ROLE} directly', current_user;
END
$$;
GRANT USAGE ON SCHEMA public TO "{ROLE}";
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{ROLE}";
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{ROLE}";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{ROLE}";
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "{ROLE}";
"""


# Plain SQL functions, inlined by the planner: `municipality_id = ANY (kzn_tenant_ids())` becomes a
# comparison with a stable value, which an index leading with municipality_id can serve.
FUNCTIONS = """
CREATE OR REPLACE FUNCTION kzn_tenant_ids() RETURNS bigint[]
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('kzn.municipality_ids', true), '')::bigint[] $$;

CREATE OR REPLACE FUNCTION kzn_user_id() RETURNS bigint
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('kzn.user_id', true), '')::bigint $$;

CREATE OR REPLACE FUNCTION kzn_directory() RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT coalesce(current_setting('kzn.directory', true), '') = 'on' $$;

-- The tenant rule of every other tenant table. Not inlined on purpose, like kzn_admits below: inlined,
-- ``municipality_id = ANY (kzn_tenant_ids())`` joined the index condition of every scan, and its
-- estimate (an array unknown at plan time) multiplied with the query's own ``municipality_id = 18``
-- made the planner believe a municipality had a handful of cases: name search read all 37,000 cases
-- of the largest municipality and sorted them (450-600 ms) instead of walking the (municipality,
-- reported_at) index and stopping after a page (13 ms). As a function it is estimated as an ordinary
-- filter and checked on the rows the query's own conditions reach.
CREATE OR REPLACE FUNCTION kzn_in_tenant(municipality bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$ BEGIN RETURN coalesce(municipality = ANY (kzn_tenant_ids()), false); END $$;

-- The directory tables' rule (municipalities, institutions, memberships...: platform admins read them
-- all). Not inlined on purpose: the planner then estimates it as an ordinary filter and keeps walking
-- the case indexes when a list joins the lead institution; inlined, its estimate made the case list
-- start from the institutions and sort every case of the municipality (150 ms instead of 0.3 ms).
CREATE OR REPLACE FUNCTION kzn_admits(municipality bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$ BEGIN RETURN coalesce(kzn_directory() OR municipality = ANY (kzn_tenant_ids()), false); END $$;

-- The municipalities of a user, once per transaction (apps/core/tenancy.py): their active
-- memberships, the unexpired municipality-wide grants of their groups, the municipalities of the
-- cases shared with them or their groups by unexpired grants or referred to their institutions (while
-- the referral runs: sent or accepted), and the municipalities of the
-- coordination areas their institutions or municipalities belong to; every municipality for a platform-wide job; for
-- an anonymous request that opened an invitation link, the municipality of that invitation.
-- SECURITY DEFINER: it runs as the tables' owner (who bypasses row-level security), because the app
-- role cannot read these rows before its context is set. plpgsql: the tables belong to later apps.
CREATE OR REPLACE FUNCTION kzn_context_municipality_ids(
    uid bigint, everything boolean, at timestamptz DEFAULT now(), invitation text DEFAULT ''
)
    RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT
    AS $$
DECLARE
    result text;
    view_case integer;
BEGIN
    IF everything THEN
        SELECT coalesce(array_agg(id ORDER BY id), '{}')::text INTO result FROM municipalities_municipality;
        RETURN result;
    END IF;
    IF uid IS NULL THEN
        -- Anonymous: only the holder of an invitation link, for its municipality (the page tells
        -- a used, revoked or expired link apart; only a usable one can be accepted).
        SELECT coalesce(array_agg(municipality_id), '{}')::text INTO result FROM accounts_invitation
            WHERE invitation <> '' AND token_hash = invitation;
        RETURN CASE WHEN result = '{}' THEN '' ELSE result END;
    END IF;
    -- Only grants of the ``view_case`` permission share a case (as apps/cases/rules.py reads them):
    -- matched on its id, the (group, permission, case) index is walked instead of every grant a
    -- group holds.
    SELECT p.id INTO view_case FROM auth_permission p JOIN django_content_type ct ON ct.id = p.content_type_id
        WHERE ct.app_label = 'cases' AND ct.model = 'case' AND p.codename = 'view_case';
    WITH institutions AS (
        SELECT institution_id FROM accounts_membership WHERE user_id = uid AND is_active
    ), areas AS (
        SELECT am.area_id FROM conferences_areamember am JOIN institutions i USING (institution_id)
        UNION
        SELECT am.area_id FROM conferences_areamunicipality am
            WHERE am.municipality_id IN (SELECT municipality_id FROM accounts_membership WHERE user_id = uid AND is_active)
    )
    SELECT coalesce(array_agg(DISTINCT m ORDER BY m), '{}')::text INTO result FROM (
        SELECT municipality_id FROM accounts_membership WHERE user_id = uid AND is_active
        UNION ALL
        SELECT g.content_object_id FROM municipalities_municipalitygroupgrant g
            JOIN accounts_user_groups ug ON ug.group_id = g.group_id
            WHERE ug.user_id = uid AND (g.expires_at IS NULL OR g.expires_at > at)
        UNION ALL
        SELECT g.municipality_id FROM cases_casegroupgrant g
            JOIN accounts_user_groups ug ON ug.group_id = g.group_id
            WHERE ug.user_id = uid AND g.permission_id = view_case AND (g.expires_at IS NULL OR g.expires_at > at)
        UNION ALL
        SELECT g.municipality_id FROM cases_caseusergrant g
            WHERE g.user_id = uid AND g.permission_id = view_case AND (g.expires_at IS NULL OR g.expires_at > at)
        UNION ALL
        SELECT r.municipality_id FROM cases_referral r JOIN institutions i ON i.institution_id = r.to_institution_id
            WHERE r.status IN ('sent', 'accepted')
        UNION ALL
        SELECT a.municipality_id FROM conferences_coordinationarea a JOIN areas ON areas.area_id = a.id
        UNION ALL
        SELECT am.municipality_id FROM conferences_areamunicipality am JOIN areas USING (area_id)
    ) AS scope(m);
    RETURN result;
END
$$;
-- "Known in another municipality" (apps/cases/services/persons.py): the one question asked across
-- municipalities, answered yes or no by the tables' owner (the same keys as the recognition: the
-- JMBG hash, or the name key with the date of birth).
CREATE OR REPLACE FUNCTION kzn_person_known_elsewhere(home bigint, jmbg_key text, name_key text, born date)
    RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT
    AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM cases_caseperson p
        WHERE p.municipality_id <> kzn_person_known_elsewhere.home
          AND ((kzn_person_known_elsewhere.jmbg_key <> '' AND p.jmbg_hash = kzn_person_known_elsewhere.jmbg_key)
               OR (kzn_person_known_elsewhere.name_key <> '' AND kzn_person_known_elsewhere.born IS NOT NULL
                   AND p.name_key = kzn_person_known_elsewhere.name_key
                   AND p.birth_date = kzn_person_known_elsewhere.born))
    );
END
$$;
REVOKE ALL ON FUNCTION kzn_context_municipality_ids(bigint, boolean, timestamptz, text) FROM PUBLIC;
"""

BACKWARD = """
DROP FUNCTION IF EXISTS kzn_context_municipality_ids(bigint, boolean, timestamptz, text);
DROP FUNCTION IF EXISTS kzn_person_known_elsewhere(bigint, text, text, date);
DROP FUNCTION IF EXISTS kzn_admits(bigint);
DROP FUNCTION IF EXISTS kzn_in_tenant(bigint);
DROP FUNCTION IF EXISTS kzn_directory();
DROP FUNCTION IF EXISTS kzn_user_id();
DROP FUNCTION IF EXISTS kzn_tenant_ids();
"""


def grant_sql() -> str:
    if not ROLE:
        return "SELECT 1"
    return f'GRANT EXECUTE ON FUNCTION kzn_context_municipality_ids(bigint, boolean, timestamptz, text) TO "{ROLE}";'


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_indexes_for_reads_and_inserts")]

    operations = [
        migrations.RunSQL(role_sql(), migrations.RunSQL.noop),
        migrations.RunSQL(FUNCTIONS, BACKWARD),
        migrations.RunSQL(grant_sql(), migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("login", "Login"), ("logout", "Logout"), ("login_failed", "Failed login"),
                    ("lockout", "Lockout"), ("otp_enrolled", "Two-factor enrolled"),
                    ("otp_removed", "Two-factor removed"), ("otp_failed", "Wrong two-factor code"),
                    ("password_reset", "Password reset"), ("membership_created", "Membership created"),
                    ("membership_changed", "Membership changed"), ("membership_ended", "Membership ended"),
                    ("permission_granted", "Permission granted"), ("permission_revoked", "Permission revoked"),
                    ("invitation_sent", "Invitation sent"), ("invitation_accepted", "Invitation accepted"),
                    ("invitation_revoked", "Invitation revoked"), ("onboarding", "Municipality onboarded"),
                    ("create", "Create"), ("view", "View"), ("update", "Update"), ("delete", "Delete"),
                    ("export", "Export"), ("api_token", "API token issued"), ("platform", "Platform-wide job"),
                ],
                max_length=32,
                verbose_name="action",
            ),
        ),
    ]
