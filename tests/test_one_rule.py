"""Each access rule has exactly one definition (DESIGN.md, "Tenancy and access").

The rules live in the rule modules (apps/*/rules.py) and the querysets that expose them
(apps/*/querysets.py). Anywhere else in apps/, a predicate on ``municipality_id`` / ``institution_id``
(ORM ``municipality_id__in=``, ``institution_id=``, ``filter(municipality=...)``; SQL
``municipality_id = ANY(`` ...) is a second copy of a rule and fails this test, unless it is one of
the few non-access uses below, each with its reason.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "apps"

RULE_MODULES = {"rules.py", "querysets.py"}
# Every rule, by module and name: a rule added or removed is a decision this list records.
RULES = {
    "apps/core/rules.py": {"rule", "in_", "any_of", "all_of"},
    "apps/cases/rules.py": {
        "listed", "tab", "granted", "grants", "visible", "in_case_municipalities", "case_tenant_sql", "rows_of_case",
        "note_visible", "addressed_to", "list_filters", "after",
    },
    "apps/institutions/rules.py": {"readable"},
    "apps/conferences/rules.py": {"open_owned", "open_named", "aggregate_municipality_ids", "in_aggregates"},
    "apps/protocols/rules.py": {"compliance_reach", "compliance_rows"},
}

# ORM keyword arguments that name a tenant or an institution column (filter, exclude, get, Q, ...).
TENANT_KWARG = re.compile(r"^(\w+__)?(\w*municipality|\w*institution)(_id)?(__in|__exact)?$")
# SQL predicates on those columns.
TENANT_SQL = re.compile(r"\b\w*(municipality|institution)_id\s*(=\s*(ANY\s*\(|%s)|IN\s*\()", re.IGNORECASE)
PREDICATE_CALLS = {"filter", "exclude", "get", "Q", "get_or_create", "update_or_create", "filter_by"}

# Code that writes rather than reads for a user: services act on objects they first reached through
# visible_to (or a rule) and check integrity on them (numbering, uniqueness, the team they change);
# seeding and onboarding commands write for the platform. Their predicates are not access rules.
WRITERS = re.compile(r"(^|/)(services(/|\.py$)|demo\.py$|onboarding\w*\.py$|management/commands/|invitations\.py$)")

# (path, function or "<module>", why it is not an access rule). Keep it short and true.
ALLOWED = {
    ("apps/cases/selectors/work_queue.py", "<module>",
     "the queue picks the items of the user's institutions it shows (reminders, answered referrals); "
     "what the user may see is checked by visible_case_ids (rules.visible)"),
    ("apps/cases/selectors/persons.py", "may_see_confidential_address",
     "the confidential-address rule's one definition (on a person already reached through visible_to)"),
    ("apps/accounts/notices.py", "coordinators_of", "whom to notify, not what a user reads"),
    ("apps/accounts/selectors.py", "staff_memberships", "one institution's staff, the institution reached by visible_to"),
    ("apps/accounts/selectors.py", "staff_invitations", "one institution's invitations, reached by visible_to"),
    ("apps/cases/api/serializers/fields.py", "ColleagueField.get_queryset", "a choice list narrowed to the case's municipality"),
    ("apps/cases/views/team.py", "staff_choices", "a choice list of the case's staff (the case reached by visible_to)"),
    ("apps/conferences/views/minutes.py", "action_form_for", "a choice list of the owner institution's staff"),
    ("apps/conferences/hooks.py", "next_case_conference", "narrows visible_to(user) meetings to the case's municipality"),
    ("apps/conferences/selectors/meetings.py", "my_meetings", "narrows visible_to(user) meetings to the user's own"),
    ("apps/core/filters.py", "AuditFilter.filter_municipality", "a filter the user chooses on visible_to(user) entries"),
    ("apps/municipalities/views.py", "MunicipalityDetailView.get_context_data",
     "narrows visible_to(user) institutions to the municipality shown"),
}
# Copies of a rule still to replace by a call (files other work is restructuring now); this list only shrinks.
PENDING: set[tuple[str, str, str]] = set()  # real copies waiting for their rule: none left


def _functions(tree):
    """Map each node to the name of its enclosing top-level function (or "<module>")."""
    owner = {}
    for top in tree.body:
        name = top.name if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) else "<module>"
        if isinstance(top, ast.ClassDef):
            for item in top.body:
                inner = f"{top.name}.{item.name}" if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) else name
                for node in ast.walk(item):
                    owner[node] = inner
            continue
        for node in ast.walk(top):
            owner[node] = name
    return owner


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _strings(node) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)]
    return []


def copies_of_rules() -> list[tuple[str, str, int, str]]:
    """Every tenant/institution predicate outside the rule modules: (path, function, line, text)."""
    found = []
    for path in sorted(APPS.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative or path.name in RULE_MODULES or WRITERS.search(relative):
            continue
        tree = ast.parse(path.read_text(), relative)
        owner = _functions(tree)
        for node in ast.walk(tree):
            where = owner.get(node, "<module>")
            if isinstance(node, ast.Call) and _call_name(node) in PREDICATE_CALLS:
                for keyword in node.keywords:
                    if keyword.arg and TENANT_KWARG.match(keyword.arg):
                        found.append((relative, where, node.lineno, f"{_call_name(node)}({keyword.arg}=...)"))
            for text in _strings(node):
                if TENANT_SQL.search(text) and not isinstance(getattr(node, "parent", None), ast.JoinedStr):
                    found.append((relative, where, node.lineno, TENANT_SQL.search(text).group(0)))
    return found


def test_no_access_predicate_outside_the_rule_modules():
    allowed = {(path, function) for path, function, _why in ALLOWED | PENDING}
    copies = [c for c in copies_of_rules() if (c[0], c[1]) not in allowed and (c[0], "<module>") not in allowed]
    assert not copies, "a rule stated again outside apps/*/rules.py (use the rule):\n" + "\n".join(
        f"{path}:{line} in {function}: {text}" for path, function, line, text in sorted(set(copies))
    )


def test_the_allowlist_is_still_needed():
    found = {(c[0], c[1]) for c in copies_of_rules()} | {(c[0], "<module>") for c in copies_of_rules()}
    stale = [entry for entry in ALLOWED | PENDING if entry[:2] not in found]
    assert not stale, f"allowed uses that no longer exist: {stale}"


def test_each_rule_is_defined_once_in_its_module():
    for module, names in RULES.items():
        tree = ast.parse((ROOT / module).read_text())
        defined = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
        assert set(names) <= set(defined), (module, set(names) - set(defined))
        assert len(defined) == len(set(defined)), module
    everywhere: dict[str, list[str]] = {}
    for module in RULES:
        for name in RULES[module]:
            everywhere.setdefault(name, []).append(module)
    assert all(len(modules) == 1 for modules in everywhere.values()), everywhere


def test_the_scanner_finds_a_copied_rule(tmp_path):
    sample = ast.parse(
        "def view(user):\n"
        "    Case.objects.filter(municipality_id__in=ids)\n"
        "    cursor.execute('SELECT 1 FROM t WHERE t.institution_id = ANY(%s)')\n"
    )
    calls = [n for n in ast.walk(sample) if isinstance(n, ast.Call) and _call_name(n) in PREDICATE_CALLS]
    assert any(TENANT_KWARG.match(k.arg) for c in calls for k in c.keywords)
    assert any(TENANT_SQL.search(s) for n in ast.walk(sample) for s in _strings(n))
