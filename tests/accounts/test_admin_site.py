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
def test_ministry_staff_manage_units_but_not_accounts(client, ministry_user):
    client.force_login(ministry_user)
    assert client.get(reverse("admin:regions_unit_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["region", "leader", "no_role"])
def test_other_roles_are_kept_out_of_the_admin(client, request, role):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    response = client.get(reverse("admin:regions_unit_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
