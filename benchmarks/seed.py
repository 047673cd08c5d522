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
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from apps.accounts.models import Membership, User
from apps.core.choices import Role
from apps.core.crypto import encrypt
from apps.institutions.choices import InstitutionType
from apps.institutions.models import Institution
from apps.institutions.services import STAFF_GROUP_ROLES, staff_group_name
from apps.municipalities.choices import MunicipalityKind, SizeClass
from apps.municipalities.models import Municipality
from apps.municipalities.roles import role_group_name
from apps.municipalities.services import municipality_create

from . import names

BELGRADE = ZoneInfo("Europe/Belgrade")
BASELINE_CODENAME = "baseline_view_case"
BASELINE_NAME = "Benchmark baseline: view a case (read only by the guardian baseline measurement)"
BUCKETS = 10_000

# Tables filled in bulk; their secondary (non-constraint) indexes are rebuilt after the load.
BIG_TABLES = [
    "cases_case",
    "cases_caseparticipant",
    "cases_caseassignment",
    "cases_casestatuschange",
    "cases_caseperson",
    "cases_incident",
    "cases_riskassessment",
    "cases_emergencymeasure",
    "cases_protectionplan",
    "cases_planmeasure",
    "cases_referral",
    "cases_casenote",
    "cases_consent",
    "cases_casegroupgrant",
    "cases_caseusergrant",
]
ANALYZE_TABLES = BIG_TABLES + [
    "cases_measurebreach",
    "cases_protectivemeasure",
    "cases_reminder",
    "cases_consent_institutions",
    "accounts_user",
    "accounts_membership",
    "accounts_user_groups",
    "auth_group",
    "institutions_institution",
    "municipalities_municipality",
    "municipalities_municipalitygroupgrant",
    "conferences_meeting",
    "conferences_meetinginvitee",
    "conferences_agendaitem",
    "conferences_actionitem",
    "conferences_minutes",
]

NOTE_TEXTS = [
    "Primer beleške: telefonski razgovor sa žrtvom, dogovoren plan bezbednosti.",
    "Primer beleške: kućna poseta, deca bezbedna, majka sarađuje.",
    "Primer beleške: razgovor sa školom o izostancima deteta.",
    "Primer beleške: žrtva upućena na besplatnu pravnu pomoć.",
    "Primer beleške: policija obaveštena o novom prijavljenom incidentu.",
    "Primer beleške: dogovor sa domom zdravlja o pregledu.",
    "Primer beleške: žrtva ne želi smeštaj u sigurnu kuću.",
    "Primer beleške: učinilac pozvan na razgovor u centar.",
    "Пример белешке: разговор са жртвом, договорене следеће мере.",
    "Пример белешке: посета породици, стање стабилно.",
]
ADDRESSES = [f"Primer ulica {n}, Testgrad" for n in range(1, 41)]
PHONES = [f"+381 60 000 {n:04d}" for n in range(1, 41)]
CLOSURE_REASONS = ["safety_achieved", "victim_withdrew", "moved_away", "transferred", "not_dv", "other", "safety_achieved"]
RELATIONSHIPS = ["spouse", "cohabiting_partner", "former_partner", "intimate_partner", "parent", "child", "sibling", "spouse"]
PLACES = ["shared_home", "shared_home", "victim_home", "perpetrator_home", "public_place", "online", "other"]
CHANNELS = ["police_report", "police_report", "in_person", "phone", "referral", "helpline"]
NOTE_KINDS = ["note", "home_visit", "interview", "phone_call", "office_visit", "phone_call"]
RISK_ITEMS = {
    "low": {"prior_violence": {"answer": "yes", "note": ""}, "victim_fear": {"answer": "no", "note": ""}},
    "medium": {
        "prior_violence": {"answer": "yes", "note": ""},
        "intent_to_repeat": {"answer": "yes", "note": ""},
        "substance_abuse": {"answer": "yes", "note": ""},
        "victim_fear": {"answer": "yes", "note": ""},
    },
    "high": {
        "prior_violence": {"answer": "yes", "note": ""},
        "murder_threat": {"answer": "yes", "note": ""},
        "escalation": {"answer": "yes", "note": ""},
        "victim_fear": {"answer": "yes", "note": ""},
    },
    "immediate": {
        "prior_violence": {"answer": "yes", "note": ""},
        "murder_threat": {"answer": "yes", "note": ""},
        "weapon_used": {"answer": "yes", "note": ""},
        "strangling": {"answer": "yes", "note": ""},
        "victim_fear": {"answer": "yes", "note": ""},
    },
}


@dataclass
class SeedOptions:
    """What to generate."""

    cases: int = 1_000_000
    municipalities: int = 174
    users: int = 20_000
    seed: int = 1
    until: date | None = None
    years: int = 10
    chunk: int = 250_000
    rebuild_indexes: bool | None = None  # None: when cases >= 100,000
    vacuum: bool = True


@dataclass
class MunicipalityPlan:
    """One generated municipality before it exists."""

    index: int
    kind: str
    name: str
    name_cyrl: str
    code: str
    population: int
    size_class: str


def _code(i: int) -> str:
    letters = ""
    n = i
    for _ in range(3):
        letters = chr(ord("A") + n % 26) + letters
        n //= 26
    return "Q" + letters


