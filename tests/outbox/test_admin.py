"""The outbox in the admin: administrators read it, nobody changes it, and one-time links stay hidden."""

import pytest
from django.urls import reverse

from outbox.models import Email

pytestmark = pytest.mark.django_db


@pytest.fixture
def email() -> Email:
    return Email.objects.create(to="lanhdao@example.vn", subject="Giao ước", body="Mời ký: https://x/", kind="t")


def test_administrators_read_the_outbox(client, admin_user, email):
    client.force_login(admin_user)
    assert "lanhdao@example.vn" in client.get(reverse("admin:outbox_email_changelist")).content.decode()
    page = client.get(reverse("admin:outbox_email_change", args=[email.pk])).content.decode()
    assert "Mời ký: https://x/" in page
    assert 'name="_save"' not in page


def test_nobody_adds_changes_or_deletes_an_email(client, admin_user, email):
    client.force_login(admin_user)
    assert client.post(reverse("admin:outbox_email_add"), {}).status_code == 403
    change = client.post(reverse("admin:outbox_email_change", args=[email.pk]), {"to": "x@example.vn"})
    assert change.status_code == 403
    delete = client.post(reverse("admin:outbox_email_delete", args=[email.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert Email.objects.get(pk=email.pk).to == "lanhdao@example.vn"


def test_a_password_reset_link_is_not_shown(client, admin_user):
    secret = Email.objects.create(to="a@example.vn", subject="Mật khẩu", body="https://x/reset/a/", kind="t")
    Email.objects.filter(pk=secret.pk).update(secret=True)
    client.force_login(admin_user)
    page = client.get(reverse("admin:outbox_email_change", args=[secret.pk])).content.decode()
    assert "https://x/reset/a/" not in page


@pytest.mark.parametrize("role", ["ministry", "region", "leader"])
def test_other_roles_do_not_see_the_outbox(client, request, role, email):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    assert client.get(reverse("admin:outbox_email_changelist")).status_code in (302, 403)
