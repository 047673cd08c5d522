"""The lock file installs exactly what it pins, whatever is published later and whichever pip the
user's Python ships: it is complete (every requirement of every pinned package is pinned too, at a
version that satisfies it), every pin carries hashes, and every install path uses the same flags."""
from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
INSTALL_FLAGS = "--require-hashes --no-deps -r"


def _lock() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        first = block.split("\n", 1)[0]
        if not first or first.startswith("#"):
            continue
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;\\]+)", first)
        assert match, f"requirements.lock: not pinned with ==: {first!r}"
        assert "--hash=sha256:" in block, f"requirements.lock: {first!r} has no hash"
        pins[canonicalize_name(match.group(1))] = match.group(3)
    return pins


def _roots() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]]


def test_every_requirement_of_every_locked_package_is_locked_at_a_satisfying_version():
    pins = _lock()
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(requirement, "") for requirement in _roots()]
    missing = []
    while todo:
        requirement, parent = todo.pop()
        name = canonicalize_name(requirement.name)
        key = (name, frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        if name not in pins:
            missing.append(f"{requirement} (needed by {parent or 'pyproject.toml'})")
            continue
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{name}=={pins[name]} in the lock does not satisfy {requirement} (needed by {parent or 'pyproject.toml'})"
        )
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            missing.append(f"{name} is locked but not installed")
            continue
        for text in dist.requires or []:
            child = Requirement(text)
            environments = [{"extra": extra} for extra in requirement.extras] or [{"extra": ""}]
            if child.marker is None or any(child.marker.evaluate(env) for env in environments):
                todo.append((child, f"{name}{sorted(requirement.extras) or ''}"))
    assert not missing, "the lock is incomplete: " + "; ".join(sorted(missing))


def test_make_install_and_the_image_install_exactly_the_lock_and_check_it():
    makefile = (ROOT / "Makefile").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"pip install --quiet --disable-pip-version-check {INSTALL_FLAGS} requirements.lock" in makefile
    assert f"pip install {INSTALL_FLAGS} /tmp/requirements.lock" in dockerfile
    assert "pip check" in makefile and "pip check" in dockerfile
    # Neither upgrades pip first: the install must work with the pip the user's Python ships.
    assert "install --upgrade pip" not in makefile and "install -U pip" not in dockerfile
    # A new lock is compiled complete and hashed, preferring the versions already pinned.
    assert "--generate-hashes" in makefile and "-o requirements.lock" in makefile
