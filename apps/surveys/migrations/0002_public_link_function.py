"""The one narrow path from a public link to its municipality, before any tenant context exists.

An anonymous visitor of a questionnaire's public link has no user, so no row of any tenant table is
visible to the request. ``kzn_survey_link_municipality(token)`` (SECURITY DEFINER: the tables'
owner) answers one question, the municipality of the collection with exactly that token, and
nothing else (no title, no dates, no other collection). The page then reads the collection and
stores the answer inside ``tenant_context`` of that municipality (apps/surveys/public.py). Unlike
``platform(reason)`` it writes no audit entry, which would tie the visitor's address to the time of
an answer.
"""
from django.conf import settings
from django.db import migrations

ROLE = getattr(settings, "DATABASE_APP_ROLE", "") or ""

FUNCTION = """
CREATE OR REPLACE FUNCTION kzn_survey_link_municipality(link text) RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path FROM CURRENT
    AS $$ SELECT municipality_id FROM surveys_collection WHERE token = link AND link <> '' LIMIT 1 $$;
REVOKE ALL ON FUNCTION kzn_survey_link_municipality(text) FROM PUBLIC;
"""


def grant_sql() -> str:
    if not ROLE:
        return "SELECT 1"
    return f'GRANT EXECUTE ON FUNCTION kzn_survey_link_municipality(text) TO "{ROLE}";'


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("core", "0005_row_level_security")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS kzn_survey_link_municipality(text);"),
        migrations.RunSQL(grant_sql(), migrations.RunSQL.noop),
    ]
