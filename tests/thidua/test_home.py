import pytest
from django.urls import reverse

from regions.models import Unit
from tests.factories import UnitFactory

HOME = reverse("home")


def test_it_sends_visitors_to_the_login_page(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next=/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "heading", "absent"),
    [
        ("ministry", "Cán bộ Bộ", "Quản trị viên"),
        ("region", "Cán bộ khu vực thi đua", "Cán bộ Bộ"),
        ("leader", "Lãnh đạo đơn vị", "Cán bộ Bộ"),
        ("admin", "Quản trị viên", "Lãnh đạo đơn vị"),
    ],
)
def test_each_role_sees_its_own_panel(client, request, role, heading, absent):
    user = request.getfixturevalue(f"{role}_user")
    client.force_login(user)
    body = client.get(HOME).content.decode()
    assert f'id="panel-{role}">{heading}</h2>' in body
    assert f">{absent}</h2>" not in body
    assert user.full_name in body


@pytest.mark.django_db
def test_the_navigation_shows_the_admin_only_to_those_who_may_use_it(client, leader_user, ministry_user, admin_user):
    for user in (leader_user, ministry_user):
        client.force_login(user)
        assert reverse("admin:index") not in client.get(HOME).content.decode()
    client.force_login(admin_user)
    assert reverse("admin:index") in client.get(HOME).content.decode()


@pytest.mark.django_db
def test_the_ministry_panel_counts_units_by_kind(client, ministry_user):
    UnitFactory.create_batch(3, kind=Unit.Kind.CUC_THADS)
    client.force_login(ministry_user)
    dashboard = client.get(HOME).context["dashboard"]
    counts = dict(dashboard["units_by_kind"])
    assert counts[Unit.Kind.CUC_THADS.label] == 3
    assert counts[Unit.Kind.SO_TU_PHAP.label] == 1  # the ministry user's own unit, from the factory


@pytest.mark.django_db
def test_an_account_without_a_role_is_told_so(client, no_role_user):
    client.force_login(no_role_user)
    assert "chưa được phân quyền" in client.get(HOME).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["ministry", "admin"])
def test_the_query_count_does_not_grow_with_the_data(client, request, role, django_assert_num_queries):
    client.force_login(request.getfixturevalue(f"{role}_user"))
    UnitFactory.create_batch(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    UnitFactory.create_batch(50)
    with django_assert_num_queries(len(few)):
        client.get(HOME)


@pytest.mark.django_db
def test_a_leader_sees_how_many_pacts_await_the_signature(client):
    from tests.pacts.factories import make_world

    world = make_world(2, prefix="home")
    client.force_login(world.leaders[1])
    body = client.get(HOME).content.decode()
    assert "1 giao ước đang chờ đồng chí ký." in body
    assert reverse("pacts:my_pacts") in body
