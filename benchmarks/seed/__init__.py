"""National-scale data generator: municipalities with realistic skew, institutions, staff, ten years of
cases with everything recorded on them, per-object grants and case conferences.

Small tables (municipalities, institutions, users, memberships, groups, conferences) are written
through the ORM; the case tables are generated inside PostgreSQL with INSERT ... SELECT over
generate_series, every random choice a keyed hash of the row number (``hashint8extended`` with the
seed), so the same --seed and --until give the same data, and a million cases load in minutes.
Secondary indexes of the big tables are dropped during the load and rebuilt once afterwards.

Nothing here is real: municipalities are "Primer-..." places, users "Test Skala ..." at
skala.example, persons random combinations of common first names and generated surnames.
"""
from .plan import MunicipalityPlan, SeedOptions, plan_municipalities
from .seeder import Seeder

__all__ = ["MunicipalityPlan", "SeedOptions", "Seeder", "plan_municipalities"]
