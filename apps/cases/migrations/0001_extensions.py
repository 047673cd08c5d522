"""Trigram search uses pg_trgm where the server has it (production and CI do; the embedded
development server does not ship contrib extensions, so there name search falls back to prefixes)."""
from django.db import migrations

FORWARD = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    END IF;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunSQL(FORWARD, migrations.RunSQL.noop)]