def plan_municipalities(count: int, rng: random.Random) -> list[MunicipalityPlan]:
    """Serbia's shape: 17 Belgrade city municipalities and 28 cities (large), the rest small."""
    n_bg = max(1, round(count * 17 / 174))
    n_city = max(1, round(count * 28 / 174)) if count > 2 else 0
    plans = []
    for i in range(count):
        if i < n_bg:
            kind, k = MunicipalityKind.CITY_MUNICIPALITY, i + 1
            population = int(240_000 / (1 + 0.18 * i)) + rng.randint(0, 20_000)
            name, cyrl = f"Primer-Beograd {k:02d}", f"Пример-Београд {k:02d}"
        elif i < n_bg + n_city:
            kind, k = MunicipalityKind.CITY, i - n_bg + 1
            population = (rng.randint(180_000, 360_000) if k <= 3 else rng.randint(40_000, 130_000))
            name, cyrl = f"Primer-Grad {k:02d}", f"Пример-Град {k:02d}"
        else:
            kind, k = MunicipalityKind.MUNICIPALITY, i - n_bg - n_city + 1
            population = max(2_000, min(80_000, int(rng.lognormvariate(9.7, 0.7))))
            name, cyrl = f"Primer-Opština {k:03d}", f"Пример-Општина {k:03d}"
        size = SizeClass.LARGE if population >= 100_000 else SizeClass.SMALL
        plans.append(MunicipalityPlan(i, kind, name, cyrl, _code(i), population, size))
    return plans


