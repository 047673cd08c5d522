"""The layout a newcomer can hold in their head (docs/architecture.md).

No file in apps/ is over 500 lines; no import hides inside a function body unless it breaks an
import cycle that a ``# cycle: a -> b -> a`` comment names; every app has the conventional
modules where they apply. Each test lists every offending file, so one run shows all the work.
These tests read the source only: they need no database.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "apps"
MAX_LINES = 500
# Code outside apps/ that follows the same import rule.
IMPORT_RULE_ROOTS = (APPS, ROOT / "benchmarks")
CYCLE_COMMENT = re.compile(r"#\s*cycle:\s*\S.*->\s*\S")


def python_files(root: Path):
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.relative_to(root).parts:
            continue
        yield path


def app_dirs() -> list[Path]:
    return sorted(p for p in APPS.iterdir() if p.is_dir() and (p / "apps.py").exists())


def function_body_imports(source: str) -> list[int]:
    """Line numbers of the imports written inside a function or method body."""
    found = []

    def visit(node, in_function: bool):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                visit(child, True)
            elif isinstance(child, ast.Import | ast.ImportFrom):
                if in_function:
                    found.append(child.lineno)
            else:
                visit(child, in_function)

    visit(ast.parse(source), False)
    return found


def uncommented_function_body_imports(source: str) -> list[int]:
    """Function-body imports without a ``# cycle:`` comment on their line or the line above."""
    lines = source.splitlines()
    bad = []
    for lineno in function_body_imports(source):
        here = lines[lineno - 1]
        above = lines[lineno - 2] if lineno >= 2 else ""
        if not (CYCLE_COMMENT.search(here) or CYCLE_COMMENT.search(above)):
            bad.append(lineno)
    return bad


def test_the_import_finder_sees_function_bodies_and_cycle_comments():
    source = (
        "import os\n"
        "def f():\n"
        "    import json\n"
        "    # cycle: models -> querysets -> models\n"
        "    from a import b\n"
        "    return json, b\n"
        "class C:\n"
        "    def m(self):\n"
        "        from x import y  # cycle: x -> y -> x\n"
        "        y()\n"
        "        from z import w\n"
    )
    assert function_body_imports(source) == [3, 5, 9, 11]
    assert uncommented_function_body_imports(source) == [3, 11]


def test_no_file_in_apps_is_over_500_lines():
    too_long = {
        str(path.relative_to(ROOT)): n
        for path in python_files(APPS)
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not too_long, (
        f"{len(too_long)} files in apps/ are over {MAX_LINES} lines (split them by resource):\n"
        + "\n".join(f"  {name}: {n} lines" for name, n in sorted(too_long.items()))
    )


def test_no_import_inside_a_function_body_without_a_named_cycle():
    offenders = {}
    for root in IMPORT_RULE_ROOTS:
        for path in python_files(root):
            lines = uncommented_function_body_imports(path.read_text(encoding="utf-8"))
            if lines:
                offenders[str(path.relative_to(ROOT))] = lines
    assert not offenders, (
        f"{sum(map(len, offenders.values()))} imports inside function bodies in {len(offenders)} files; hoist "
        "them to the top of the module, or name the cycle they break on the line above "
        "(`# cycle: models -> querysets -> models`):\n"
        + "\n".join(f"  {name}: lines {', '.join(map(str, lines))}" for name, lines in sorted(offenders.items()))
    )


# A module and a package of the same name cannot both exist; these are the conventional names
# (models.py or models/, views.py or views/ by resource, ...).
CONVENTIONAL = ("models", "views", "services", "selectors", "querysets", "forms", "filters", "api", "tasks")


def layout_problems(app: Path) -> list[str]:
    problems = []
    name = app.name
    config = (app / "apps.py").read_text(encoding="utf-8")
    if f'name = "apps.{name}"' not in config:
        problems.append(f"{name}/apps.py: the AppConfig's name is not 'apps.{name}'")
    if not (app / "__init__.py").exists():
        problems.append(f"{name}: no __init__.py")
    for module in CONVENTIONAL:
        if (app / f"{module}.py").exists() and (app / module).is_dir():
            problems.append(f"{name}: both {module}.py and {module}/")
    has = {module: (app / f"{module}.py").exists() or (app / module / "__init__.py").exists() for module in CONVENTIONAL}
    if not has["models"]:
        problems.append(f"{name}: no models.py or models/")
    if (app / "urls.py").exists() and not has["views"]:
        problems.append(f"{name}: urls.py without views.py or views/")
    if has["views"] and not (app / "urls.py").exists():
        problems.append(f"{name}: views without urls.py")
    # An app's API serves endpoints: serializers, views and urls (split by resource as
    # serializers_<resource>.py or a package). The core's api/ holds only the shared bases.
    api = app / "api"
    if api.is_dir() and name != "core":
        for module in ("serializers", "views", "urls"):
            if not (
                (api / f"{module}.py").exists()
                or (api / module / "__init__.py").exists()
                or (module != "urls" and any(api.glob(f"{module}_*.py")))
            ):
                problems.append(f"{name}/api: no {module}.py or {module}/")
    # Choices are TextChoices in choices.py (translated labels), not scattered over models and forms.
    for path in python_files(app):
        if path.name == "choices.py" or "choices" in path.relative_to(app).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(
                (isinstance(base, ast.Attribute) and base.attr.endswith("Choices"))
                or (isinstance(base, ast.Name) and base.id.endswith("Choices"))
                for base in node.bases
            ):
                problems.append(f"{path.relative_to(APPS)}: {node.name} belongs in {name}/choices.py")
    # Writes in services, reads in selectors, the rule of a model's rows in querysets.py.
    if has["models"] and "objects.visible_to" in "".join(
        p.read_text(encoding="utf-8") for p in python_files(app)
    ) and not has["querysets"]:
        problems.append(f"{name}: models scoped with visible_to but no querysets.py or querysets/")
    return problems


@pytest.mark.parametrize("app", app_dirs(), ids=lambda p: p.name)
def test_every_app_has_the_conventional_layout(app):
    problems = layout_problems(app)
    assert not problems, "\n".join(problems)
