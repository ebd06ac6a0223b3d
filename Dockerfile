# coprod: one image for the web process (gunicorn), the Celery worker and beat, and migrations.
#   docker build -t coprod .
#   docker compose up --build        (see docker-compose.yml)
FROM python:3.11-slim-bookworm

# PYTHONPATH=/app: the code runs from the copied source tree, not from site-packages.
# The installed wheel carries only the top-level packages (no migrations, management
# commands or templates), and `celery`, unlike `python manage.py`, does not put the
# working directory on sys.path by itself.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    MEDIA_ROOT=/app/media \
    MPLCONFIGDIR=/tmp/matplotlib

# WeasyPrint's runtime libraries (Pango, HarfBuzz) and a font for the PDF reports.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# A home directory for fontconfig's cache and gunicorn's control socket.
RUN groupadd --system app \
    && useradd --system --gid app --create-home --home-dir /home/app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install --no-cache-dir -c constraints.txt . \
    && rm -rf build *.egg-info

# The compiled translations (locale/<language>/LC_MESSAGES/django.mo, never committed), built
# with GNU gettext's msgfmt, which is removed again: the running app needs only the .mo files.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && SECRET_KEY=build-only DEBUG=False bin/translations python \
    && apt-get purge -y --auto-remove gettext \
    && rm -rf /var/lib/apt/lists/*

# Production static files (hashed names, compressed) for whitenoise. Settings demand a
# SECRET_KEY once DEBUG is off; this one exists only for this step.
RUN SECRET_KEY=build-only DEBUG=False python manage.py collectstatic --noinput

# The code stays root-owned and read-only to the app user; only the media directory
# (uploads, PDF reports) is writable. A fresh named volume mounted here copies this
# ownership, so the non-root worker can write to it.
RUN mkdir -p /app/media && chown app:app /app/media

USER app

EXPOSE 8000

# No HEALTHCHECK here: the worker and beat run this image too and serve no HTTP.
# docker-compose.yml gives the web service its healthcheck (GET /healthz).
CMD ["gunicorn", "coprod.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
