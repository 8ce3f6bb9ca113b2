"""Liveness (/healthz) answers whatever the dependencies do; readiness (/readyz) reports each of them and
answers 503 only when the web node cannot serve pages (database, storage, static manifest), not for the broker."""

import json

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

from tests.conftest import require


@pytest.fixture
def database_down(monkeypatch):
    def refuse(self):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def production_static(settings, tmp_path):
    """The manifest storage of production, over an empty STATIC_ROOT: each test writes what it needs."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    return settings.STATIC_ROOT


def write_manifest(static_root, paths: dict[str, str]) -> None:
    for hashed in paths.values():
        (static_root / hashed).parent.mkdir(parents=True, exist_ok=True)
        (static_root / hashed).write_text("/* css */")
    (static_root / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1", "hash": "x"}))


# ---------------------------------------------------------------------------------------------
# Liveness
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_liveness_answers_200_with_the_database_unreachable(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_liveness_answers_200_with_redis_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert client.get("/healthz").status_code == 200


def test_liveness_rejects_post(client):
    assert client.post("/healthz").status_code == 405


# ---------------------------------------------------------------------------------------------
# Readiness
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_readiness_reports_every_dependency_without_redis(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "skipped", "storage": "ok", "static": "skipped"},
    }


@pytest.mark.django_db
def test_readiness_pings_redis_when_configured(client, settings):
    require(bool(settings.REDIS_URL), "REDIS_URL is not set")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["checks"]["broker"] == "ok"


@pytest.mark.django_db
def test_readiness_answers_503_when_the_database_fails(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["database"] == "error: OperationalError"
    assert response.json()["checks"]["storage"] == "ok"


@pytest.mark.django_db
def test_readiness_stays_200_and_reports_the_broker_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["broker"].startswith("error")
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readiness_answers_503_when_the_storage_is_not_writable(client, settings, tmp_path):
    # A path under a regular file cannot be created, even by root (who ignores permission bits).
    (tmp_path / "not-a-directory").write_text("")
    settings.MEDIA_ROOT = tmp_path / "not-a-directory" / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"].startswith("error")


@pytest.mark.django_db
def test_the_storage_probe_leaves_no_file_behind(client, media):
    assert client.get("/readyz").status_code == 200
    assert [path for path in media.rglob("*") if path.is_file()] == []


@pytest.mark.django_db
def test_readiness_answers_503_when_the_static_manifest_is_missing_in_production(client, production_static):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["static"] == "error: FileNotFoundError"


@pytest.mark.django_db
def test_readiness_answers_503_when_the_manifest_does_not_name_bootstrap(client, production_static):
    write_manifest(production_static, {"css/thidua.css": "css/thidua.0123456789ab.css"})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["static"] == "error: LookupError"


@pytest.mark.django_db
def test_readiness_accepts_a_manifest_that_names_bootstrap_in_production(client, production_static):
    write_manifest(production_static, {"bootstrap/css/bootstrap.min.css": "bootstrap/css/bootstrap.min.0123abcd.css"})
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["static"] == "ok"


@pytest.mark.django_db
def test_without_collectstatic_pages_still_render_in_production_while_readiness_fails(
    client, settings, production_static, caplog
):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "thidua.static_storage.ForgivingManifestStaticFilesStorage"},
    }
    page = client.get("/accounts/login/", secure=True)
    assert page.status_code == 200
    assert 'href="/static/bootstrap/css/bootstrap.min.css"' in page.content.decode()
    assert "is not in the manifest: run `manage.py collectstatic`" in caplog.text
    assert client.get("/readyz").status_code == 503


@pytest.mark.django_db
def test_with_the_manifest_pages_link_the_hashed_static_files(client, settings, production_static):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "thidua.static_storage.ForgivingManifestStaticFilesStorage"},
    }
    write_manifest(production_static, {"bootstrap/css/bootstrap.min.css": "bootstrap/css/bootstrap.min.0123abcd.css"})
    page = client.get("/accounts/login/", secure=True)
    assert 'href="/static/bootstrap/css/bootstrap.min.0123abcd.css"' in page.content.decode()


@pytest.mark.django_db
def test_with_the_manifest_a_name_it_does_not_hold_is_not_reported_as_a_missed_collectstatic(
    client, settings, production_static, caplog
):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "thidua.static_storage.ForgivingManifestStaticFilesStorage"},
    }
    write_manifest(production_static, {"bootstrap/css/bootstrap.min.css": "bootstrap/css/bootstrap.min.0123abcd.css"})
    client.get("/accounts/login/", secure=True)  # its other static files are not in this small manifest
    assert "run `manage.py collectstatic`" not in caplog.text


def test_readiness_rejects_post(client):
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_both_endpoints_answer_plain_http_while_production_redirects_pages_to_https(client, settings):
    from tests.thidua.test_settings import PRODUCTION, _setting

    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = json.loads(
        _setting("__import__('json').dumps(settings.SECURE_REDIRECT_EXEMPT)", **PRODUCTION)
    )
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
