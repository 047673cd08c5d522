"""The programme's national figure of held case conferences, counted by the tables' owner.

The figure is national by design (one number for the whole programme, never split by municipality), but
row-level security gives a user's transaction only their municipalities' meetings: counted by the app
role it became the official's own municipality's figure, and cost the policy's check on every meeting of
the country. ``kzn_national_meeting_count(kind, status)`` answers that one number as the owner
(SECURITY DEFINER), like ``kzn_person_known_elsewhere`` answers its one yes or no.
"""
from django.conf import settings
from django.db import migrations

ROLE = getattr(settings, "DATABASE_APP_ROLE", "") or ""

FUNCTION = """
CREATE OR REPLACE FUNCTION kzn_national_meeting_count(meeting_kind text, meeting_status text)
    RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT
    AS $$ SELECT count(*) FROM conferences_meeting m WHERE m.kind = meeting_kind AND m.status = meeting_status $$;
REVOKE ALL ON FUNCTION kzn_national_meeting_count(text, text) FROM PUBLIC;
"""


def grant_sql() -> str:
    if not ROLE:
        return "SELECT 1"
    return f'GRANT EXECUTE ON FUNCTION kzn_national_meeting_count(text, text) TO "{ROLE}";'


class Migration(migrations.Migration):
    dependencies = [("conferences", "0004_action_open_partial_indexes")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS kzn_national_meeting_count(text, text);"),
        migrations.RunSQL(grant_sql(), migrations.RunSQL.noop),
    ]
