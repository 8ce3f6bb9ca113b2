import pytest
from django.urls import reverse

URL = reverse("accounts:password_change")


def test_it_requires_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.django_db
def test_it_works_for_every_role(client, any_role_user, password):
    client.force_login(any_role_user)
    assert "Mật khẩu cũ" in client.get(URL).content.decode()
    response = client.post(
        URL, {"old_password": password, "new_password1": "Giao-uoc-2027!", "new_password2": "Giao-uoc-2027!"}
    )
    assert response.url == reverse("accounts:password_change_done")
    any_role_user.refresh_from_db()
    assert any_role_user.check_password("Giao-uoc-2027!")
    assert "Đã đổi mật khẩu" in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_it_rejects_a_wrong_old_password_and_changes_nothing(client, leader_user, password):
    client.force_login(leader_user)
    response = client.post(
        URL, {"old_password": "sai", "new_password1": "Giao-uoc-2027!", "new_password2": "Giao-uoc-2027!"}
    )
    assert response.status_code == 200
    assert "Mật khẩu cũ không đúng" in response.content.decode()
    leader_user.refresh_from_db()
    assert leader_user.check_password(password)


@pytest.mark.django_db
def test_it_rejects_a_weak_new_password(client, leader_user, password):
    client.force_login(leader_user)
    response = client.post(URL, {"old_password": password, "new_password1": "12345", "new_password2": "12345"})
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự" in response.content.decode()
    leader_user.refresh_from_db()
    assert leader_user.check_password(password)
