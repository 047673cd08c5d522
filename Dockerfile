# Production image: web (gunicorn), Celery worker and Celery beat all run from this one image.
# Build:  docker build -t kzn-platform .      Run: see docker-compose.yml and README "Running in production".

# ---- build stage: compile what has no wheel, install the pinned, hash-checked lock file ----------
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
# The same install as `make install`: exactly the lock (complete, hash-checked), whatever is newer.
RUN /opt/venv/bin/pip install --require-hashes --no-deps -r /tmp/requirements.lock \
 && /opt/venv/bin/pip check

# ---- runtime stage --------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    VAR_DIR=/data \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# WeasyPrint (PDF reports) needs Pango, HarfBuzz and fontconfig; DejaVu covers Serbian Latin and
# Cyrillic; postgresql-client gives pg_dump/pg_restore for backups from inside the container.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
      fonts-dejavu-core shared-mime-info postgresql-client \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 kzn \
 && useradd --system --uid 10001 --gid kzn --home-dir /app --shell /usr/sbin/nologin kzn \
 && mkdir -p /app /data/media /data/beat \
 && chown -R kzn:kzn /data

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# The code stays owned by root: the app user can read it, not change it. It writes only under /data.
COPY . /app

# Static files are collected into the image (hashed names for WhiteNoise). The production settings
# refuse to start without their secrets, so this one step gets throwaway values that never leave it.
RUN DJANGO_SECRET_KEY="build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    DJANGO_ALLOWED_HOSTS=localhost \
    SITE_URL=https://localhost \
    DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 \
    EMAIL_URL=consolemail:// \
    DEFAULT_FROM_EMAIL=build@localhost \
    FIELD_ENCRYPTION_KEYS="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    FIELD_HASH_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    python manage.py collectstatic --noinput --verbosity 0

USER kzn
VOLUME ["/data"]
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
