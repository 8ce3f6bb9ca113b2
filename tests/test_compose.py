"""The production container files: docker-compose.yml validates and the Dockerfile's fonts.

No Docker engine is needed: `docker-compose config` only reads, interpolates and validates the
file. Without docker-compose on the machine these tests are skipped, except in CI (CI=true),
where a missing docker-compose is a failure, not a silent skip.
"""

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / "deploy" / "thidua.env.example"
SETTINGS = ROOT / "thidua" / "settings.py"

REQUIRED = {
    "ALLOWED_HOSTS": "thidua.example.gov.vn",
    "SITE_URL": "https://thidua.example.gov.vn",
}
# Never read from the machine's environment: the secrets are files now, and the file names are the test's.
IGNORED = {"SECRET_KEY", "POSTGRES_PASSWORD", "POSTGRES_APP_PASSWORD", "THIDUA_ENV_FILE", "THIDUA_SECRETS_DIR"}
SECRETS_DIR = "/srv/thidua-secrets"


@pytest.fixture(scope="module")
def docker_compose() -> str:
    path = shutil.which("docker-compose")
    if path is None:
        message = "docker-compose is not installed (Debian: apt-get install docker-compose)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def run_config(docker_compose: str, tmp_path: Path, variables: dict[str, str], *args: str):
    """Run `docker-compose config` with exactly these variables set, ignoring any .env file."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in REQUIRED.keys() | IGNORED and not key.startswith("COMPOSE_") and key != "DOCKER_HOST"
    }
    env.update({"THIDUA_ENV_FILE": str(ENV_EXAMPLE), "THIDUA_SECRETS_DIR": SECRETS_DIR})
    env.update(variables)
    empty_env_file = tmp_path / "empty.env"
    empty_env_file.write_text("")
    return subprocess.run(
        [docker_compose, "--env-file", str(empty_env_file), "-f", str(COMPOSE_FILE), "config", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def service_blocks(config_text: str) -> dict[str, str]:
    """Split the normalised `docker-compose config` output into one text block per service."""
    services = re.search(r"^services:\n(.*?)(?=^\S|\Z)", config_text, re.MULTILINE | re.DOTALL)
    assert services, config_text
    parts = re.split(r"^  ([\w.-]+):\n", services.group(1), flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


@pytest.fixture
def config_text(docker_compose: str, tmp_path: Path) -> str:
    result = run_config(docker_compose, tmp_path, REQUIRED)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_compose_file_is_valid(docker_compose, tmp_path):
    result = run_config(docker_compose, tmp_path, REQUIRED, "-q")
    assert result.returncode == 0, result.stderr


def test_the_secret_key_and_database_passwords_are_docker_secrets_from_files_never_variables(config_text):
    secrets = re.search(r"^secrets:\n(.*?)(?=^\S|\Z)", config_text, re.MULTILINE | re.DOTALL)
    assert secrets, config_text
    for name in ("secret_key", "postgres_password", "postgres_app_password"):
        assert f"  {name}:\n    file: {SECRETS_DIR}/{name}\n" in secrets.group(1)
    services = service_blocks(config_text)
    for name in (*APP_SERVICES, "migrate", "backup"):
        assert "SECRET_KEY_FILE: /run/secrets/secret_key" in services[name], name
        assert not re.search(r"^      SECRET_KEY:", services[name], re.MULTILINE), name
        assert "source: secret_key" in services[name], name
    assert "POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password" in services["postgres"]
    assert "POSTGRES_APP_PASSWORD_FILE: /run/secrets/postgres_app_password" in services["postgres"]
    assert not re.search(r"^      POSTGRES_(APP_)?PASSWORD:", services["postgres"], re.MULTILINE)


def settings_read_from_the_environment() -> set[str]:
    """Every variable thidua/settings.py reads (env.str("X"), _rate("X"), os.environ.get("X"), …)."""
    text = SETTINGS.read_text(encoding="utf-8")
    names = set(re.findall(r"(?:env\.\w+|_rate|_flag|_require|os\.environ\.get)\(\s*\"([A-Z][A-Z0-9_]+)\"", text))
    assert {"SITE_URL", "PDF_MAX_ATTEMPTS", "THROTTLE_LOGIN_FAILURES_PER_ADDRESS"} <= names
    return names


# Set by docker-compose.yml itself, or read from a file (SECRET_KEY_FILE, DATABASE_PASSWORD_FILE): not in the env file.
SET_BY_COMPOSE = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DATABASE_PASSWORD", "REDIS_URL", "MEDIA_ROOT"}


def env_example_names() -> set[str]:
    """The settings the example env file names, set or commented out (`# NAME=`)."""
    return set(re.findall(r"^(?:# )?([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.MULTILINE))


def test_the_example_env_file_lists_every_setting_the_portal_reads():
    missing = settings_read_from_the_environment() - SET_BY_COMPOSE - env_example_names()
    assert not missing, f"not in {ENV_EXAMPLE.name}: {sorted(missing)}"


def test_every_setting_of_the_env_file_reaches_the_portals_containers(config_text):
    example = ENV_EXAMPLE.read_text(encoding="utf-8")
    values = dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", example, re.MULTILINE))
    services = service_blocks(config_text)
    for name in APP_SERVICES:
        for setting in (
            "AXES_IPWARE_PROXY_COUNT",
            "REAUTH_MINUTES",
            "PACT_REMINDER_DAYS",
            "PDF_SWEEP_MINUTES",
            "PDF_MAX_ATTEMPTS",
            "SECURE_HSTS_SECONDS",
            "THROTTLE_VERIFY_LOOKUPS_PER_ADDRESS",
            "OUTBOX_MAX_ATTEMPTS",
            "OUTBOX_SWEEP_MINUTES",
        ):
            assert re.search(rf"^      {setting}: '?{re.escape(values[setting])}'?$", services[name], re.MULTILINE), (
                name,
                setting,
            )


def test_the_secrets_folder_is_mounted_read_only_where_the_seal_is_looked_for(config_text):
    example = ENV_EXAMPLE.read_text(encoding="utf-8")
    assert "# PDF_SIGNING_P12=/run/thidua-secrets/seal.p12" in example
    services = service_blocks(config_text)
    for name in APP_SERVICES:
        assert f"{SECRETS_DIR}/app:/run/thidua-secrets:ro" in services[name], name


def test_the_example_env_file_with_its_secrets_passes_the_deploy_check(tmp_path):
    """The example's values as the containers get them (env file, secrets from files) start the portal."""
    import subprocess as run
    import sys

    example = ENV_EXAMPLE.read_text(encoding="utf-8")
    env = {"PATH": os.environ["PATH"], **dict(re.findall(r"^([A-Z][A-Z0-9_]+)=(.*)$", example, re.MULTILINE))}
    (tmp_path / "secret_key").write_text("s" * 20 + "-compose-example-secret-0123456789-abcdefghij\n")
    (tmp_path / "app_password").write_text("app-password\n")
    env |= {
        "DEBUG": "false",
        "SECRET_KEY_FILE": str(tmp_path / "secret_key"),
        "DATABASE_URL": "postgres://thidua_app@postgres:5432/thidua",
        "DATABASE_PASSWORD_FILE": str(tmp_path / "app_password"),
    }
    result = run.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_defines_the_app_services_and_their_backing_services(config_text):
    services = service_blocks(config_text)
    assert {"web", "worker", "beat", "postgres", "redis"} <= services.keys()
    assert any("- pdf" in block for block in services.values()), "no worker consumes the pdf queue"


