"""Every page of the people area: visitors go to log in, leaders and region officers are refused, ministry staff
and administrators are let in; ministry staff cannot touch an administrator's account."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

from .helpers import as_user


def _pages(pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("people:person_list")),
        ("get", reverse("people:person_create")),
        ("get", reverse("people:person_detail", args=[pk])),
        ("get", reverse("people:person_edit", args=[pk])),
        ("get", reverse("people:person_deactivate", args=[pk])),
        ("get", reverse("people:person_reactivate", args=[pk])),
        ("post", reverse("people:person_invite", args=[pk])),
    ]


@pytest.mark.django_db
def test_a_visitor_is_sent_to_log_in(client):
    other = UserFactory(roles=["leader"])
    for method, url in _pages(other.pk):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["leader", "region", "no_role"])
def test_leaders_region_officers_and_role_less_accounts_are_refused(client, request, role):
    user = request.getfixturevalue(f"{role}_user")
    other = UserFactory(roles=["leader"])
    as_user(client, user)
    for method, url in _pages(other.pk):
        assert getattr(client, method)(url).status_code == 403, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["ministry", "admin"])
def test_ministry_staff_and_administrators_open_every_page(client, request, role):
    user = request.getfixturevalue(f"{role}_user")
    other = UserFactory(roles=["leader"])
    as_user(client, user)
    for method, url in _pages(other.pk)[:5]:
        assert getattr(client, method)(url).status_code == 200, url


@pytest.mark.django_db
def test_ministry_staff_see_an_administrators_account_but_cannot_change_it(client, ministry_user, admin_user):
    as_user(client, ministry_user)
    page = client.get(reverse("people:person_detail", args=[admin_user.pk]))
    assert page.status_code == 200
    assert reverse("people:person_edit", args=[admin_user.pk]) not in page.content.decode()
    for method, url in _pages(admin_user.pk)[3:]:
        assert getattr(client, method)(url).status_code == 403, url


@pytest.mark.django_db
def test_a_missing_account_is_404(client, ministry_user):
    as_user(client, ministry_user)
    assert client.get(reverse("people:person_detail", args=[987654])).status_code == 404
    assert client.get(reverse("people:person_edit", args=[987654])).status_code == 404


@pytest.mark.django_db
def test_changing_pages_ask_for_the_password_again_after_a_while(client, ministry_user):
    other = UserFactory(roles=["leader"])
    as_user(client, ministry_user, reauthenticated=False)
    for url in (reverse("people:person_create"), reverse("people:person_edit", args=[other.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:confirm_password"))


@pytest.mark.django_db
def test_the_menu_shows_people_to_ministry_staff_and_administrators_only(
    client, ministry_user, admin_user, leader_user
):
    url = reverse("people:person_list")
    for user, shown in ((ministry_user, True), (admin_user, True), (leader_user, False)):
        as_user(client, user)
        assert (f'href="{url}"' in client.get(reverse("home")).content.decode()) is shown
