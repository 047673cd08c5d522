"""The one narrow path from a certificate's verification code to what the public page shows.

An anonymous visitor of ``/events/verify/`` has no user, so row-level security shows the request no
certificate. ``kzn_event_certificate_check(code)`` (SECURITY DEFINER: the tables' owner) answers one
question for exactly that code: the event's title, kind and start, and whether the certificate was
revoked; nothing else (no name, no other certificate). Unlike ``platform(reason)`` it opens no
municipality to the request and writes no audit entry per anonymous check (decision 67).
"""
from django.conf import settings
from django.db import migrations

ROLE = getattr(settings, "DATABASE_APP_ROLE", "") or ""

FUNCTION = """
CREATE OR REPLACE FUNCTION kzn_event_certificate_check(check_code text)
    RETURNS TABLE (title text, kind text, starts_at timestamptz, revoked boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT
    AS $$ SELECT e.title::text, e.kind::text, e.starts_at, c.revoked_at IS NOT NULL
          FROM events_certificate c JOIN events_event e ON e.id = c.event_id
          WHERE c.code = check_code AND check_code <> '' LIMIT 1 $$;
REVOKE ALL ON FUNCTION kzn_event_certificate_check(text) FROM PUBLIC;
"""


def grant_sql() -> str:
    if not ROLE:
        return "SELECT 1"
    return f'GRANT EXECUTE ON FUNCTION kzn_event_certificate_check(text) TO "{ROLE}";'


class Migration(migrations.Migration):
    dependencies = [("events", "0002_revocation_stock_targets_clippings"), ("core", "0005_row_level_security")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS kzn_event_certificate_check(text);"),
        migrations.RunSQL(grant_sql(), migrations.RunSQL.noop),
    ]
