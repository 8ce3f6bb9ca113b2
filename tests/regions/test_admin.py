"""Who leads a unit, and which units a region holds each year, decide who may sign: in the Django admin
they are read-only, so every change goes through regions.services with its rules."""

from datetime import date

import pytest
from django.urls import reverse

from regions import services
from regions.models import Appointment, RegionMembership
from tests.factories import UserFactory
from tests.regions.factories import make_region, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster():
    region = make_region("Khu vực thi đua quản trị")
    unit = make_unit("Sở Tư pháp tỉnh Quản Trị", active_from=date(2000, 1, 1))
    leader = UserFactory(username="giamdoc.quantri", unit=unit)
    appointment = services.appointment_start(
        unit=unit, full_name="Nguyễn Văn Giám", position="Giám đốc", start=date(2015, 1, 1), user=leader
    )
    membership = services.membership_add(region=region, unit=unit, year=2026, role=RegionMembership.Role.HEAD)
    return appointment, membership


def test_an_appointment_cannot_be_handed_to_another_account_in_the_admin(client, admin_user, roster):
    appointment, _ = roster
    client.force_login(admin_user)
    url = reverse("admin:regions_appointment_change", args=[appointment.pk])
    assert b'name="_save"' not in client.get(url).content
    response = client.post(url, {"full_name": "Kẻ Mạo Danh", "user": admin_user.pk, "kind": "head"})
    assert response.status_code == 403
    assert Appointment.objects.get(pk=appointment.pk).full_name == "Nguyễn Văn Giám"
    assert client.post(reverse("admin:regions_appointment_add"), {}).status_code == 403


def test_a_roster_row_cannot_be_changed_or_deleted_in_the_admin(client, admin_user, roster):
    _, membership = roster
    client.force_login(admin_user)
    change = reverse("admin:regions_regionmembership_change", args=[membership.pk])
    assert client.post(change, {"role": "member", "year": 2026}).status_code == 403
    delete = reverse("admin:regions_regionmembership_delete", args=[membership.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert RegionMembership.objects.get(pk=membership.pk).role == RegionMembership.Role.HEAD


def test_a_unit_cannot_be_renamed_in_the_admin(client, admin_user, roster):
    appointment, _ = roster
    client.force_login(admin_user)
    url = reverse("admin:regions_unit_change", args=[appointment.unit_id])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "Tên mới không có lịch sử"}).status_code == 403


def test_the_user_forms_unit_search_offers_active_units_labelled_with_province_and_dates(client, admin_user):
    from django.conf import settings

    from regions.models import Province

    province = Province.objects.create(code="test-qt", name="tỉnh Quảng Trị")
    name = "Sở Tư pháp tỉnh Quảng Trị"
    ended = make_unit(name, province=province, active_to=date(2025, 6, 30))
    current = make_unit(name, province=province, active_from=date(2025, 7, 1))
    client.force_login(admin_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    params = {"app_label": "accounts", "model_name": "user", "field_name": "unit", "term": "Quảng Trị"}
    results = client.get(reverse("admin:autocomplete"), params).json()["results"]
    assert results == [{"id": str(current.pk), "text": f"{name} (tỉnh Quảng Trị, from 01/07/2025)"}]
    # An account bound to the unit that ended shows it with its end date, never as a bare name.
    account = UserFactory(username="bi.rang.buoc", unit=ended)
    page = client.get(reverse("admin:accounts_user_change", args=[account.pk])).content.decode()
    assert f"{name} (tỉnh Quảng Trị, until 30/06/2025)" in page