def test_web_worker_postgres_and_redis_have_health_checks(config_text):
    services = service_blocks(config_text)
    for name in ("web", "worker", "postgres", "redis"):
        assert re.search(r"^    healthcheck:\n      \S", services[name], re.MULTILINE), f"{name} has no healthcheck"


def test_web_allows_the_loopback_host_its_health_check_calls(config_text):
    web = service_blocks(config_text)["web"]
    allowed = re.search(r"^      ALLOWED_HOSTS: (.+)$", web, re.MULTILINE)
    assert allowed, web
    hosts = allowed.group(1).strip("'\"").split(",")
    assert REQUIRED["ALLOWED_HOSTS"] in hosts
    assert "127.0.0.1" in hosts
    assert "http://127.0.0.1:8000/readyz" in web


def test_web_health_check_asks_readiness_and_workers_ping_celery(config_text):
    services = service_blocks(config_text)
    # Readiness does not depend on the broker; liveness would miss a lost database or volume.
    assert "/readyz" in services["web"] and "/healthz" not in services["web"].split("healthcheck:")[1]
    for name in ("worker", "worker-pdf"):
        assert "inspect ping" in services[name].split("healthcheck:")[1], f"{name} no longer pings its worker"


def apt_installed_packages(dockerfile_text: str) -> set[str]:
    """The package names given to `apt-get install` in the Dockerfile's RUN instructions."""
    lines = [line for line in dockerfile_text.splitlines() if not line.lstrip().startswith("#")]
    instructions = re.sub(r"\\\n", " ", "\n".join(lines)).splitlines()
    packages: set[str] = set()
    for instruction in instructions:
        if not instruction.startswith("RUN "):
            continue
        lexer = shlex.shlex(instruction[4:], posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        for index, token in enumerate(tokens[:-1]):
            if token in ("apt-get", "apt") and tokens[index + 1] == "install":
                for argument in tokens[index + 2 :]:
                    if argument in ("&&", "||", ";", "|", "&"):
                        break
                    if not argument.startswith("-"):
                        packages.add(argument.split("=")[0])
    return packages


def test_dockerfile_installs_vietnamese_fonts_and_never_the_old_liberation_package():
    packages = apt_installed_packages(DOCKERFILE.read_text(encoding="utf-8"))
    assert packages, "no apt-get install found in the Dockerfile"
    assert "fonts-liberation" not in packages, "fonts-liberation 1.x has no Vietnamese and shadows Liberation 2.x"
    assert {"fonts-liberation2", "fonts-croscore"} & packages
    assert "fc-list :lang=vi | grep -q Tinos" in DOCKERFILE.read_text(encoding="utf-8")


def test_the_font_check_reads_apt_install_lines_as_a_whole_word():
    dockerfile = "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends fonts-liberation2 curl\n"
    assert apt_installed_packages(dockerfile) == {"fonts-liberation2", "curl"}
    old = "RUN apt-get install -y fonts-liberation && rm -rf /var/lib/apt/lists/*\n"
    assert "fonts-liberation" in apt_installed_packages(old)


def test_the_backup_service_runs_only_when_asked_and_the_image_has_pg_dump(config_text):
    backup = service_blocks(config_text)["backup"]
    assert re.search(r"^    profiles:\n    - tools$", backup, re.MULTILINE), backup
    assert "backup_record" in backup
    assert "media:/app/var/media" in backup and ":/backups" in backup
    # Not after migrate: a restore needs the database empty, and migrate would fill it.
    assert "migrate" not in backup.split("depends_on:")[1].split("entrypoint:")[0]
    assert "postgresql-client" in apt_installed_packages(DOCKERFILE.read_text(encoding="utf-8"))


APP_SERVICES = ("web", "worker", "worker-pdf", "beat")
INIT_SCRIPT = ROOT / "deploy" / "postgres" / "10-app-role.sh"


def database_user(block: str) -> str:
    url = re.search(r"^      DATABASE_URL: postgres://([^:@]+)@", block, re.MULTILINE)
    assert url, block
    return url.group(1)


def test_the_app_services_connect_as_a_role_that_is_not_the_database_owner(config_text):
    services = service_blocks(config_text)
    owner = re.search(r"^      POSTGRES_USER: (\S+)$", services["postgres"], re.MULTILINE).group(1)
    for name in APP_SERVICES:
        assert database_user(services[name]) == "thidua_app" != owner, name
        assert "DATABASE_PASSWORD_FILE: /run/secrets/postgres_app_password" in services[name], name
        assert "source: postgres_app_password" in services[name] and "source: postgres_password" not in services[name]


def test_migrate_runs_as_the_owner_and_then_grants_the_app_role(config_text):
    services = service_blocks(config_text)
    migrate = services["migrate"]
    owner = re.search(r"^      POSTGRES_USER: (\S+)$", services["postgres"], re.MULTILINE).group(1)
    assert database_user(migrate) == owner
    assert "DATABASE_PASSWORD_FILE: /run/secrets/postgres_password" in migrate
    assert "manage.py migrate --noinput && python manage.py db_grant_app_role thidua_app" in migrate
    # A restore creates the tables, which only the owner may.
    assert database_user(services["backup"]) == owner


def test_postgres_creates_the_app_role_without_privileges_on_first_start(config_text):
    postgres = service_blocks(config_text)["postgres"]
    assert f"{INIT_SCRIPT.parent}:/docker-entrypoint-initdb.d:ro" in postgres
    assert "POSTGRES_APP_PASSWORD" in postgres
    script = INIT_SCRIPT.read_text(encoding="utf-8")
    assert re.search(r"CREATE ROLE thidua_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE\b", script)
    assert ":'app_password'" in script  # the password reaches SQL as a quoted literal


def test_compose_refuses_to_start_without_the_site_address(docker_compose, tmp_path):
    variables = {key: value for key, value in REQUIRED.items() if key != "SITE_URL"}
    result = run_config(docker_compose, tmp_path, variables, "-q")
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_the_app_role_script_reads_its_password_from_the_secret_file(tmp_path):
    fake_psql = tmp_path / "psql"
    fake_psql.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {tmp_path}/arguments\n')
    fake_psql.chmod(0o755)
    (tmp_path / "app_password").write_text("it's a $ecret\n")
    env = {
        "PATH": f"{tmp_path}:/usr/bin:/bin",
        "POSTGRES_USER": "thidua",
        "POSTGRES_DB": "thidua",
        "POSTGRES_APP_PASSWORD_FILE": str(tmp_path / "app_password"),
    }
    subprocess.run(["sh", str(INIT_SCRIPT)], env=env, check=True, timeout=30)
    assert "app_password=it's a $ecret" in (tmp_path / "arguments").read_text().splitlines()
