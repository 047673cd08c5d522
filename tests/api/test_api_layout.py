"""The API packages stay readable and leave access to the shared rules: files a newcomer can hold,
imports at the top (a function-body import only to break a named cycle), no hand-written
municipality/institution predicate, and conferences never borrowing from the cases API or pages."""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [ROOT / "apps/cases/api", ROOT / "apps/conferences/api", ROOT / "apps/core/api"]
MAX_LINES = 500
# A condition on a municipality or institution column written in the API instead of asking the
# model's visible_to() (or a manager such as Referral.objects.addressed_to).
PREDICATE = re.compile(r"\b\w*(municipality|institution)(_id)?__in\s*=|\.filter\([^)]*\b(municipality|institution)(_id)?\s*=")
# Known copies, each to be replaced by the rule's one definition (they may disappear; none may be added).
KNOWN_PREDICATES = {
    "apps/cases/api/serializers/fields.py": "ColleagueField: staff of the user's municipalities",
}


def _modules():
    for package in PACKAGES:
        yield from sorted(package.rglob("*.py"))


def test_no_api_file_is_over_the_limit():
    long = {str(p.relative_to(ROOT)): n for p in _modules() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, long


def test_imports_are_at_the_top_unless_they_break_a_named_cycle():
    found = []
    for path in _modules():
        source = path.read_text()
        lines = source.splitlines()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import | ast.ImportFrom):
                        before = lines[inner.lineno - 2] if inner.lineno > 1 else ""
                        if "# cycle:" not in lines[inner.lineno - 1] + before:
                            found.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    # The one left is core importing accounts (an upward arrow the layer rules remove, not a cycle).
    assert set(found) <= {"apps/core/api/authentication.py:20"}, found


def test_no_api_module_writes_its_own_access_predicate():
    found = {}
    for path in _modules():
        hits = [n for n, line in enumerate(path.read_text().splitlines(), 1) if PREDICATE.search(line)]
        if hits:
            found[str(path.relative_to(ROOT))] = hits
    assert set(found) <= set(KNOWN_PREDICATES), found


def test_conferences_api_takes_generic_helpers_from_core_only():
    for path in (ROOT / "apps/conferences/api").rglob("*.py"):
        source = path.read_text()
        assert "apps.cases.api" not in source and "apps.cases.views" not in source, path.name
