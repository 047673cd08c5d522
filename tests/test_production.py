"""Production shape: settings from the documented environment, docker-compose/Dockerfile/Procfile
entry points that exist, and the command that creates the first platform admin."""
from __future__ import annotations

import importlib
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

# Variables the production settings cannot start without.
REQUIRED = [
    "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "SITE_URL", "DATABASE_URL", "REDIS_URL",
    "EMAIL_URL", "DEFAULT_FROM_EMAIL", "FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY",
]


def env_example() -> dict[str, str]:
    """The variables set (not commented out) in .env.example."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip()
    return values


def production_env(**overrides) -> dict[str, str]:
    """A clean environment: only what .env.example documents, with real secrets filled in."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    env.update(env_example())
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_KEYS=f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
        FIELD_HASH_KEY=secrets.token_urlsafe(48),
        DJANGO_SETTINGS_MODULE="config.settings.production",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_with_the_documented_variables():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING",
         "--settings=config.settings.production"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--settings=config.settings.production"],
        cwd=ROOT, env=production_env(DJANGO_SECRET_KEY=None), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("name", REQUIRED)
def test_production_refuses_to_start_without_each_required_variable(name):
    result = run_python("from django.conf import settings; settings.DEBUG", production_env(**{name: None}))
    assert result.returncode != 0
    assert name in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DJANGO_SECRET_KEY", "insecure-dev-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"),
        ("FIELD_ENCRYPTION_KEYS", "ZGV2LW9ubHkta2V5LW5ldmVyLWluLXByb2R1Y3Rpb24="),
        ("FIELD_ENCRYPTION_KEYS", "not-a-fernet-key"),
        ("FIELD_HASH_KEY", "dev-hash-key-do-not-use-in-production"),
        ("FIELD_HASH_KEY", "short"),
    ],
)
def test_production_refuses_development_or_malformed_secrets(name, value):
    result = run_python("from django.conf import settings; settings.DEBUG", production_env(**{name: value}))
    assert result.returncode != 0
    assert name in result.stderr


def test_demo_users_never_skip_2fa_in_production_whatever_the_environment_says():
    code = "from django.conf import settings; print(settings.DEMO_SKIP_2FA, settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    result = run_python(code, production_env(DEMO_SKIP_2FA="true", DJANGO_DEBUG="true"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True"]


# Every setting about the database connection, whatever its name: the connection dicts, the routers,
# and the project's own (FIXED_SQL_PREPARED: server-side prepared statements, off behind a pooler).
DATABASE_SETTINGS_CODE = """
import json
from django.conf import settings
names = sorted(n for n in dir(settings) if n.isupper() and any(w in n for w in ("DATABASE", "DB_", "SQL")))
print(json.dumps({n: getattr(settings, n) for n in names}, sort_keys=True, default=repr))
"""


