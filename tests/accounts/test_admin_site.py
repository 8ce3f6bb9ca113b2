import pytest
from django.urls import reverse


def test_the_admin_login_goes_to_the_portal_login(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_administrators_manage_accounts_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:regions_unit_changelist")).status_code == 200


@pytest.mark.django_db
def test_ministry_staff_are_refused_the_admin_which_is_for_it_staff(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1
    for name in ["regions_unit", "accounts_user", "pacts_pact", "awards_awardregistration"]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code in (302, 403), name


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["region", "leader", "no_role"])
def test_other_roles_are_kept_out_of_the_admin(client, request, role):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    response = client.get(reverse("admin:regions_unit_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


ADMIN_PAGES = {
    name: reverse(f"admin:{name}_changelist")
    for name in [
        "accounts_user",
        "auth_group",
        "regions_unit",
        "regions_region",
        "regions_regionmembership",
        "regions_appointment",
        "pacts_campaign",
        "pacts_pact",
        "pacts_pactsignature",
        "pacts_auditevent",
        "pacts_pdfjob",
        "awards_awardregistration",
    ]
}


def _pages_on_the_index(client, user) -> set[str]:
    client.force_login(user)
    body = client.get(reverse("admin:index")).content.decode()
    return {name for name, url in ADMIN_PAGES.items() if f'href="{url}"' in body}


@pytest.mark.django_db
def test_administrators_see_every_page_on_the_admin_index(client, admin_user):
    assert _pages_on_the_index(client, admin_user) == set(ADMIN_PAGES)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["ministry", "region", "leader", "no_role"])
def test_a_logged_in_person_without_an_admin_role_is_refused_not_sent_round_in_circles(client, request, role):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1


@pytest.mark.django_db
def test_the_role_groups_can_be_seen_but_not_renamed_added_or_deleted(client, admin_user):
    from django.contrib.auth.models import Group

    client.force_login(admin_user)
    group = Group.objects.get(name="leader")
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 200
    assert client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": "x"}).status_code == 403
    assert client.post(reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:auth_group_add")).status_code == 403
    changelist = client.post(
        reverse("admin:auth_group_changelist"), {"action": "delete_selected", "_selected_action": [group.pk]}
    )
    assert changelist.status_code in (200, 302, 403)
    assert Group.objects.filter(name="leader").exists()
