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


def test_production_mode_refuses_a_site_address_whose_host_it_would_not_serve():
    result = _manage("check", **{**PRODUCTION, "SITE_URL": "https://thidua.example.gov.vn"})
    assert result.returncode != 0
    assert "SITE_URL's host 'thidua.example.gov.vn' is not in ALLOWED_HOSTS (thidua.moj.gov.vn)" in result.stderr


def test_a_site_address_with_a_port_or_under_a_wildcard_host_is_accepted():
    assert _setting("settings.SITE_URL", **{**PRODUCTION, "SITE_URL": "https://thidua.moj.gov.vn:8443/"}) == (
        "https://thidua.moj.gov.vn:8443"
    )
    env = {**PRODUCTION, "ALLOWED_HOSTS": ".moj.gov.vn", "SITE_URL": "https://portal.moj.gov.vn"}
    assert _setting("settings.SITE_URL", **env) == "https://portal.moj.gov.vn"


def test_secrets_are_read_from_the_files_their_file_variables_name(tmp_path):
    secret_key = "f" * 20 + "-secret-key-read-from-a-docker-secret-0123456789"
    (tmp_path / "secret_key").write_text(secret_key + "\n")
    (tmp_path / "db_password").write_text("$pa ss:w@rd/\n")
    (tmp_path / "email_url").write_text("smtp+tls://portal:mailpass@mail.moj.gov.vn:587\n")
    env = {name: value for name, value in PRODUCTION.items() if name != "SECRET_KEY"}
    env |= {
        "SECRET_KEY_FILE": str(tmp_path / "secret_key"),
        "DATABASE_URL": "postgres://thidua_app@db.moj.gov.vn:5432/thidua",
        "DATABASE_PASSWORD_FILE": str(tmp_path / "db_password"),
        "EMAIL_URL_FILE": str(tmp_path / "email_url"),
    }
    read = "[settings.SECRET_KEY, settings.DATABASES['default']['PASSWORD'], settings.EMAIL_HOST_PASSWORD]"
    assert _setting(read, **env) == str([secret_key, "$pa ss:w@rd/", "mailpass"])


def test_a_secret_set_both_directly_and_through_a_file_is_refused(tmp_path):
    (tmp_path / "secret_key").write_text("x" * 60)
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY_FILE": str(tmp_path / "secret_key")})
    assert result.returncode != 0
    assert "SECRET_KEY and SECRET_KEY_FILE are both set: set only one of them." in result.stderr


def test_a_secret_file_that_cannot_be_read_is_refused_with_its_path(tmp_path):
    missing = tmp_path / "nowhere"
    result = _manage("check", PDF_SIGNING_P12_PASSWORD_FILE=str(missing))
    assert result.returncode != 0
    assert f"PDF_SIGNING_P12_PASSWORD_FILE: cannot read {missing}" in result.stderr


def test_a_database_password_beside_a_url_holding_one_is_refused():
    env = {"DATABASE_URL": "postgres://thidua_app:inline@127.0.0.1:5432/thidua", "DATABASE_PASSWORD": "other"}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert "DATABASE_URL holds a password and DATABASE_PASSWORD is set" in result.stderr
