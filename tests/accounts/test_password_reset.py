import re

import pytest
from django.core import mail
from django.urls import reverse
from kombu.exceptions import OperationalError

from outbox.models import Email
from outbox.tasks import send_email

URL = reverse("accounts:password_reset")


@pytest.mark.django_db
def test_it_mails_a_vietnamese_link_that_sets_a_new_password(client, leader_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"email": leader_user.email})
    assert response.url == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [leader_user.email]
    assert "mật khẩu" in message.subject.lower()
    assert f"Kính gửi đồng chí {leader_user.full_name}" in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert "Mật khẩu mới" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": "Giao-uoc-2027!", "new_password2": "Giao-uoc-2027!"})
    assert done.url == reverse("accounts:password_reset_complete")
    leader_user.refresh_from_db()
    assert leader_user.check_password("Giao-uoc-2027!")


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"email": "ai.do@example.vn"})
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []
    assert not Email.objects.exists()


@pytest.mark.django_db
def test_a_malformed_address_is_refused_in_vietnamese(client):
    response = client.post(URL, {"email": "khong-phai-email"})
    assert response.status_code == 200
    assert "Hãy nhập một địa chỉ e-mail hợp lệ" in response.content.decode()
    assert not Email.objects.exists()


@pytest.mark.django_db
def test_a_used_or_forged_link_is_refused(client, leader_user):
    response = client.get("/accounts/password/reset/MQ/sai-ma/", follow=True)
    assert "không còn hiệu lực" in response.content.decode()


@pytest.mark.django_db
def test_the_reset_mail_goes_through_the_outbox_and_its_link_is_erased_once_sent(
    client, leader_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"email": leader_user.email})
    email = Email.objects.get(kind="accounts.password_reset")
    assert (email.to, email.reference, email.secret) == (leader_user.email, {"user": leader_user.pk}, True)
    assert email.status == Email.Status.SENT
    assert email.body == ""
    assert "/accounts/password/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_with_the_broker_down_the_reset_is_answered_and_its_mail_waits(
    client, leader_user, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis. Connection refused.")

    monkeypatch.setattr(send_email, "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"email": leader_user.email})
    assert response.url == reverse("accounts:password_reset_done")
    assert mail.outbox == []
    email = Email.objects.get(kind="accounts.password_reset")
    assert email.status == Email.Status.PENDING
    assert "/accounts/password/reset/" in email.body
