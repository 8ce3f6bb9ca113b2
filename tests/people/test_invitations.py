"""The invitation link: sets the password once, with the validators; expires; dies on reuse and on resend."""

from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import AccountEvent, Invitation, User
from outbox.models import Email

from .helpers import as_user, invitation_links

GOOD = "Giao-uoc-thi-dua-2027!"


@pytest.fixture
def invited(client, ministry_user, db):
    from tests.factories import UnitFactory

    as_user(client, ministry_user)
    client.post(
        reverse("people:person_create"),
        {
            "full_name": "Đặng Quốc Việt",
            "username": "viet.dq",
            "email": "viet@example.vn",
            "unit": UnitFactory().pk,
            "roles": ["leader"],
        },
    )
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return User.objects.get(username="viet.dq")


def _accept(client, link: str, password: str = GOOD):
    form_page = client.get(link, follow=True)
    return form_page, client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )


@pytest.mark.django_db
def test_the_link_sets_the_password_logs_in_and_says_what_comes_next(client, invited):
    (link,) = invitation_links(invited)
    form_page = client.get(link)
    assert form_page.status_code == 302
    assert "set-password" in form_page.url  # the token leaves the address bar
    page = client.get(form_page.url)
    assert "viet.dq" in page.content.decode()
    response = client.post(form_page.url, {"new_password1": GOOD, "new_password2": GOOD})
    assert response.url == reverse("accounts:invitation_welcome")
    invited.refresh_from_db()
    assert invited.check_password(GOOD)
    assert Invitation.objects.get(user=invited).accepted_at is not None
    assert AccountEvent.objects.filter(user=invited, action="invitation_accepted").exists()
    welcome = client.get(response.url).content.decode()
    assert "Unit leader" in welcome
    assert "appointment" in welcome


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [("ngan", "This password is too short"), ("1234567890123", "entirely numeric"), ("password123", "too common")],
)
def test_the_password_validators_are_enforced(client, invited, password, message):
    (link,) = invitation_links(invited)
    _page, response = _accept(client, link, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    invited.refresh_from_db()
    assert not invited.has_usable_password()


@pytest.mark.django_db
def test_a_used_link_does_not_work_again(client, invited):
    (link,) = invitation_links(invited)
    _accept(client, link)
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(link)
    assert response.status_code == 410
    assert "accepted already" in response.content.decode()
    invited.refresh_from_db()
    assert invited.check_password(GOOD)


@pytest.mark.django_db
def test_an_expired_link_says_so_and_whom_to_ask(client, invited, ministry_user):
    (link,) = invitation_links(invited)
    later = datetime.now() + timedelta(days=settings.INVITATION_DAYS, minutes=1)  # noqa: DTZ005 - naive, as in tokens
    with mock.patch("accounts.invitations.InvitationTokenGenerator._now", return_value=later):
        response = client.get(link)
    assert response.status_code == 410
    body = response.content.decode()
    assert "expired" in body
    assert ministry_user.full_name in body and ministry_user.email in body


@pytest.mark.django_db
def test_a_forged_link_is_refused(client, invited):
    (link,) = invitation_links(invited)
    response = client.get(link[:-3] + "00/")
    assert response.status_code == 404
    assert "no longer valid" in response.content.decode()
    assert client.get("/accounts/invitation/zzz/abc-def/").status_code == 404
    assert client.get(f"/accounts/invitation/{link.split('/')[3]}/set-password/").status_code == 404


@pytest.mark.django_db
def test_resending_mails_a_new_link_and_kills_the_old_one(client, invited, ministry_user):
    (old,) = invitation_links(invited)
    as_user(client, ministry_user)
    response = client.post(reverse("people:person_invite", args=[invited.pk]))
    assert response.url == reverse("people:person_detail", args=[invited.pk])
    assert Invitation.objects.get(user=invited).times_sent == 2
    old_again, new = invitation_links(invited)
    assert old_again == old and new != old
    client.logout()
    assert client.get(old).status_code == 404
    _page, accepted = _accept(client, new)
    assert accepted.url == reverse("accounts:invitation_welcome")


@pytest.mark.django_db
def test_resends_are_throttled(client, invited, ministry_user):
    as_user(client, ministry_user)
    limit, _window = settings.INVITATION_RESENDS_PER_ACCOUNT
    for _ in range(limit):
        assert client.post(reverse("people:person_invite", args=[invited.pk])).status_code == 302
    response = client.post(reverse("people:person_invite", args=[invited.pk]))
    assert response.status_code == 429
    assert Email.objects.filter(kind="accounts.invitation").count() == 1 + limit


@pytest.mark.django_db
def test_an_accepted_invitation_is_not_sent_again(client, invited, ministry_user):
    (link,) = invitation_links(invited)
    _accept(client, link)
    as_user(client, ministry_user)
    client.post(reverse("people:person_invite", args=[invited.pk]))
    assert Email.objects.filter(kind="accounts.invitation").count() == 1


@pytest.mark.django_db
def test_a_deactivated_account_cannot_accept(client, invited):
    (link,) = invitation_links(invited)
    invited.is_active = False
    invited.save()
    assert client.get(link).status_code == 404


@pytest.mark.django_db
def test_resend_needs_a_post(client, invited, ministry_user):
    as_user(client, ministry_user)
    assert client.get(reverse("people:person_invite", args=[invited.pk])).status_code == 405
