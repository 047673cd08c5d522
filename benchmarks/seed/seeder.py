"""The generation run: small tables through the ORM, the case tables inside PostgreSQL."""
from __future__ import annotations

import random
import time
from datetime import date, datetime

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from apps.accounts.models import Membership, User
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution
from apps.institutions.services import STAFF_GROUP_ROLES, staff_group_name
from apps.municipalities.choices import SizeClass
from apps.municipalities.models import Municipality
from apps.municipalities.roles import role_group_name
from apps.municipalities.services import municipality_create

from .children import CaseChildrenMixin
from .conferences import ConferencesMixin
from .plan import (
    ANALYZE_TABLES,
    BASELINE_CODENAME,
    BASELINE_NAME,
    BELGRADE,
    BIG_TABLES,
    BUCKETS,
    CLOSURE_REASONS,
    SeedOptions,
    plan_municipalities,
)


class Seeder(CaseChildrenMixin, ConferencesMixin):
    """Runs the generation; ``log`` receives one progress line per step."""

    def __init__(self, options: SeedOptions, log=print):
        self.o = options
        self.log = log
        self.rng = random.Random(options.seed)
        self.t0 = time.monotonic()
        until = options.until or date.today()
        self.anchor = datetime(until.year, until.month, until.day, 8, 0, tzinfo=BELGRADE)
        self.start = self.anchor.replace(year=self.anchor.year - options.years)
        self.counts: dict[str, int] = {}

    # --- helpers ---------------------------------------------------------------------------

    def step(self, label: str, rows: int | None = None) -> None:
        elapsed = time.monotonic() - self.t0
        extra = f": {rows:,} rows" if rows is not None else ""
        self.log(f"[{elapsed:7.1f}s] {label}{extra}")

    def sql(self, statement: str, params=None) -> int:
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.rowcount

    def chunks(self):
        lo = self.base + 1
        last = self.base + self.o.cases
        while lo <= last:
            hi = min(last, lo + self.o.chunk - 1)
            yield lo, hi
            lo = hi + 1

    def per_chunk(self, label: str, statement: str, params: dict | None = None, analyze: tuple = ()) -> int:
        for table in analyze:  # fresh statistics of what this step reads, so the joins are planned well
            self.sql(f"ANALYZE {table}")
        total = 0
        for lo, hi in self.chunks():
            total += self.sql(statement, {**(params or {}), "lo": lo, "hi": hi})
            if self.o.cases > self.o.chunk:
                self.step(f"  {label} up to case {hi - self.base:,}", total)
        self.counts[label] = total
        self.step(label, total)
        return total

    # --- the run ---------------------------------------------------------------------------

    def run(self) -> dict:
        if Municipality.objects.filter(code__startswith="Q", slug__startswith="primer-").exists():
            raise ValueError("This database already holds generated municipalities; seed into a fresh database.")
        rebuild = self.o.rebuild_indexes if self.o.rebuild_indexes is not None else self.o.cases >= 100_000
        self.log(
            f"Generating {self.o.cases:,} cases, {self.o.municipalities} municipalities, {self.o.users:,} users "
            f"(seed {self.o.seed}, {self.o.years} years up to {self.anchor:%d.%m.%Y})"
        )
        with transaction.atomic():
            self._session()
            self._municipalities()
            self._institutions()
            self._users()
            self._temp_tables()
            dropped = self._drop_indexes() if rebuild else []
            self._cases()
            self._case_children()
            self._grants()
            if dropped:
                self._rebuild_indexes(dropped)
            self._sequences()
            self._conferences()
            # Back to normal for whatever else runs in this transaction (e.g. tests seeding their data).
            self.sql("SET LOCAL session_replication_role = origin")
        self._analyze()
        self.step("done")
        return self.counts

    def _session(self) -> None:
        self.sql("SET LOCAL synchronous_commit = off")
        self.sql("SET LOCAL work_mem = '256MB'")
        self.sql("SET LOCAL maintenance_work_mem = '1GB'")
        # Rows are consistent by construction: skip the per-row foreign-key triggers when the
        # database role may (a superuser); otherwise they simply run.
        try:
            with transaction.atomic():
                self.sql("SET LOCAL session_replication_role = replica")
        except Exception:  # noqa: BLE001 (not a superuser: keep the checks)
            self.log("  (foreign-key checks stay on: not a superuser)")
        seed_base = int(self.o.seed) * 1000
        self.sql(
            "CREATE OR REPLACE FUNCTION pg_temp.r(i bigint, salt int) RETURNS int LANGUAGE sql IMMUTABLE AS "
            f"$$ SELECT (hashint8extended(i, {seed_base} + salt) & 2147483647)::int $$"
        )
        self.sql(
            "CREATE OR REPLACE FUNCTION pg_temp.p(i bigint, salt int) RETURNS int LANGUAGE sql IMMUTABLE AS "
            f"$$ SELECT ((hashint8extended(i, {seed_base} + salt) & 2147483647) % 100)::int $$"
        )

    # --- tenants, institutions, people -----------------------------------------------------

    def _municipalities(self) -> None:
        self.plans = plan_municipalities(self.o.municipalities, self.rng)
        self.muns: list[Municipality] = []
        for plan in self.plans:
            self.muns.append(
                municipality_create(
                    name=plan.name,
                    name_cyrl=plan.name_cyrl,
                    code=plan.code,
                    slug=f"primer-{plan.index + 1:03d}",
                    kind=plan.kind,
                    district="Primer okrug",
                    population=plan.population,
                    size_class=plan.size_class,
                )
            )
        Municipality.objects.filter(pk__in=[m.pk for m in self.muns]).update(onboarded_at=self.start)
        self.counts["municipalities"] = len(self.muns)
        self.step("municipalities (with role groups and municipality-wide grants)", len(self.muns))

    def _institutions(self) -> None:
        rows = []
        for plan, mun in zip(self.plans, self.muns, strict=True):
            kinds = [
                (InstitutionType.CSR, f"Centar za socijalni rad {plan.name}"),
                (InstitutionType.POLICE, f"Policijska stanica {plan.name}"),
                (InstitutionType.HEALTH_CENTRE, f"Dom zdravlja {plan.name}"),
                (InstitutionType.PROSECUTOR, f"Osnovno javno tužilaštvo {plan.name}"),
                (InstitutionType.BASIC_COURT, f"Osnovni sud {plan.name}"),
                (InstitutionType.NGO, f"Udruženje Primer {plan.name}"),
                (InstitutionType.LOCAL_GOVERNMENT, f"Opštinska uprava {plan.name}"),
            ]
            schools = max(1, min(8, plan.population // 40_000 + 1))
            kinds += [(InstitutionType.SCHOOL, f"Osnovna škola Primer {k} {plan.name}") for k in range(1, schools + 1)]
            if plan.size_class == SizeClass.LARGE or plan.index % 6 == 0:
                kinds.append((InstitutionType.SAFE_HOUSE, f"Sigurna kuća {plan.name}"))
            for kind, name in kinds:
                rows.append(
                    Institution(
                        municipality=mun, type=kind, name=name, email=f"kontakt.{plan.code.lower()}@skala.example",
                        created_at=self.start,
                    )
                )
        Institution.objects.bulk_create(rows, batch_size=2000)
        self.institutions = rows
        self.by_mun: dict[int, dict[str, list[Institution]]] = {}
        for inst in rows:
            self.by_mun.setdefault(inst.municipality_id, {}).setdefault(inst.type, []).append(inst)
        groups = Group.objects.bulk_create([Group(name=staff_group_name(i.pk)) for i in rows], batch_size=2000)
        self.staff_group = {inst.pk: g.pk for inst, g in zip(rows, groups, strict=True)}
        self.counts["institutions"] = len(rows)
        self.step("institutions and their staff groups", len(rows))

    def _users(self) -> None:
        """Fixed staff per municipality (admin, official, coordinators, supervisor), the rest
        caseworkers spread by population, then over the institutions by type."""
        total_pop = sum(p.population for p in self.plans)
        people: list[tuple[int, int, str]] = []  # (municipality id, institution id, role)
        fixed = []
        for plan, mun in zip(self.plans, self.muns, strict=True):
            kinds = self.by_mun[mun.pk]
            csr = kinds[InstitutionType.CSR][0]
            fixed.append((mun.pk, csr.pk, Role.INSTITUTION_ADMIN))
            fixed.append((mun.pk, kinds[InstitutionType.LOCAL_GOVERNMENT][0].pk, Role.OFFICIAL))
            coordinators = 1 + (plan.population >= 100_000) + (plan.population >= 200_000)
            fixed += [(mun.pk, csr.pk, Role.COORDINATOR)] * coordinators
            if plan.size_class == SizeClass.LARGE:
                fixed.append((mun.pk, csr.pk, Role.SUPERVISOR))
        people += fixed
        remaining = max(0, self.o.users - len(fixed))
        weights = [
            (InstitutionType.CSR, 40), (InstitutionType.POLICE, 30), (InstitutionType.HEALTH_CENTRE, 8),
            (InstitutionType.NGO, 8), (InstitutionType.SCHOOL, 10), (InstitutionType.PROSECUTOR, 4),
        ]
        for plan, mun in zip(self.plans, self.muns, strict=True):
            kinds = self.by_mun[mun.pk]
            count = max(3, round(remaining * plan.population / total_pop))
            chosen = [InstitutionType.CSR, InstitutionType.POLICE, InstitutionType.NGO]
            chosen += self.rng.choices([k for k, _w in weights], [w for _k, w in weights], k=count - 3)
            for kind in chosen:
                inst = self.rng.choice(kinds[kind])
                people.append((mun.pk, inst.pk, Role.CASEWORKER))
        password = make_password(None)
        users = [
            User(
                username=f"skala.{n:05d}",
                email=f"skala.{n:05d}@skala.example",
                first_name="Test",
                last_name=f"Skala {n:05d}",
                password=password,
                language="sr-latn",
                date_joined=self.start,
            )
            for n in range(1, len(people) + 1)
        ]
        User.objects.bulk_create(users, batch_size=5000)
        Membership.objects.bulk_create(
            [
                Membership(user=u, municipality_id=mid, institution_id=iid, role=role, created_at=self.start)
                for u, (mid, iid, role) in zip(users, people, strict=True)
            ],
            batch_size=5000,
        )
        role_groups = dict(Group.objects.filter(name__startswith="municipality-").values_list("name", "id"))
        through = User.groups.through
        links = []
        self.caseworkers: dict[int, list[int]] = {}
        self.coordinators: dict[int, list[int]] = {}
        for u, (mid, iid, role) in zip(users, people, strict=True):
            links.append(through(user_id=u.pk, group_id=role_groups[role_group_name(mid, role)]))
            if role in STAFF_GROUP_ROLES:
                links.append(through(user_id=u.pk, group_id=self.staff_group[iid]))
            if role == Role.CASEWORKER:
                self.caseworkers.setdefault(iid, []).append(u.pk)
            elif role == Role.COORDINATOR:
                self.coordinators.setdefault(mid, []).append(u.pk)
        through.objects.bulk_create(links, batch_size=10000)
        self.counts["users"] = len(users)
        self.step("users, memberships and group links", len(users))

    # --- temporary look-up tables for the SQL generation ------------------------------------

    def _temp_tables(self) -> None:
        self.sql(
            "CREATE TEMP TABLE sk_mun (mid bigint PRIMARY KEY, code text, csr bigint, police bigint, health bigint, "
            "ngo bigint, prosecutor bigint, court bigint, schools bigint[], safe bigint) ON COMMIT DROP"
        )
        self.sql(
            "CREATE TEMP TABLE sk_inst (id bigint PRIMARY KEY, mid bigint, type text, grp int, users bigint[]) "
            "ON COMMIT DROP"
        )
        mun_rows = []
        for plan, mun in zip(self.plans, self.muns, strict=True):
            k = self.by_mun[mun.pk]
            safe = k.get(InstitutionType.SAFE_HOUSE)
            mun_rows.append(
                (
                    mun.pk, plan.code, k[InstitutionType.CSR][0].pk, k[InstitutionType.POLICE][0].pk,
                    k[InstitutionType.HEALTH_CENTRE][0].pk, k[InstitutionType.NGO][0].pk,
                    k[InstitutionType.PROSECUTOR][0].pk, k[InstitutionType.BASIC_COURT][0].pk,
                    [s.pk for s in k[InstitutionType.SCHOOL]], safe[0].pk if safe else None,
                )
            )
        inst_rows = [
            (i.pk, i.municipality_id, i.type, self.staff_group[i.pk], self.caseworkers.get(i.pk) or None)
            for i in self.institutions
        ]
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO sk_mun VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", mun_rows)
            cursor.executemany("INSERT INTO sk_inst VALUES (%s, %s, %s, %s, %s)", inst_rows)
        self.sql("ANALYZE sk_mun")
        self.sql("ANALYZE sk_inst")
        # Municipality of each case: a bucket table proportional to population.
        total = sum(p.population for p in self.plans)
        buckets: list[int] = []
        for plan, mun in zip(self.plans, self.muns, strict=True):
            buckets += [mun.pk] * max(1, round(BUCKETS * plan.population / total))
        self.buckets = buckets
        self.safe_houses = [row[9] for row in mun_rows if row[9]]
        self.safe_mids = [row[0] for row in mun_rows if row[9]]
        self.case_perm = Permission.objects.get(content_type__app_label="cases", codename="view_case").pk
        case_type = ContentType.objects.get(app_label="cases", model="case")
        baseline, _created = Permission.objects.get_or_create(
            content_type=case_type, codename=BASELINE_CODENAME, defaults={"name": BASELINE_NAME}
        )
        self.baseline_perm = baseline.pk
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(max(id), 0) FROM cases_case")
            self.base = cursor.fetchone()[0]

    def _drop_indexes(self) -> list[str]:
        """Secondary indexes of the big tables (not those behind a constraint), dropped for the load."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                JOIN pg_class c ON c.relname = i.indexname
                WHERE i.schemaname = 'public' AND i.tablename = ANY(%s)
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
                """,
                [BIG_TABLES],
            )
            rows = cursor.fetchall()
            for name, _definition in rows:
                cursor.execute(f'DROP INDEX "{name}"')
        self.step(f"dropped {len(rows)} secondary indexes for the load")
        return [definition for _name, definition in rows]

    def _rebuild_indexes(self, definitions: list[str]) -> None:
        with connection.cursor() as cursor:
            for n, definition in enumerate(definitions, 1):
                cursor.execute(definition)
                if n % 10 == 0 or n == len(definitions):
                    self.step(f"  rebuilt {n}/{len(definitions)} indexes")
        self.step("indexes rebuilt", len(definitions))

    # --- cases ---------------------------------------------------------------------------------

    def _cases(self) -> None:
        span = (self.anchor - self.start).total_seconds()
        params = {
            "base": self.base, "n": self.o.cases, "buckets": self.buckets, "nb": len(self.buckets),
            "start": self.start, "span": span, "anchor": self.anchor, "reasons": CLOSURE_REASONS,
            "summary": "Generisani primer slučaja (test podaci).",
        }
        rows = self.sql(
            """
            WITH a AS (
              SELECT g.i + %(base)s AS id,
                     (%(buckets)s::bigint[])[1 + mod(pg_temp.r(g.i, 2), %(nb)s)] AS mid,
                     %(start)s::timestamptz
                       + ((g.i - 1)::float8 * %(span)s / %(n)s + mod(pg_temp.r(g.i, 3), 3600)) * interval '1 second' AS rep
              FROM generate_series(1, %(n)s) AS g(i)
            ), b AS (
              SELECT a.*, extract(year FROM a.rep AT TIME ZONE 'Europe/Belgrade')::int AS yr,
                     extract(epoch FROM (%(anchor)s::timestamptz - a.rep)) / 86400.0 AS age,
                     pg_temp.p(a.id, 4) AS pc, pg_temp.p(a.id, 5) AS pl, pg_temp.p(a.id, 6) AS pr,
                     pg_temp.p(a.id, 17) AS ps
              FROM a
            ), c AS (
              SELECT b.*,
                CASE WHEN b.pc < (CASE WHEN b.age > 730 THEN 97 WHEN b.age > 365 THEN 85 WHEN b.age > 90 THEN 50
                                       WHEN b.age > 30 THEN 20 ELSE 3 END) THEN 'closed'
                     WHEN b.age < 7 THEN CASE WHEN b.ps < 50 THEN 'reported' ELSE 'assessment' END
                     WHEN b.ps < 15 THEN 'assessment' WHEN b.ps < 60 THEN 'active_protection' ELSE 'monitoring' END AS status,
                CASE WHEN b.pr < 35 THEN 'low' WHEN b.pr < 70 THEN 'medium' WHEN b.pr < 92 THEN 'high'
                     ELSE 'immediate' END AS risk,
                LEAST(%(anchor)s::timestamptz - interval '1 hour',
                      b.rep + (20 + mod(pg_temp.r(b.id, 7), 300)) * interval '1 day') AS closed,
                row_number() OVER (PARTITION BY b.mid, b.yr ORDER BY b.id) AS seq
              FROM b
            ), d AS (
              SELECT c.*, m.code,
                CASE c.status WHEN 'reported' THEN 0 WHEN 'assessment' THEN 1 WHEN 'active_protection' THEN 2
                              WHEN 'monitoring' THEN 3 ELSE 4 END AS stage,
                CASE WHEN c.pl < 60 THEN m.csr WHEN c.pl < 90 THEN m.police ELSE m.ngo END AS lead
              FROM c JOIN sk_mun m ON m.mid = c.mid
            ), e AS (
              SELECT d.*, si.users[1 + mod(pg_temp.r(d.id, 13), cardinality(si.users))] AS opener,
                     (d.status <> 'closed' AND d.risk IN ('high', 'immediate') AND pg_temp.p(d.id, 15) < 30) AS proposed
              FROM d JOIN sk_inst si ON si.id = d.lead
            )
            INSERT INTO cases_case (
              id, created_at, updated_at, municipality_id, number, year, sequence, lead_institution_id,
              status, status_changed_at, closure_reason, closed_at, risk_level, priority, is_restricted, is_repeat,
              known_elsewhere, reported_at, summary, opened_by_id, last_activity_at, proposed_for_conference_at,
              proposed_for_conference_by_id, version)
            SELECT e.id, e.rep, e.rep, e.mid, e.code || '-' || e.yr || '-' || lpad(e.seq::text, 5, '0'), e.yr, e.seq,
              e.lead, e.status,
              CASE WHEN e.status = 'closed' THEN GREATEST(e.rep, e.closed)
                   ELSE LEAST(%(anchor)s::timestamptz, e.rep + e.stage * interval '3 days') END,
              CASE WHEN e.status = 'closed' THEN (%(reasons)s::text[])[1 + mod(pg_temp.r(e.id, 9), 7)] ELSE '' END,
              CASE WHEN e.status = 'closed' THEN GREATEST(e.rep, e.closed) END,
              e.risk,
              CASE e.risk WHEN 'immediate' THEN 'immediate' WHEN 'high' THEN 'urgent' ELSE 'regular' END,
              pg_temp.p(e.id, 10) < 2, pg_temp.p(e.id, 11) < 12, pg_temp.p(e.id, 12) < 2,
              e.rep, %(summary)s, e.opener,
              CASE WHEN e.status = 'closed' THEN GREATEST(e.rep, e.closed)
                   ELSE GREATEST(e.rep, %(anchor)s::timestamptz - mod(pg_temp.r(e.id, 14), 45 * 24) * interval '1 hour') END,
              CASE WHEN e.proposed THEN GREATEST(e.rep, %(anchor)s::timestamptz - mod(pg_temp.r(e.id, 16), 240) * interval '1 hour') END,
              CASE WHEN e.proposed THEN e.opener END,
              1
            FROM e
            """,
            params,
        )
        self.sql("ANALYZE cases_case")
        self.counts["cases"] = rows
        self.step("cases", rows)

    def _grants(self) -> None:
        """The platform's own per-object grants (accepted referrals, a few shares with one person) and,
        under a separate permission, the grants a typical guardian project would hold for the baseline."""
        for table in ("cases_referral", "cases_caseparticipant", "cases_caseassignment", "cases_planmeasure"):
            self.sql(f"ANALYZE {table}")
        rows = self.sql(
            """
            INSERT INTO cases_casegroupgrant (group_id, permission_id, content_object_id, municipality_id, granted_by_id,
                                              reason, granted_at, expires_at)
            SELECT DISTINCT ON (si.grp, r.case_id) si.grp, %(perm)s, r.case_id, r.municipality_id, r.answered_by_id,
                   'referral accepted', r.answered_at, r.answered_at + interval '90 days'
            FROM cases_referral r JOIN sk_inst si ON si.id = r.to_institution_id
            WHERE r.case_id > %(base)s AND r.status = 'accepted'
              AND NOT EXISTS (SELECT 1 FROM cases_caseparticipant p WHERE p.case_id = r.case_id
                              AND p.institution_id = r.to_institution_id)
            ORDER BY si.grp, r.case_id, r.answered_at DESC
            """,
            {"perm": self.case_perm, "base": self.base},
        )
        self.counts["grants (referrals)"] = rows
        self.step("per-object grants from accepted referrals", rows)
        rows = self.sql(
            """
            INSERT INTO cases_caseusergrant (user_id, permission_id, content_object_id, municipality_id, granted_by_id,
                                             reason, granted_at, expires_at)
            SELECT o.opened_by_id, %(perm)s, c.id, c.municipality_id, c.opened_by_id, 'Primer: podela sa osobom',
                   c.reported_at + interval '2 days', c.reported_at + interval '92 days'
            FROM cases_case c JOIN cases_case o ON o.id = %(base)s + 1 + mod(pg_temp.r(c.id, 141), %(n)s)
            WHERE c.id > %(base)s AND pg_temp.p(c.id, 140) < 1 AND o.municipality_id <> c.municipality_id
            """,
            {"perm": self.case_perm, "base": self.base, "n": self.o.cases},
        )
        self.counts["grants (persons)"] = rows
        self.step("per-object grants to single persons", rows)
        self.per_chunk(
            "baseline guardian grants (groups)",
            """
            INSERT INTO cases_casegroupgrant (group_id, permission_id, content_object_id, municipality_id, granted_by_id,
                                              reason, granted_at, expires_at)
            SELECT si.grp, %(perm)s, p.case_id, p.municipality_id, NULL, 'baseline', p.joined_at, NULL
            FROM cases_caseparticipant p JOIN cases_case c ON c.id = p.case_id JOIN sk_inst si ON si.id = p.institution_id
            WHERE p.case_id BETWEEN %(lo)s AND %(hi)s AND p.ended_at IS NULL AND NOT c.is_restricted
            """,
            {"perm": self.baseline_perm},
        )
        self.per_chunk(
            "baseline guardian grants (assigned staff)",
            """
            INSERT INTO cases_caseusergrant (user_id, permission_id, content_object_id, municipality_id, granted_by_id,
                                             reason, granted_at, expires_at)
            SELECT DISTINCT a.user_id, %(perm)s, a.case_id, a.municipality_id, NULL::bigint, 'baseline',
                   a.assigned_at, NULL::timestamptz
            FROM cases_caseassignment a
            WHERE a.case_id BETWEEN %(lo)s AND %(hi)s AND a.ended_at IS NULL
            """,
            {"perm": self.baseline_perm},
        )

    def _sequences(self) -> None:
        self.sql("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT max(id) FROM cases_case))")

    # --- conferences -------------------------------------------------------------------------

    def _analyze(self) -> None:
        """Fresh statistics (and, outside a transaction, the visibility map for index-only scans)."""
        vacuum = self.o.vacuum and not connection.in_atomic_block
        with connection.cursor() as cursor:
            for table in ANALYZE_TABLES:
                cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {table}")
        self.step("vacuum and analyze" if vacuum else "analyze")