@pytest.mark.parametrize(
    "environment",
    [
        {},
        # Behind a transaction-mode pooler: no persistent connections, no server-side prepared statements.
        {"DB_CONN_MAX_AGE": "0", "DB_PREPARED_STATEMENTS": "false"},
    ],
    ids=["defaults", "behind-a-pooler"],
)
def test_production_keeps_every_database_option_of_the_base_settings(environment):
    """What was benchmarked (jit off, generic plans, persistent checked connections, prepared fixed
    statements) is what runs: production's database settings equal base.py's, key for key."""
    url = "postgres://kzn:secret@db.example:5432/kzn"
    production = run_python(DATABASE_SETTINGS_CODE, production_env(DATABASE_URL=url, **environment))
    base = run_python(
        DATABASE_SETTINGS_CODE,
        production_env(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings.base", **environment),
    )
    assert production.returncode == 0, production.stderr
    assert base.returncode == 0, base.stderr
    assert json.loads(production.stdout) == json.loads(base.stdout)

    settings = json.loads(production.stdout)
    default = settings["DATABASES"]["default"]
    assert "-c jit=off -c plan_cache_mode=force_generic_plan -c max_parallel_workers_per_gather=0" in default["OPTIONS"]["options"]
    assert default["CONN_HEALTH_CHECKS"] is True
    assert default["ATOMIC_REQUESTS"] is False
    pooled = bool(environment)
    assert default["CONN_MAX_AGE"] == (0 if pooled else 60)
    assert settings["FIXED_SQL_PREPARED"] is (not pooled)


def test_every_variable_of_env_example_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running in production", 1)[1]
    first_cells = [line.split("|")[1] for line in section.splitlines() if line.startswith("|")]
    documented = {name for cell in first_cells for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}
    optional = set(re.findall(r"^#\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.M))
    missing = (set(env_example()) | optional | set(REQUIRED)) - documented
    assert not missing, f"README 'Running in production' lacks: {sorted(missing)}"


# --- docker-compose.yml, Dockerfile, Procfile -------------------------------------------------------

def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def command_of(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else [str(part) for part in command]


def test_compose_has_the_production_services():
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("web", "worker", "beat"):
        service = services[name]
        assert service["env_file"] == ".env" or ".env" in service["env_file"]
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_compose_migrates_once_before_the_app_starts():
    migrate = compose()["services"]["migrate"]
    assert command_of(migrate)[:3] == ["python", "manage.py", "migrate"]
    assert migrate["restart"] == "no"


def test_compose_web_runs_gunicorn_with_the_wsgi_module_that_exists():
    command = command_of(compose()["services"]["web"])
    assert command[0] == "gunicorn"
    module, _, attribute = command[1].partition(":")
    assert module == "config.wsgi"
    wsgi = importlib.import_module(module)
    assert callable(getattr(wsgi, attribute or "application"))
    assert (VENV_BIN / "gunicorn").exists()


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_compose_worker_and_beat_run_the_celery_app_that_exists(name):
    from celery.app.utils import find_app

    from config.celery_app import app

    command = command_of(compose()["services"][name])
    assert command[:4] == ["celery", "-A", "config", name]
    assert find_app("config") is app
    assert (VENV_BIN / "celery").exists()


def test_compose_beat_keeps_its_schedule_on_a_volume():
    config = compose()
    beat = config["services"]["beat"]
    schedule = next(part.split("=", 1)[1] for part in command_of(beat) if part.startswith("--schedule="))
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in beat["volumes"]}
    mount = next(target for target in mounts if schedule.startswith(target + "/"))
    assert mounts[mount] in config["volumes"]


def test_every_compose_variable_with_a_default_or_requirement_is_documented():
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", text))
    documented = set(env_example()) | set(
        re.findall(r"^#\s*([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), flags=re.M)
    )
    assert used <= documented, sorted(used - documented)


def test_dockerfile_builds_a_pinned_non_root_image_with_weasyprint_libraries():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, flags=re.M)
    assert "--require-hashes --no-deps -r /tmp/requirements.lock" in text
    assert "libpango-1.0-0" in text and "libpangoft2-1.0-0" in text
    assert "collectstatic --noinput" in text
    users = re.findall(r"^USER\s+(\S+)", text, flags=re.M)
    assert users and users[-1] not in ("root", "0")
    assert (ROOT / "requirements.lock").exists()


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", "var", ".git"} <= set(ignored)


def test_procfile_commands_name_what_exists():
    entries = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip() and not line.startswith("#")
    )
    assert set(entries) == {"web", "worker", "beat"}
    web = shlex.split(entries["web"])
    assert web[:3] == ["python", "manage.py", "runserver"] and (ROOT / "manage.py").exists()
    for name in ("worker", "beat"):
        assert shlex.split(entries[name])[:4] == ["celery", "-A", "config", name]
    assert (VENV_BIN / "python").exists() and (VENV_BIN / "celery").exists()


# --- create_platform_admin ------------------------------------------------------------------------

@pytest.fixture
def admin_password(monkeypatch):
    password = "Vrlo-Tajna-Lozinka-2026"
    monkeypatch.setenv("PLATFORM_ADMIN_PASSWORD", password)
    return password


def test_create_platform_admin_from_the_environment_then_2fa_is_required(db, admin_password, client, capsys):
    from apps.accounts.models import User

    call_command("create_platform_admin", "--email", "Prvi.Admin@test.kzn.example", "--no-input")

    user = User.objects.get(email="prvi.admin@test.kzn.example")
    assert user.is_platform_admin and user.is_active
    assert user.check_password(admin_password)
    out = capsys.readouterr().out
    assert "Created platform admin prvi.admin@test.kzn.example" in out
    assert "two-factor" in out
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/setup/"


def test_create_platform_admin_without_a_password_and_no_input_fails_and_creates_nobody(db, monkeypatch):
    from apps.accounts.models import User

    monkeypatch.delenv("PLATFORM_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="PLATFORM_ADMIN_PASSWORD"):
        call_command("create_platform_admin", "--email", "drugi.admin@test.kzn.example", "--no-input")
    assert not User.objects.filter(email="drugi.admin@test.kzn.example").exists()


def test_create_platform_admin_rejects_a_weak_password(db, monkeypatch):
    from apps.accounts.models import User

    monkeypatch.setenv("PLATFORM_ADMIN_PASSWORD", "12345")
    with pytest.raises(CommandError, match="Password"):
        call_command("create_platform_admin", "--email", "treci.admin@test.kzn.example", "--no-input")
    assert not User.objects.filter(email="treci.admin@test.kzn.example").exists()


def test_create_platform_admin_rejects_a_bad_email(db, admin_password):
    with pytest.raises(CommandError, match="--email"):
        call_command("create_platform_admin", "--email", "nije-adresa", "--no-input")


def test_create_platform_admin_promotes_an_existing_user_and_keeps_the_password(db, monkeypatch):
    from tests.factories import UserFactory

    monkeypatch.delenv("PLATFORM_ADMIN_PASSWORD", raising=False)
    user = UserFactory(email="postojeci@test.kzn.example")
    call_command("create_platform_admin", "--email", "postojeci@test.kzn.example", "--no-input")
    user.refresh_from_db()
    assert user.is_platform_admin
    assert user.check_password("test-lozinka-123")


def test_create_platform_admin_asks_twice_on_the_terminal(db, monkeypatch):
    from apps.accounts.models import User

    monkeypatch.delenv("PLATFORM_ADMIN_PASSWORD", raising=False)
    answers = iter(["Vrlo-Tajna-Lozinka-2026", "nešto drugo", "Vrlo-Tajna-Lozinka-2026", "Vrlo-Tajna-Lozinka-2026"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_platform_admin", "--email", "cetvrti.admin@test.kzn.example")
    assert User.objects.get(email="cetvrti.admin@test.kzn.example").check_password("Vrlo-Tajna-Lozinka-2026")
