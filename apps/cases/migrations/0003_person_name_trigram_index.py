"""The trigram index on person name keys, where pg_trgm is installed (see 0001)."""
from django.db import migrations

FORWARD = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX IF NOT EXISTS person_name_trgm ON cases_caseperson USING gin (name_key gin_trgm_ops);
    END IF;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_initial")]

    operations = [migrations.RunSQL(FORWARD, "DROP INDEX IF EXISTS person_name_trgm;")]
