# syntax=docker/dockerfile:1
# Production image of the thi đua portal: one image for gunicorn, the Celery workers and beat
# (docker-compose.yml picks the command). Build: docker build -t thidua .
ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---------------------------------------------------------------------------------------------
# Builder: compiles psycopg2 from source, installs the requirements into /opt/venv, compiles the
# translations and collects the static files, so the runtime stage needs no compiler.
# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH=/opt/venv/bin:$PATH

RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev libpq-dev gettext \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv
WORKDIR /src

# Requirements first, so a code change does not reinstall them (Bootstrap is vendored, not a package).
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Translations: the committed .mo files are rebuilt from their .po sources (touched first, as
# compilemessages skips a .mo that is not older than its .po), so the image never ships a stale
# catalogue. Then the static files, with whitenoise's manifest storage as in production:
# DEBUG=false needs a SECRET_KEY, ALLOWED_HOSTS and SITE_URL; these build-only values stay in this stage.
RUN if find . -path '*/locale/*' -name '*.po' | grep -q .; then \
        find . -path '*/locale/*' -name '*.po' -exec touch {} + \
        && python manage.py compilemessages --ignore=var; \
    fi \
    && DEBUG=false \
       SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789abcdef \
       ALLOWED_HOSTS=localhost \
       SITE_URL=http://localhost \
       python manage.py collectstatic --noinput \
    && python -m compileall -q .

# ---------------------------------------------------------------------------------------------
# Runtime
# ---------------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime

# Shared libraries: libpq for psycopg2; Pango, PangoFT2 and HarfBuzz (subset) for WeasyPrint 70,
# with fontconfig, libjpeg, libffi and shared-mime-info. Fonts with full Vietnamese coverage
# (ENGINEERING.md B.2): Tinos/Arimo/Cousine (fonts-croscore) and Liberation 2.x
# (fonts-liberation2). Never the old fonts-liberation (1.07): it has no Vietnamese letters and,
# with the same family names, can shadow Liberation 2.x. The build fails if fontconfig does not
# see Tinos for Vietnamese, or if fonts-liberation got in. postgresql-client (15 on bookworm, the
# version of the compose file's server) gives `manage.py backup_record`/`restore_record` pg_dump and
# pg_restore; a pg_dump older than the server refuses to dump it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpq5 postgresql-client \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fontconfig libjpeg62-turbo libffi8 shared-mime-info \
        fonts-liberation2 fonts-croscore \
    && rm -rf /var/lib/apt/lists/* \
    && fc-cache -f \
    && fc-list :lang=vi | grep -q Tinos \
    && ! dpkg-query -W -f='${Status}' fonts-liberation 2>/dev/null | grep -q "ok installed"

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=thidua.settings \
    DEBUG=false \
    MEDIA_ROOT=/app/var/media \
    WEB_CONCURRENCY=3

COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /src /app
WORKDIR /app

# The code and the collected static files stay root-owned (read-only to the app); the app user
# writes only the uploaded/rendered media and beat's schedule (named volumes in compose).
RUN mkdir -p /app/var/media /app/var/beat \
    && chown app:app /app/var /app/var/media /app/var/beat

USER app
EXPOSE 8000

# WEB_CONCURRENCY (read by gunicorn) sets the worker count: 3 sync workers suit a 2-vCPU host ((2 x CPU) + 1
# is the usual ceiling); PDFs are rendered by the Celery pdf worker, not in the web process.
# --preload: Django is imported once in the master and each worker forked from it, so a worker recycled by
# --max-requests starts at once instead of re-importing Django while requests queue behind it (README).
# --limit-request-line 0: gunicorn's own limit (at most 8190) would answer a long search with a bare 414; the
# portal answers one with its own page (core/middleware.py) and the reverse proxy bounds the line.
CMD ["gunicorn", "thidua.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--limit-request-line", "0", \
     "--worker-tmp-dir", "/dev/shm", \
     "--timeout", "60", \
     "--graceful-timeout", "30", \
     "--preload", \
     "--max-requests", "1000", "--max-requests-jitter", "100", \
     "--access-logfile", "-"]