class Seeder:
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

    def _case_children(self) -> None:
        anchor = {"anchor": self.anchor}
        self.per_chunk(
            "case team (participants)",
            """
            INSERT INTO cases_caseparticipant (created_at, updated_at, municipality_id, case_id, institution_id,
                                               joined_at, added_by_id, ended_at, consent_override_reason)
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id, x.inst, c.reported_at + x.lag, c.opened_by_id,
                   NULL, ''
            FROM cases_case c JOIN sk_mun m ON m.mid = c.municipality_id
            CROSS JOIN LATERAL (VALUES
              (c.lead_institution_id, interval '0'),
              (CASE WHEN c.lead_institution_id <> m.csr THEN m.csr END, interval '1 hour'),
              (CASE WHEN c.lead_institution_id <> m.police AND pg_temp.p(c.id, 20) < 70 THEN m.police END, interval '2 hours'),
              (CASE WHEN pg_temp.p(c.id, 21) < 25 THEN m.health END, interval '1 day'),
              (CASE WHEN pg_temp.p(c.id, 22) < 15 THEN m.schools[1 + mod(pg_temp.r(c.id, 23), cardinality(m.schools))] END,
               interval '2 days'),
              (CASE WHEN c.lead_institution_id <> m.ngo AND pg_temp.p(c.id, 24) < 15 THEN m.ngo END, interval '3 days')
            ) AS x(inst, lag)
            WHERE c.id BETWEEN %(lo)s AND %(hi)s AND x.inst IS NOT NULL
            """,
        )
        self.per_chunk(
            "assigned staff",
            """
            INSERT INTO cases_caseassignment (created_at, updated_at, municipality_id, case_id, user_id, institution_id,
                                              team_role, assigned_by_id, assigned_at, ended_at)
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id, c.opened_by_id, c.lead_institution_id,
                   'case_manager', c.opened_by_id, c.reported_at, NULL::timestamptz
            FROM cases_case c WHERE c.id BETWEEN %(lo)s AND %(hi)s
            UNION ALL
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id,
                   si.users[1 + mod(pg_temp.r(c.id, 26), cardinality(si.users))], si.id, 'member', c.opened_by_id,
                   c.reported_at + interval '1 day', NULL
            FROM cases_case c JOIN sk_mun m ON m.mid = c.municipality_id
            JOIN sk_inst si ON si.id = CASE WHEN c.lead_institution_id = m.csr THEN m.police ELSE m.csr END
            WHERE c.id BETWEEN %(lo)s AND %(hi)s AND pg_temp.p(c.id, 25) < 50
              AND (c.lead_institution_id <> m.csr OR pg_temp.p(c.id, 20) < 70)
              AND si.users IS NOT NULL
            """,
        )
        self.per_chunk(
            "status history",
            """
            INSERT INTO cases_casestatuschange (created_at, updated_at, municipality_id, case_id, from_status, to_status,
                                                changed_by_id, changed_at, note)
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id,
                   CASE WHEN s.k = 4 THEN (CASE WHEN c.status = 'closed' THEN 'assessment' ELSE s.from_s END) ELSE s.from_s END,
                   s.to_s, c.opened_by_id,
                   CASE WHEN s.k = 4 THEN c.closed_at ELSE LEAST(c.status_changed_at, c.reported_at + s.k * interval '3 days') END,
                   ''
            FROM cases_case c
            CROSS JOIN (VALUES (0, '', 'reported'), (1, 'reported', 'assessment'), (2, 'assessment', 'active_protection'),
                               (3, 'active_protection', 'monitoring'), (4, 'monitoring', 'closed')) AS s(k, from_s, to_s)
            WHERE c.id BETWEEN %(lo)s AND %(hi)s
              AND CASE c.status WHEN 'closed' THEN s.k IN (0, 1, 4)
                                WHEN 'reported' THEN s.k = 0 WHEN 'assessment' THEN s.k <= 1
                                WHEN 'active_protection' THEN s.k <= 2 ELSE s.k <= 3 END
            """,
        )
        fem = names.pool(names.FEMALE)
        male = names.pool(names.MALE)
        last = names.pool(names.surnames())
        self.per_chunk(
            "persons",
            """
            INSERT INTO cases_caseperson (created_at, updated_at, municipality_id, case_id, role, first_name, last_name,
              name_key, sex, birth_date, birth_year, jmbg, jmbg_hash, phone, email, address, confidential_address,
              disability, relationship_to_victim, is_repeat, known_elsewhere, version)
            SELECT x.reported_at, x.reported_at, x.municipality_id, x.id, x.role,
              CASE WHEN x.cyr THEN (CASE WHEN x.female THEN %(ffc)s::text[] ELSE %(mfc)s::text[] END)[x.fi]
                   ELSE (CASE WHEN x.female THEN %(ffl)s::text[] ELSE %(mfl)s::text[] END)[x.fi] END,
              CASE WHEN x.cyr THEN (%(lc)s::text[])[x.li] ELSE (%(ll)s::text[])[x.li] END,
              (CASE WHEN x.female THEN %(ffk)s::text[] ELSE %(mfk)s::text[] END)[x.fi] || ' ' || (%(lk)s::text[])[x.li],
              CASE WHEN x.female THEN 'female' ELSE 'male' END,
              CASE WHEN x.year_only THEN NULL ELSE x.born END,
              CASE WHEN x.year_only THEN extract(year FROM x.born)::int END,
              '', '',
              CASE WHEN x.k < 2 AND pg_temp.p(x.pid, 41) < 30 THEN (%(phones)s::text[])[1 + mod(pg_temp.r(x.pid, 42), 40)] ELSE '' END,
              '',
              CASE WHEN x.k < 2 AND pg_temp.p(x.pid, 43) < 40 THEN (%(addresses)s::text[])[1 + mod(pg_temp.r(x.pid, 44), 40)] ELSE '' END,
              x.k = 0 AND pg_temp.p(x.pid, 45) < 3,
              pg_temp.p(x.pid, 46) < 3,
              CASE x.k WHEN 0 THEN '' WHEN 1 THEN (%(rels)s::text[])[1 + mod(pg_temp.r(x.pid, 47), 8)] ELSE 'child' END,
              false, false, 1
            FROM (
              SELECT c.id, c.municipality_id, c.reported_at, k.k, c.id * 4 + k.k AS pid,
                     pg_temp.p(c.id, 33) < 25 AS cyr,
                     CASE k.k WHEN 0 THEN 'victim' WHEN 1 THEN 'perpetrator' ELSE 'child' END AS role,
                     CASE k.k WHEN 0 THEN pg_temp.p(c.id, 34) < 82 WHEN 1 THEN pg_temp.p(c.id, 35) < 15
                              ELSE pg_temp.p(c.id * 4 + k.k, 36) < 50 END AS female,
                     1 + mod(CASE WHEN k.k = 0 AND pg_temp.p(c.id, 37) >= 60 THEN pg_temp.r(c.id, 32)
                                  ELSE pg_temp.r(c.id, 31) END, %(nl)s) AS li,
                     1 + mod(pg_temp.r(c.id * 4 + k.k, 38), 30) AS fi,
                     pg_temp.p(c.id * 4 + k.k, 40) < 8 AS year_only,
                     (c.reported_at AT TIME ZONE 'Europe/Belgrade')::date
                       - (CASE WHEN k.k >= 2 THEN mod(pg_temp.r(c.id * 4 + k.k, 39), 6500)
                               ELSE 6575 + mod(pg_temp.r(c.id * 4 + k.k, 39), 20000) END)::int AS born
              FROM cases_case c CROSS JOIN generate_series(0, 3) AS k(k)
              WHERE c.id BETWEEN %(lo)s AND %(hi)s
                AND (k.k < 2 OR (k.k = 2 AND pg_temp.p(c.id, 30) < 45) OR (k.k = 3 AND pg_temp.p(c.id, 30) < 15))
            ) x
            """,
            {
                "ffl": fem[0], "ffc": fem[1], "ffk": fem[2], "mfl": male[0], "mfc": male[1], "mfk": male[2],
                "ll": last[0], "lc": last[1], "lk": last[2], "nl": len(last[0]),
                "phones": [encrypt(p) for p in PHONES], "addresses": [encrypt(a) for a in ADDRESSES],
                "rels": RELATIONSHIPS,
            },
        )
        self.per_chunk(
            "incidents",
            """
            INSERT INTO cases_incident (created_at, updated_at, municipality_id, case_id, occurred_at, reported_at,
              place_type, forms, reporting_institution_id, channel, police_event_number, injuries, injuries_note,
              weapon_involved, weapon_owned, children_present, children_witnessed, description, recorded_by_id)
            SELECT x.occ, x.occ, x.municipality_id, x.id, x.occ, x.occ + interval '2 hours',
              (%(places)s::text[])[1 + mod(pg_temp.r(x.iid, 51), 7)],
              array_remove(ARRAY[
                CASE WHEN x.phys THEN 'physical' END,
                CASE WHEN NOT x.phys OR pg_temp.p(x.iid, 53) < 75 THEN 'psychological' END,
                CASE WHEN pg_temp.p(x.iid, 54) < 5 THEN 'sexual' END,
                CASE WHEN pg_temp.p(x.iid, 55) < 10 THEN 'economic' END,
                CASE WHEN pg_temp.p(x.iid, 56) < 5 THEN 'stalking' END,
                CASE WHEN pg_temp.p(x.iid, 57) < 4 THEN 'digital' END]::varchar[], NULL),
              CASE WHEN x.by_police THEN x.police ELSE x.lead_institution_id END,
              CASE WHEN x.by_police THEN 'police_report' ELSE (%(channels)s::text[])[1 + mod(pg_temp.r(x.iid, 58), 6)] END,
              CASE WHEN x.by_police THEN 'PU-' || x.id || '-' || x.k ELSE '' END,
              x.phys AND pg_temp.p(x.iid, 59) < 40, '',
              pg_temp.p(x.iid, 60) < 6, pg_temp.p(x.iid, 61) < 8, pg_temp.p(x.iid, 62) < 30, pg_temp.p(x.iid, 63) < 20,
              '', x.opened_by_id
            FROM (
              SELECT c.id, c.municipality_id, c.lead_institution_id, c.opened_by_id, k.k, m.police, c.id * 4 + k.k AS iid,
                     pg_temp.p(c.id * 4 + k.k, 52) < 60 AS phys,
                     pg_temp.p(c.id * 4 + k.k, 50) < 70 AS by_police,
                     CASE WHEN k.k = 0 THEN c.reported_at - mod(pg_temp.r(c.id, 49), 48) * interval '1 hour'
                          ELSE LEAST(%(anchor)s::timestamptz - interval '1 hour',
                                     c.reported_at + k.k * (20 + mod(pg_temp.r(c.id * 4 + k.k, 48), 60)) * interval '1 day')
                     END AS occ
              FROM cases_case c JOIN sk_mun m ON m.mid = c.municipality_id
              CROSS JOIN generate_series(0, 2) AS k(k)
              WHERE c.id BETWEEN %(lo)s AND %(hi)s
                AND (k.k = 0 OR (k.k = 1 AND pg_temp.p(c.id, 47) < 25) OR (k.k = 2 AND pg_temp.p(c.id, 47) < 8))
            ) x
            """,
            {**anchor, "places": PLACES, "channels": CHANNELS},
        )
        import json

        self.per_chunk(
            "risk assessments",
            """
            INSERT INTO cases_riskassessment (created_at, updated_at, municipality_id, case_id, assessed_at, assessor_id,
              institution_id, items, computed_level, level, immediate_danger, raise_reason, lower_reason, conclusion,
              sent_to_prosecutor_at, source)
            SELECT x.at, x.at, c.municipality_id, c.id, x.at, c.opened_by_id, c.lead_institution_id,
              CASE x.lvl WHEN 'low' THEN %(low)s::jsonb WHEN 'medium' THEN %(medium)s::jsonb
                         WHEN 'high' THEN %(high)s::jsonb ELSE %(immediate)s::jsonb END,
              x.lvl, x.lvl, x.lvl = 'immediate', '', '', 'Primer zaključka procene rizika.',
              CASE WHEN x.lvl = 'immediate' THEN x.at + interval '2 hours' END, ''
            FROM cases_case c
            CROSS JOIN LATERAL (
              SELECT k.k,
                     LEAST(%(anchor)s::timestamptz - interval '1 hour',
                           c.reported_at + interval '3 hours' + k.k * (25 + mod(pg_temp.r(c.id, 64), 40)) * interval '1 day') AS at,
                     CASE WHEN k.k = 1 OR pg_temp.p(c.id, 65) >= 30 THEN c.risk_level
                          WHEN c.risk_level IN ('immediate', 'high') THEN 'medium' ELSE 'low' END AS lvl
              FROM generate_series(0, CASE WHEN pg_temp.p(c.id, 65) < 30 THEN 1 ELSE 0 END) AS k(k)
            ) x
            WHERE c.id BETWEEN %(lo)s AND %(hi)s
            """,
            {**anchor, **{k: json.dumps(v) for k, v in RISK_ITEMS.items()}},
        )
        self.sql("ANALYZE cases_caseperson")
        self.per_chunk(
            "emergency measures",
            """
            INSERT INTO cases_emergencymeasure (created_at, updated_at, municipality_id, case_id, kind, order_number,
              ordered_by_id, delivered_at, expires_at, extension_proposal_due, extension_proposed_at, court_decision_due,
              court_decided_at, court_decision, extended_until, appeal_due, appeal_filed_at, recorded_by_id, version)
            SELECT x.d, x.d, x.municipality_id, x.id, x.kind, 'HM-' || x.id || '-' || x.k, x.police, x.d,
              x.d + interval '48 hours', x.d + interval '24 hours',
              CASE WHEN x.outcome IN ('extended', 'rejected', 'proposed') THEN x.d + interval '20 hours' END,
              CASE WHEN x.outcome IN ('extended', 'rejected', 'proposed') THEN x.d + interval '44 hours' END,
              CASE WHEN x.outcome IN ('extended', 'rejected') THEN x.d + interval '40 hours' END,
              CASE WHEN x.outcome IN ('extended', 'rejected') THEN x.outcome ELSE 'pending' END,
              CASE WHEN x.outcome = 'extended' THEN x.d + interval '40 hours' + interval '30 days' END,
              CASE WHEN x.outcome IN ('extended', 'rejected') THEN x.d + interval '40 hours' + interval '3 days' END,
              NULL, x.opened_by_id, 1
            FROM (
              SELECT c.id, c.municipality_id, c.opened_by_id, m.police, k.k,
                     CASE WHEN k.k = 1 OR pg_temp.p(c.id, 71) < 60 THEN 'removal' ELSE 'contact_ban' END AS kind,
                     LEAST(%(anchor)s::timestamptz - interval '30 minutes',
                           c.reported_at + interval '3 hours' + k.k * interval '10 minutes') AS d,
                     CASE WHEN c.reported_at > %(anchor)s::timestamptz - interval '44 hours'
                            THEN CASE WHEN pg_temp.p(c.id, 72) < 50 THEN 'proposed' ELSE 'pending' END
                          WHEN pg_temp.p(c.id, 72) < 55 THEN 'extended'
                          WHEN pg_temp.p(c.id, 72) < 70 THEN 'rejected' ELSE 'pending' END AS outcome
              FROM cases_case c JOIN sk_mun m ON m.mid = c.municipality_id
              CROSS JOIN generate_series(0, 1) AS k(k)
              WHERE c.id BETWEEN %(lo)s AND %(hi)s AND pg_temp.p(c.id, 70) < 22 AND (k.k = 0 OR pg_temp.p(c.id, 73) < 20)
            ) x
            """,
            anchor,
        )
        self.sql("ANALYZE cases_emergencymeasure")
        self.per_chunk(
            "measure breaches",
            """
            INSERT INTO cases_measurebreach (created_at, updated_at, municipality_id, case_id, emergency_measure_id,
              protective_measure_id, occurred_at, description, recorded_by_id)
            SELECT e.delivered_at + interval '20 hours', e.delivered_at + interval '20 hours', e.municipality_id,
                   e.case_id, e.id, NULL, e.delivered_at + interval '20 hours', 'Primer kršenja mere.', e.recorded_by_id
            FROM cases_emergencymeasure e
            WHERE e.case_id BETWEEN %(lo)s AND %(hi)s AND pg_temp.p(e.id, 74) < 8
              AND e.delivered_at + interval '20 hours' < %(anchor)s::timestamptz
            """,
            anchor,
        )
        self.per_chunk(
            "protective measures",
            """
            INSERT INTO cases_protectivemeasure (created_at, updated_at, municipality_id, case_id, kind, court,
              decision_number, decision_date, valid_from, valid_until, distance_m, renewed_from_id, recorded_by_id)
            SELECT x.dd, x.dd, c.municipality_id, c.id,
              (ARRAY['move_out', 'approach_ban', 'harassment_ban', 'access_ban', 'approach_ban'])[1 + mod(pg_temp.r(c.id, 81), 5)],
              'Osnovni sud (primer)', 'P-' || c.id, x.dd, x.dd, x.dd + 365,
              CASE WHEN pg_temp.p(c.id, 82) < 50 THEN 200 END, NULL, c.opened_by_id
            FROM cases_case c
            CROSS JOIN LATERAL (SELECT (c.reported_at AT TIME ZONE 'Europe/Belgrade')::date
                                        + 20 + mod(pg_temp.r(c.id, 83), 40)::int AS dd) x
            WHERE c.id BETWEEN %(lo)s AND %(hi)s AND pg_temp.p(c.id, 80) < 5
              AND x.dd < (%(anchor)s::timestamptz AT TIME ZONE 'Europe/Belgrade')::date
            """,
            anchor,
        )
        self.per_chunk(
            "protection plans",
            """
            INSERT INTO cases_protectionplan (created_at, updated_at, municipality_id, case_id, adopted_at,
              victim_participated, victim_signed, monitoring, next_review, is_active, created_by_id, version)
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id, x.ad, pg_temp.p(c.id, 91) < 70,
                   pg_temp.p(c.id, 91) < 60, 'Mesečni pregled na sastanku tima (primer).', x.ad + 90, true,
                   c.opened_by_id, 1
            FROM cases_case c
            CROSS JOIN LATERAL (SELECT LEAST((%(anchor)s::timestamptz AT TIME ZONE 'Europe/Belgrade')::date,
                                             (c.reported_at AT TIME ZONE 'Europe/Belgrade')::date
                                               + 5 + mod(pg_temp.r(c.id, 92), 10)::int) AS ad) x
            WHERE c.id BETWEEN %(lo)s AND %(hi)s AND c.status <> 'reported' AND pg_temp.p(c.id, 90) < 30
            """,
            anchor,
        )
        self.sql("ANALYZE cases_protectionplan")
        self.per_chunk(
            "plan measures",
            """
            INSERT INTO cases_planmeasure (created_at, updated_at, municipality_id, plan_id, case_id, kind, description,
              for_person_id, owner_institution_id, responsible_person, deadline, status, completed_at, version)
            SELECT x.created, x.created, x.municipality_id, x.plan_id, x.case_id,
              CASE WHEN x.k = 1 THEN 'protection' ELSE 'support' END,
              (ARRAY['Primer mere: savetovanje žrtve', 'Primer mere: pregled u domu zdravlja',
                     'Primer mere: praćenje deteta u školi', 'Primer mere: pravna pomoć'])[x.k],
              NULL, x.owner, '', x.deadline, x.status,
              CASE WHEN x.status = 'done' THEN LEAST(x.closed, x.deadline::timestamp AT TIME ZONE 'Europe/Belgrade') END, 1
            FROM (
              SELECT p.id AS plan_id, p.case_id, p.municipality_id, p.created_at AS created, k.k,
                     COALESCE(c.closed_at, %(anchor)s::timestamptz) AS closed,
                     CASE k.k WHEN 1 THEN c.lead_institution_id WHEN 2 THEN m.csr WHEN 3 THEN m.health ELSE m.ngo END AS owner,
                     p.adopted_at + k.k * (10 + mod(pg_temp.r(p.id * 4 + k.k, 94), 40))::int AS deadline,
                     CASE WHEN c.status = 'closed' THEN 'done'
                          WHEN p.adopted_at + k.k * (10 + mod(pg_temp.r(p.id * 4 + k.k, 94), 40))::int
                               < (%(anchor)s::timestamptz AT TIME ZONE 'Europe/Belgrade')::date
                            THEN CASE WHEN pg_temp.p(p.id * 4 + k.k, 95) < 65 THEN 'done'
                                      WHEN pg_temp.p(p.id * 4 + k.k, 95) < 80 THEN 'in_progress' ELSE 'planned' END
                          ELSE CASE WHEN pg_temp.p(p.id * 4 + k.k, 95) < 40 THEN 'in_progress' ELSE 'planned' END
                     END AS status
              FROM cases_protectionplan p JOIN cases_case c ON c.id = p.case_id JOIN sk_mun m ON m.mid = p.municipality_id
              CROSS JOIN generate_series(1, 4) AS k(k)
              WHERE p.case_id BETWEEN %(lo)s AND %(hi)s AND k.k <= 2 + mod(pg_temp.r(p.id, 93), 3)
            ) x
            """,
            anchor,
        )
        self.per_chunk(
            "referrals",
            """
            INSERT INTO cases_referral (created_at, updated_at, municipality_id, case_id, from_institution_id,
              to_institution_id, to_municipality_id, reason, urgency, status, sent_at, sent_by_id, answered_at,
              answered_by_id, decline_reason, completed_at, consent_override_reason)
            SELECT y.sent, y.sent, y.municipality_id, y.id, y.lead_institution_id, y.to_inst, y.to_mun,
              'Primer uputa: potrebna podrška žrtvi.', y.priority, y.status, y.sent, y.opened_by_id,
              CASE WHEN y.status <> 'sent' AND y.status <> 'withdrawn' THEN y.sent + y.wait END,
              CASE WHEN y.status <> 'sent' AND y.status <> 'withdrawn'
                   THEN si.users[1 + mod(pg_temp.r(y.id, 106), cardinality(si.users))] END,
              CASE WHEN y.status = 'declined' THEN 'Primer: nema slobodnih kapaciteta.' ELSE '' END,
              CASE WHEN y.status = 'completed' THEN LEAST(%(anchor)s::timestamptz, y.sent + y.wait + interval '30 days') END,
              ''
            FROM (
              SELECT x.*,
                CASE WHEN x.sent > %(anchor)s::timestamptz - interval '7 days'
                       THEN CASE WHEN pg_temp.p(x.id, 104) < 50 THEN 'sent' ELSE 'accepted' END
                     WHEN x.sent > %(anchor)s::timestamptz - interval '60 days'
                       THEN CASE WHEN pg_temp.p(x.id, 104) < 10 THEN 'sent' WHEN pg_temp.p(x.id, 104) < 75 THEN 'accepted'
                                 ELSE 'declined' END
                     WHEN pg_temp.p(x.id, 104) < 55 THEN 'completed' WHEN pg_temp.p(x.id, 104) < 70 THEN 'accepted'
                     WHEN pg_temp.p(x.id, 104) < 90 THEN 'declined' ELSE 'withdrawn' END AS status,
                (1 + mod(pg_temp.r(x.id, 105), 72)) * interval '1 hour' AS wait
              FROM (
                SELECT c.id, c.municipality_id, c.lead_institution_id, c.opened_by_id, c.priority,
                  LEAST(%(anchor)s::timestamptz - interval '1 hour',
                        c.reported_at + (1 + mod(pg_temp.r(c.id, 101), 10)) * interval '1 day') AS sent,
                  CASE WHEN pg_temp.p(c.id, 102) < 20 AND %(nsafe)s > 0
                         THEN (%(safe)s::bigint[])[1 + mod(pg_temp.r(c.id, 103), GREATEST(%(nsafe)s, 1))]
                       WHEN pg_temp.p(c.id, 102) < 55 AND c.lead_institution_id <> m.ngo THEN m.ngo
                       WHEN pg_temp.p(c.id, 102) < 85 THEN m.health
                       ELSE m.schools[1] END AS to_inst,
                  CASE WHEN pg_temp.p(c.id, 102) < 20 AND %(nsafe)s > 0
                         THEN (%(safe_mids)s::bigint[])[1 + mod(pg_temp.r(c.id, 103), GREATEST(%(nsafe)s, 1))]
                       ELSE c.municipality_id END AS to_mun
                FROM cases_case c JOIN sk_mun m ON m.mid = c.municipality_id
                WHERE c.id BETWEEN %(lo)s AND %(hi)s AND pg_temp.p(c.id, 100) < 15
              ) x
            ) y LEFT JOIN sk_inst si ON si.id = y.to_inst
            """,
            {**anchor, "safe": self.safe_houses, "safe_mids": self.safe_mids, "nsafe": len(self.safe_houses)},
        )
        self.per_chunk(
            "notes and contacts",
            """
            INSERT INTO cases_casenote (created_at, updated_at, municipality_id, case_id, kind, occurred_at, text,
                                        visibility, author_id, institution_id)
            SELECT x.at, x.at, c.municipality_id, c.id, (%(kinds)s::text[])[1 + mod(pg_temp.r(c.id * 4 + x.k, 111), 6)],
                   x.at, (%(texts)s::text[])[1 + mod(pg_temp.r(c.id * 4 + x.k, 112), %(ntexts)s)],
                   CASE WHEN pg_temp.p(c.id * 4 + x.k, 113) < 15 THEN 'own_institution' ELSE 'team' END,
                   c.opened_by_id, c.lead_institution_id
            FROM cases_case c
            CROSS JOIN LATERAL (
              SELECT k.k, LEAST(COALESCE(c.closed_at, %(anchor)s::timestamptz),
                                c.reported_at + interval '1 hour' + k.k * (3 + mod(pg_temp.r(c.id * 4 + k.k, 114), 30)) * interval '1 day') AS at
              FROM generate_series(0, 3) AS k(k)
              WHERE k.k = 0 OR (k.k = 1 AND pg_temp.p(c.id, 110) < 60) OR (k.k = 2 AND pg_temp.p(c.id, 110) < 30)
                 OR (k.k = 3 AND pg_temp.p(c.id, 110) < 10)
            ) x
            WHERE c.id BETWEEN %(lo)s AND %(hi)s
            """,
            {**anchor, "kinds": NOTE_KINDS, "texts": [encrypt(t) for t in NOTE_TEXTS], "ntexts": len(NOTE_TEXTS)},
        )
        self.sql("ANALYZE cases_caseperson")
        self.per_chunk(
            "consents",
            """
            INSERT INTO cases_consent (created_at, updated_at, municipality_id, case_id, person_id, given_at, expires_at,
                                       scope, method, withdrawn_at, recorded_by_id)
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id, p.id,
                   (c.reported_at AT TIME ZONE 'Europe/Belgrade')::date + 2,
                   (c.reported_at AT TIME ZONE 'Europe/Belgrade')::date + 367,
                   'Razmena podataka sa članovima tima (primer).', (ARRAY['written', 'oral', 'written'])[1 + mod(pg_temp.r(c.id, 121), 3)],
                   NULL, c.opened_by_id
            FROM cases_case c JOIN cases_caseperson p ON p.case_id = c.id AND p.role = 'victim'
            WHERE c.id BETWEEN %(lo)s AND %(hi)s AND c.status <> 'reported' AND pg_temp.p(c.id, 120) < 30
            """,
        )
        rows = self.sql(
            """
            INSERT INTO cases_consent_institutions (consent_id, institution_id)
            SELECT k.id, x.inst FROM cases_consent k JOIN sk_mun m ON m.mid = k.municipality_id
            CROSS JOIN LATERAL (VALUES (m.csr), (m.police)) AS x(inst)
            WHERE k.case_id > %(base)s
            """,
            {"base": self.base},
        )
        self.step("consent institutions", rows)
        self.sql("ANALYZE cases_planmeasure")
        rows = self.sql(
            """
            INSERT INTO cases_reminder (created_at, updated_at, municipality_id, case_id, institution_id, kind, object_type,
                                        object_id, due_at, stage, sent_at, read_at)
            SELECT x.due, x.due, pm.municipality_id, pm.case_id, pm.owner_institution_id, 'plan_measure', 'cases.planmeasure',
                   pm.id, x.due, 'overdue', x.due + interval '1 day',
                   CASE WHEN pg_temp.p(pm.id, 131) < 40 THEN x.due + interval '2 days' END
            FROM cases_planmeasure pm
            CROSS JOIN LATERAL (SELECT (pm.deadline + 1)::timestamp AT TIME ZONE 'Europe/Belgrade' + interval '7 hours' AS due) x
            WHERE pm.case_id > %(base)s AND pm.status IN ('planned', 'in_progress')
              AND pm.deadline BETWEEN (%(anchor)s::timestamptz AT TIME ZONE 'Europe/Belgrade')::date - 30
                                  AND (%(anchor)s::timestamptz AT TIME ZONE 'Europe/Belgrade')::date - 2
            """,
            {"base": self.base, **anchor},
        )
        self.counts["reminders"] = rows
        self.step("reminders", rows)

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

    def _conferences(self) -> None:
        """Case conferences at each municipality's cadence over the years, with agendas (high-risk
        cases reported since the last one), minutes, invitees and action items, and one upcoming
        conference per municipality whose agenda is still to be prepared."""
        from apps.conferences.models import ActionItem, AgendaItem, Meeting, MeetingInvitee, Minutes

        meetings = []
        for plan, mun in zip(self.plans, self.muns, strict=True):
            chair = self.coordinators[mun.pk][0]
            step = 1 if plan.size_class == SizeClass.LARGE else 2
            months = self.o.years * 12
            for k, back in enumerate(range(months, 0, -step)):
                year, month = divmod(self.anchor.month - 1 - back, 12)
                day = datetime(self.anchor.year + year, month + 1, 10, 10, 0, tzinfo=BELGRADE)
                meetings.append(
                    Meeting(
                        municipality=mun, title="", starts_at=day, ends_at=day + timedelta(hours=2),
                        place="Sala Primer", chair_id=chair, status="held", uid=f"skala-{plan.code}-{k}@kzn.example",
                        created_by_id=chair, created_at=day - timedelta(days=14), agenda_prepared_at=day - timedelta(days=1),
                    )
                )
            upcoming = self.anchor + timedelta(days=1 + plan.index % 6)
            meetings.append(
                Meeting(
                    municipality=mun, title="", starts_at=upcoming.replace(hour=10), ends_at=upcoming.replace(hour=12),
                    place="Sala Primer", chair_id=chair, status="scheduled", uid=f"skala-{plan.code}-next@kzn.example",
                    created_by_id=chair, created_at=self.anchor - timedelta(days=7),
                )
            )
        Meeting.objects.bulk_create(meetings, batch_size=2000)
        held = [m for m in meetings if m.status == "held"]
        self.step("case conferences", len(meetings))

        invitees = []
        for m in meetings:
            k = self.by_mun[m.municipality_id]
            for kind in (InstitutionType.CSR, InstitutionType.POLICE, InstitutionType.PROSECUTOR, InstitutionType.HEALTH_CENTRE):
                invitees.append(
                    MeetingInvitee(
                        municipality_id=m.municipality_id, meeting=m, institution=k[kind][0],
                        response="accepted" if m.status == "held" else "pending",
                        attended=True if m.status == "held" else None, created_at=m.created_at,
                    )
                )
        MeetingInvitee.objects.bulk_create(invitees, batch_size=5000)
        Minutes.objects.bulk_create(
            [
                Minutes(
                    municipality_id=m.municipality_id, meeting=m, status="approved", recorded_by_id=m.chair_id,
                    approved_by_id=m.chair_id, approved_at=m.ends_at + timedelta(days=1), general_notes="Primer zapisnika.",
                    created_at=m.ends_at,
                )
                for m in held
            ],
            batch_size=2000,
        )
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT mt.id, x.id, x.municipality_id, x.lead_institution_id, x.risk_level, x.rn
                FROM conferences_meeting mt
                CROSS JOIN LATERAL (
                  SELECT c.id, c.municipality_id, c.lead_institution_id, c.risk_level,
                         row_number() OVER (ORDER BY c.reported_at DESC) AS rn
                  FROM cases_case c
                  WHERE c.municipality_id = mt.municipality_id AND c.reported_at < mt.starts_at
                    AND c.reported_at >= mt.starts_at - interval '62 days' AND c.risk_level IN ('high', 'immediate')
                  ORDER BY c.reported_at DESC LIMIT 8
                ) x
                WHERE mt.id = ANY(%s)
                """,
                [[m.pk for m in held]],
            )
            rows = cursor.fetchall()
        by_id = {m.pk: m for m in held}
        items = [
            AgendaItem(
                municipality_id=mid, meeting_id=meeting_id, case_id=case_id, section="new", origin="automatic",
                position=rn, reason="Primer: visok rizik", presenter_id=lead, discussed=True,
                discussion="Primer sažetka rasprave.", decisions="Primer odluke.", risk_level=risk,
                created_at=by_id[meeting_id].created_at,
            )
            for meeting_id, case_id, mid, lead, risk, rn in rows
        ]
        AgendaItem.objects.bulk_create(items, batch_size=5000)
        self.step("agenda items", len(items))
        actions = []
        for item in items:
            if (item.pk * 7919) % 10 < 4:
                meeting = by_id[item.meeting_id]
                due = (meeting.starts_at + timedelta(days=14)).date()
                done = due < (self.anchor - timedelta(days=30)).date()
                actions.append(
                    ActionItem(
                        municipality_id=item.municipality_id, meeting_id=item.meeting_id, agenda_item=item,
                        case_id=item.case_id, description="Primer zadatka: kontakt sa žrtvom i izveštaj timu.",
                        owner_institution_id=item.presenter_id, due_on=due, status="done" if done else "open",
                        completed_at=meeting.starts_at + timedelta(days=10) if done else None,
                        created_by_id=meeting.chair_id, created_at=meeting.ends_at,
                    )
                )
        ActionItem.objects.bulk_create(actions, batch_size=5000)
        self.counts["conferences"] = len(meetings)
        self.counts["agenda items"] = len(items)
        self.counts["action items"] = len(actions)
        self.step("action items", len(actions))

    def _analyze(self) -> None:
        """Fresh statistics (and, outside a transaction, the visibility map for index-only scans)."""
        vacuum = self.o.vacuum and not connection.in_atomic_block
        with connection.cursor() as cursor:
            for table in ANALYZE_TABLES:
                cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {table}")
        self.step("vacuum and analyze" if vacuum else "analyze")
