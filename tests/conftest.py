"""Shared fixtures: users for each role, and services that CI must have."""

import importlib
import os

import pytest
from django.conf import settings

from accounts.models import Role
from tests.factories import PASSWORD, UserFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skips a test whose service is missing on a developer's machine; in CI, fails it."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI needs this and it is missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _eager_celery_and_quiet_locale(settings):
    """Unit tests run tasks in-process; the worker integration test turns this off for itself."""
    from thidua.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    settings.LANGUAGE_CODE = "vi"
    # A fast hasher: tests log in hundreds of times; production keeps PBKDF2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no throttle counted: the cache (Redis with REDIS_URL) outlives tests and runs; and
    with no ranking page kept in this process's memory."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["worker"].clear()


@pytest.fixture(scope="session", autouse=True)
def _flush_past_the_evidence_guards():
    """TEST ONLY. Transactional tests (``transaction=True``) empty every table after themselves with
    TRUNCATE, which the evidence tables' triggers refuse (pacts/migrations/0005). The flush runs in one
    transaction: there, and only there, ``session_replication_role = replica`` stops the triggers. Only a
    superuser may set it (the tests connect as one); the application's role cannot, so production keeps
    its guards."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET LOCAL session_replication_role = replica;", *statements] if statements else statements

    DatabaseOperations.sql_flush = sql_flush
    yield
    DatabaseOperations.sql_flush = original


@pytest.fixture
def password() -> str:
    return PASSWORD


def _user(role: Role | None, **kwargs):
    return UserFactory(roles=[role] if role else [], **kwargs)


@pytest.fixture
def ministry_user(db):
    return _user(Role.MINISTRY, username="bo.chuyenvien", full_name="Trần Thị Minh Hằng")


@pytest.fixture
def region_user(db):
    return _user(Role.REGION, username="khuvuc.canbo", full_name="Lê Hoàng Nam")


@pytest.fixture
def leader_user(db):
    return _user(Role.LEADER, username="lanhdao.donvi", full_name="Mai Công Danh", position="Cục trưởng")


@pytest.fixture
def admin_user(db):
    return _user(Role.ADMIN, username="quantri.vien", full_name="Phạm Quốc Bảo")


@pytest.fixture
def no_role_user(db):
    return _user(None, username="chua.phanquyen", full_name="Đỗ Văn Chưa")


@pytest.fixture(params=["ministry", "region", "leader", "admin"])
def any_role_user(request, db):
    return request.getfixturevalue(f"{request.param}_user")


@pytest.fixture
def uses_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture
def reference_data(transactional_db) -> None:
    """The reference data the data migrations load (the provinces, the legal documents of the sector), which
    the flush after an earlier transactional test removed: loaded again by the migrations' own functions."""
    from django.apps import apps

    from legal.models import LegalDocument
    from regions.models import Province

    if not Province.objects.exists():
        importlib.import_module("regions.migrations.0002_load_provinces").load_provinces(apps, None)
    if not LegalDocument.objects.exists():
        importlib.import_module("legal.migrations.0002_seed_sector_documents").seed(apps, None)
