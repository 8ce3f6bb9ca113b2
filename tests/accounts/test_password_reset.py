import re

import pytest
from django.core import mail
from django.urls import reverse

URL = reverse("accounts:password_reset")


@pytest.mark.django_db
def test_it_mails_a_vietnamese_link_that_sets_a_new_password(client, leader_user):
    response = client.post(URL, {"email": leader_user.email})
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [leader_user.email]
    assert "mật khẩu" in message.subject.lower()
    assert f"Kính gửi {leader_user.full_name}" in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Mật khẩu mới" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Giao-uoc-2027!", "new_password2": "Giao-uoc-2027!"})
    assert done.url == reverse("accounts:password_reset_complete")
    leader_user.refresh_from_db()
    assert leader_user.check_password("Giao-uoc-2027!")


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_mail(client):
    response = client.post(URL, {"email": "ai.do@example.vn"})
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_malformed_address_is_refused_in_vietnamese(client):
    response = client.post(URL, {"email": "khong-phai-email"})
    assert response.status_code == 200
    assert "Hãy nhập một địa chỉ e-mail hợp lệ" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_used_or_forged_link_is_refused(client, leader_user):
    response = client.get("/accounts/password/reset/MQ/sai-ma/", follow=True)
    assert "không còn hiệu lực" in response.content.decode()
