import pytest
from axes.models import AccessAttempt
from django.urls import reverse

LOGIN = reverse("accounts:login")
NEUTRAL_LOCKOUT = "tạm khóa 15 phút"
WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng"


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_it_shows_the_login_page_in_vietnamese(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert 'lang="vi"' in response.content.decode()
    assert "Đăng nhập" in response.content.decode()
    assert "Mật khẩu" in response.content.decode()


@pytest.mark.django_db
def test_it_logs_in_and_goes_home(client, leader_user, password):
    response = _login(client, leader_user.username, password)
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(leader_user.pk)


@pytest.mark.django_db
def test_it_follows_a_safe_next_and_ignores_another_host(client, leader_user, password):
    response = client.post(f"{LOGIN}?next=/accounts/profile/", {"username": leader_user.username, "password": password})
    assert response.url == "/accounts/profile/"
    client.logout()
    response = client.post(
        f"{LOGIN}?next=https://evil.example.com/", {"username": leader_user.username, "password": password}
    )
    assert response.url == reverse("home")


@pytest.mark.django_db
def test_a_wrong_password_and_an_unknown_user_get_the_same_message(client, leader_user):
    wrong = _login(client, leader_user.username, "not-the-password")
    unknown = _login(client, "khong.ton.tai", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert WRONG_CREDENTIALS in wrong.content.decode()
    assert WRONG_CREDENTIALS in unknown.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_disabled_account_gets_the_same_message(client, leader_user, password):
    leader_user.is_active = False
    leader_user.save()
    response = _login(client, leader_user.username, password)
    assert WRONG_CREDENTIALS in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_it_locks_a_username_from_one_address_after_five_failures(client, leader_user, password):
    for _ in range(4):
        assert _login(client, leader_user.username, "sai").status_code == 200
    locked = _login(client, leader_user.username, "sai")
    assert locked.status_code == 429
    assert NEUTRAL_LOCKOUT in locked.content.decode()
    # Even the right password is refused while locked.
    again = _login(client, leader_user.username, password)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lockout_does_not_reveal_whether_the_account_exists(client, leader_user):
    for _ in range(5):
        known = _login(client, leader_user.username, "sai")
        unknown = _login(client, "khong.ton.tai", "sai")
    assert known.status_code == unknown.status_code == 429
    assert known.content.decode().count(NEUTRAL_LOCKOUT) == unknown.content.decode().count(NEUTRAL_LOCKOUT) == 1


@pytest.mark.django_db
def test_the_lockout_is_per_address_so_others_still_log_in(client, leader_user, password):
    for _ in range(5):
        _login(client, leader_user.username, "sai")
    response = client.post(LOGIN, {"username": leader_user.username, "password": password}, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_lockout_ends_after_fifteen_minutes(client, leader_user, password):
    from datetime import timedelta

    from django.utils import timezone

    for _ in range(5):
        _login(client, leader_user.username, "sai")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _login(client, leader_user.username, password).status_code == 302


@pytest.mark.django_db
def test_a_successful_login_resets_the_failures(client, leader_user, password):
    for _ in range(4):
        _login(client, leader_user.username, "sai")
    assert _login(client, leader_user.username, password).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, leader_user.username, "sai").status_code == 200


@pytest.mark.django_db
def test_a_logged_in_user_is_sent_home(client, leader_user):
    client.force_login(leader_user)
    assert client.get(LOGIN).url == reverse("home")
