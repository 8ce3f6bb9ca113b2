"""Settings are read in a fresh process: each test runs manage.py with a chosen environment."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-secret-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "thidua.moj.gov.vn",
    "SITE_URL": "https://thidua.moj.gov.vn",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Only PATH and the chosen variables: nothing leaks in from the test run's environment.
    clean = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE, env=clean, capture_output=True, text=True, timeout=120
    )


def _setting(expression: str, **env: str) -> str:
    code = f"from django.conf import settings; print({expression})"
    result = _manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_check_deploy_reports_no_issues_in_production_mode():
    result = _manage("check", "--deploy", "--fail-level", "DEBUG", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_mode_requires_a_secret_key():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_mode_refuses_a_short_secret_key():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": "short"})
    assert "SECRET_KEY must be a random string of at least 50 characters" in result.stderr


def test_production_mode_requires_allowed_hosts():
    env = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_a_bad_debug_value_is_refused():
    result = _manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_a_database_url_that_is_not_postgresql_is_refused():
    result = _manage("check", DATABASE_URL="mysql://root@127.0.0.1/thidua")
    assert result.returncode != 0
    assert "DATABASE_URL must name a PostgreSQL" in result.stderr


def test_a_redis_url_with_another_scheme_is_refused():
    result = _manage("check", REDIS_URL="http://127.0.0.1:6379")
    assert result.returncode != 0
    assert "REDIS_URL must start with redis://" in result.stderr


def test_with_no_environment_it_runs_on_sqlite_with_eager_tasks_and_console_mail():
    assert _setting("settings.DATABASES['default']['ENGINE']") == "django.db.backends.sqlite3"
    assert _setting("settings.DATABASES['default']['NAME']") == str(BASE / "var" / "thidua.sqlite3")
    assert _setting("settings.CELERY_TASK_ALWAYS_EAGER") == "True"
    assert _setting("settings.EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend"


def test_with_database_and_redis_urls_it_uses_postgresql_and_a_broker():
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/thidua", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert _setting("settings.DATABASES['default']['ENGINE']", **env) == "django.db.backends.postgresql"
    assert _setting("settings.CELERY_BROKER_URL", **env) == "redis://127.0.0.1:6379/0"
    assert _setting("settings.CELERY_TASK_ALWAYS_EAGER", **env) == "False"


def test_a_postgresql_connection_gives_up_after_a_few_seconds():
    env = {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/thidua"}
    assert _setting("settings.DATABASES['default']['OPTIONS']['connect_timeout']", **env) == "5"
    env["DATABASE_CONNECT_TIMEOUT"] = "2"
    assert _setting("settings.DATABASES['default']['OPTIONS']['connect_timeout']", **env) == "2"


def test_production_mode_requires_the_site_address():
    env = {name: value for name, value in PRODUCTION.items() if name != "SITE_URL"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr


def test_a_site_address_without_its_scheme_is_refused():
    result = _manage("check", **{**PRODUCTION, "SITE_URL": "thidua.moj.gov.vn"})
    assert result.returncode != 0
    assert "SITE_URL must be the portal's address" in result.stderr


def test_in_production_every_cookie_is_secure_httponly_and_same_site():
    names = ("SESSION", "CSRF", "LANGUAGE")
    flags = ", ".join(
        f"settings.{name}_COOKIE_SECURE, settings.{name}_COOKIE_HTTPONLY, settings.{name}_COOKIE_SAMESITE"
        for name in names
    )
    assert _setting(f"[{flags}]", **PRODUCTION) == str([True, True, "Lax"] * len(names))
