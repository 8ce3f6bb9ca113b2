import pytest
from django.test import RequestFactory
from django.views import defaults


@pytest.mark.django_db
def test_a_missing_page_answers_in_vietnamese(client, leader_user):
    client.force_login(leader_user)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
def test_a_forbidden_page_answers_in_vietnamese(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get("/admin/accounts/user/", follow=True)  # the admin log-in refuses a logged-in person
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.content.decode()


def test_a_server_error_answers_in_vietnamese_without_details():
    response = defaults.server_error(RequestFactory().get("/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "Đã xảy ra lỗi hệ thống" in body
    assert "Traceback" not in body


@pytest.mark.django_db
def test_a_stale_form_answers_in_vietnamese(leader_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Biểu mẫu đã hết hạn" in response.content.decode()
