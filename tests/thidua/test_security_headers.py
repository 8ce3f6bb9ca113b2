"""The Content-Security-Policy and Permissions-Policy on the portal's pages, templates the policy lets work
(no inline script, event handler or style), and the flags of every cookie the portal sets in production."""

import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts.reauth import SESSION_KEY
from core.headers import DocumentCSPMiddleware, PermissionsPolicyMiddleware
from tests.factories import PASSWORD

BASE = Path(settings.BASE_DIR)
# Templates WeasyPrint turns into PDFs: never sent to a browser, so their <style> blocks are no concern.
PDF_TEMPLATES = ("/templates/pacts/pdf/", "/templates/reports/pdf/")


def _policy(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: value for name, value in directives}


PAGES = [
    ("log-in page", None, lambda: reverse("accounts:login")),
    ("password reset form", None, lambda: reverse("accounts:password_reset")),
    ("verify page", None, lambda: reverse("pacts:verify", args=["khong-co-ma-nay"])),
    ("home", "leader_user", lambda: reverse("home")),
    ("unit list", "ministry_user", lambda: reverse("regions:unit_list")),
    ("unit form", "ministry_user", lambda: reverse("regions:unit_create")),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "user", "address"), PAGES, ids=[page[0] for page in PAGES])
def test_every_kind_of_page_carries_the_content_security_policy_and_permissions_policy(
    client, request, kind, user, address
):
    if user:
        client.force_login(request.getfixturevalue(user))
    response = client.get(address())
    assert response.status_code in (200, 404), kind
    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions


def test_a_pdf_is_left_without_a_content_security_policy_that_would_blank_the_browsers_viewer():
    def pdf(_request):
        return HttpResponse(b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")

    def page(_request):
        return HttpResponse("<p>ok</p>")

    request = RequestFactory().get("/")
    assert "Content-Security-Policy" not in DocumentCSPMiddleware(pdf)(request)
    assert "Content-Security-Policy" in DocumentCSPMiddleware(page)(request)
    assert "Permissions-Policy" in PermissionsPolicyMiddleware(pdf)(request)


def _template_files() -> list[Path]:
    files = [
        path
        for path in BASE.glob("**/templates/**/*.html")
        if ".venv" not in path.parts and "var" not in path.relative_to(BASE).parts[:1]
    ]
    assert len(files) > 50  # the glob found the portal's templates
    return files


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_BLOCK = re.compile(r"<style\b", re.IGNORECASE)


def test_no_template_holds_an_inline_script_event_handler_or_style_the_policy_would_refuse():
    found = []
    for path in _template_files():
        text = path.read_text(encoding="utf-8")
        patterns = [INLINE_SCRIPT, EVENT_HANDLER, SCRIPT_URL, STYLE_ATTRIBUTE]
        if not any(part in path.as_posix() for part in PDF_TEMPLATES):
            patterns.append(STYLE_BLOCK)
        for pattern in patterns:
            found += [f"{path.relative_to(BASE)}: {match.group(0)[:80]}" for match in pattern.finditer(text)]
    assert not found, "\n".join(found)


@pytest.mark.django_db
def test_every_cookie_the_portal_sets_in_production_is_secure_httponly_and_same_site(client, settings, leader_user):
    # The production values (tests/thidua/test_settings.py checks that production mode sets them).
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = settings.LANGUAGE_COOKIE_SECURE = True
    cookies = {}

    def keep(response):
        cookies.update({name: morsel for name, morsel in response.cookies.items() if morsel.value})
        return response

    keep(client.get(reverse("accounts:login")))  # the CSRF cookie
    keep(client.post(reverse("accounts:login"), {"username": leader_user.username, "password": PASSWORD}))
    session = client.session
    session[SESSION_KEY] = int(time.time())
    session.save()
    # A saved profile leaves a message for the next page: the messages cookie.
    keep(client.post(reverse("accounts:profile_edit"), {"email": "lanhdao@moj.gov.vn"}))
    keep(client.post(reverse("set_language"), {"language": "en", "next": "/"}))

    expected = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME, "messages"}
    assert expected <= set(cookies)
    weak = {
        name: str(morsel)
        for name, morsel in cookies.items()
        if not (morsel["secure"] and morsel["httponly"] and morsel["samesite"] == "Lax")
    }
    assert not weak, weak
