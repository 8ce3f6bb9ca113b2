"""The commands the README's part for operators gives, run as written there (on the test database)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.permissions import is_admin, is_ministry

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.django_db
def test_the_first_administrator_is_created_without_a_prompt_and_given_the_ministry_role(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "quantri")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-Passw0rd-for-the-test")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "quantri@moj.gov.vn")
    monkeypatch.setenv("DJANGO_SUPERUSER_FULL_NAME", "Nguyễn Văn Quản")
    call_command("createsuperuser", "--noinput", verbosity=0)
    call_command("grant_role", "quantri", "ministry", stdout=None)
    user = User.objects.get(username="quantri")
    assert user.check_password("a-long-Passw0rd-for-the-test") and user.full_name == "Nguyễn Văn Quản"
    assert is_admin(user) and is_ministry(user)


def make_dry_run(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True)
    return result.stdout


def test_make_run_prints_its_own_address_on_the_demo_pdfs():
    commands = make_dry_run("run", "PORT=8011")
    assert "SITE_URL=http://127.0.0.1:8011 .venv/bin/python manage.py seed_demo" in commands
    assert "SITE_URL=http://127.0.0.1:8011 .venv/bin/python manage.py runserver 127.0.0.1:8011" in commands


def test_make_demo_reset_deletes_the_demo_database_and_files_but_not_the_venv_and_seeds_again():
    commands = make_dry_run("demo-reset")
    assert "rm -rf var/thidua.sqlite3 var/media\n" in commands
    assert ".venv" not in commands.split("rm -rf", 1)[1].splitlines()[0]
    assert commands.index("rm -rf") < commands.index("manage.py migrate") < commands.index("manage.py seed_demo")


def test_make_demo_reset_checks_that_no_database_is_configured_before_deleting_anything():
    commands = make_dry_run("demo-reset")
    assert commands.index('test -z "$DATABASE_URL"') < commands.index("rm -rf")


def operators_part() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Putting it into service")
    return readme[start : readme.index("\n## ", start + 1)]


def test_every_manage_py_command_the_operators_part_gives_exists():
    from django.core.management import get_commands

    named = set(re.findall(r"manage\.py (\w+)", operators_part()))
    assert {"createsuperuser", "grant_role", "migrate", "collectstatic", "db_grant_app_role"} <= named
    assert named <= get_commands().keys()


def test_every_make_target_and_file_the_operators_part_names_exists():
    part = operators_part()
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in set(re.findall(r"`make ([\w-]+)", part)):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target
    for path in ("deploy/thidua.env.example", "tests/thidua/test_operator_commands.py", "tests/test_compose.py"):
        assert path in part and (ROOT / path).exists(), path
