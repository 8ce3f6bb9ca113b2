"""The pages where a unit's leader signs a pact: the list of pacts to sign, the signing page, its receipt."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from pacts import services
from pacts.models import AuditEvent, Pact, PactSignature
from regions import services as region_services
from tests.pacts.factories import deputy_of, login, make_world

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (Windows NT 10.0) Chrome/120 Cốc Cốc"


def sign_url(world, n: int = 1) -> str:
    return reverse("pacts:pact_sign", args=[world.pact.pk, world.units[n].pk])


def post_sign(client, world, n: int = 1, *, consent: bool = True, content_hash: str | None = None):
    data = {"content_hash": world.pact.content_hash if content_hash is None else content_hash}
    if consent:
        data["consent"] = "on"
    return client.post(sign_url(world, n), data, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.1.2.3")


def body(response) -> str:
    return response.content.decode()


def audit_count(world, action: str) -> int:
    return AuditEvent.objects.filter(pact=world.pact, action=action).count()


def signatures(world) -> int:
    return PactSignature.objects.filter(pact=world.pact).count()


@pytest.fixture
def world():
    return make_world(3)


# ---------------------------------------------------------------------------------------------
# The signing page
# ---------------------------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(client, world):
    for url in (sign_url(world), reverse("pacts:my_pacts")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_a_stale_session_confirms_the_password_and_comes_back_to_the_page(client, world, password):
    login(client, world.leaders[1], fresh=False)
    response = client.get(sign_url(world))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:confirm_password"))
    confirmed = client.post(response.url, {"password": password, "next": sign_url(world)})
    assert confirmed.status_code == 302
    assert confirmed.url == sign_url(world)
    assert client.get(sign_url(world)).status_code == 200


def test_a_wrong_password_at_the_confirmation_leaves_no_signature(client, world):
    login(client, world.leaders[1], fresh=False)
    response = post_sign(client, world)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:confirm_password"))
    wrong = client.post(response.url, {"password": "sai-mat-khau", "next": sign_url(world)})
    assert wrong.status_code == 200
    assert post_sign(client, world).status_code == 302  # sent to confirm again
    assert signatures(world) == 0
    assert audit_count(world, "signed") == 0


def test_the_leader_sees_exactly_the_frozen_text_its_hash_and_how_they_will_sign(client, world):
    login(client, world.leaders[1])
    response = client.get(sign_url(world), HTTP_USER_AGENT=BROWSER)
    assert response.status_code == 200
    page = body(response)
    pact = Pact.objects.get(pk=world.pact.pk)
    assert escape(pact.content_text) in page
    assert pact.content_hash in page
    assert f'name="content_hash" value="{pact.content_hash}"' in page
    assert "Sở Tư pháp tỉnh Thử 1" in page
    assert "Nguyễn Văn Lãnh Đạo 1" in page and "Giám đốc" in page
    assert "Tôi đã đọc toàn bộ nội dung" in page
    assert 'id="sign-form"' in page
    viewed = AuditEvent.objects.get(pact=pact, action="viewed")
    assert (viewed.actor, viewed.unit, viewed.user_agent) == (world.leaders[1], world.units[1], BROWSER)


def test_the_leader_signs_and_gets_the_time_with_its_offset_and_the_hash(client, world):
    login(client, world.leaders[1])
    response = post_sign(client, world)
    done = reverse("pacts:pact_signed", args=[world.pact.pk, world.units[1].pk])
    assert response.status_code == 302 and response.url == done
    signature = PactSignature.objects.get(pact=world.pact, unit=world.units[1])
    assert signature.signer == world.leaders[1]
    assert signature.authority == ""
    assert signature.content_hash == world.pact.content_hash
    assert signature.ip_address == "10.1.2.3"
    assert signature.user_agent == BROWSER
    page = body(client.get(done))
    local = timezone.localtime(signature.signed_at)
    assert f"{local:%d/%m/%Y %H:%M:%S} +07:00" in page
    assert signature.content_hash in page
    assert "Sở Tư pháp tỉnh Thử 1 đã ký giao ước." in page
    assert audit_count(world, "signed") == 1


def test_a_deputy_signs_kt_for_the_head(client, world):
    deputy = deputy_of(world.units[2], "phogiamdoc.thu")
    login(client, deputy)
    page = body(client.get(sign_url(world, 2)))
    assert "KT." in page and "Phó Giám đốc" in page and "Trần Phó Giám Đốc" in page
    assert post_sign(client, world, 2).status_code == 302
    signature = PactSignature.objects.get(pact=world.pact, unit=world.units[2])
    assert (signature.authority, signature.signer_position) == ("KT.", "Phó Giám đốc")


def test_the_last_signature_executes_the_pact(client, world):
    for n in range(3):
        login(client, world.leaders[n])
        assert post_sign(client, world, n).status_code == 302
    assert Pact.objects.get(pk=world.pact.pk).status == Pact.Status.EXECUTED
    page = body(client.get(reverse("pacts:pact_signed", args=[world.pact.pk, world.units[2].pk])))
    assert "Tất cả đơn vị đã ký: giao ước đã hoàn tất ký kết." in page


def test_a_double_click_gives_one_signature_and_says_already_signed(client, world):
    login(client, world.leaders[1])
    first = post_sign(client, world)
    second = post_sign(client, world)
    assert first.status_code == 302
    assert second.status_code == 409
    page = body(second)
    assert "Sở Tư pháp tỉnh Thử 1 đã ký giao ước này." in page
    assert 'id="sign-form"' not in page
    assert signatures(world) == 1
    assert audit_count(world, "refused") == 1


def _make_former_leader(world) -> None:
    region_services.appointment_start(
        unit=world.units[1],
        full_name="Người Kế Nhiệm",
        position="Giám đốc",
        start=timezone.localdate() - timedelta(days=1),
    )


@pytest.mark.parametrize("who", ["other_unit", "former_leader", "ministry"])
def test_a_person_who_may_not_sign_sees_why_and_no_form(client, world, who, ministry_user):
    user = {"other_unit": world.leaders[2], "former_leader": world.leaders[1], "ministry": ministry_user}[who]
    if who == "former_leader":
        _make_former_leader(world)
    login(client, user)
    response = client.get(sign_url(world))
    assert response.status_code == 403
    page = body(response)
    assert "Chỉ người đang lãnh đạo Sở Tư pháp tỉnh Thử 1 vào ngày hôm nay mới được ký" in page
    assert 'id="sign-form"' not in page
    assert audit_count(world, "viewed") == 0


@pytest.mark.parametrize("who", ["other_unit", "former_leader"])
def test_a_refused_signature_by_a_party_changes_nothing_and_is_audited(client, world, who):
    """A leader of another unit of the pact, or a former leader still in the unit, is a party to the pact: the
    attempt belongs in its trail (a stranger's does not: test_audit_trail.py)."""
    user = {"other_unit": world.leaders[2], "former_leader": world.leaders[1]}[who]
    if who == "former_leader":
        _make_former_leader(world)
    login(client, user)
    response = post_sign(client, world)
    assert response.status_code == 403
    assert "Chỉ người đang lãnh đạo" in body(response)
    assert signatures(world) == 0
    refused = AuditEvent.objects.get(pact=world.pact, action="refused")
    assert (refused.actor, refused.unit, refused.ip_address) == (user, world.units[1], "10.1.2.3")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("after_deadline", "Đã quá hạn ký."),
        ("withdrawn", "Giao ước này đã bị thu hồi, không thể ký nữa."),
    ],
)
def test_after_the_deadline_or_on_a_withdrawn_pact_nobody_signs(client, world, case, message):
    if case == "after_deadline":
        Pact.objects.filter(pk=world.pact.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    else:
        services.pact_withdraw(pact=world.pact, reason="Bổ sung chỉ tiêu", actor=world.officer)
    login(client, world.leaders[1])
    shown = client.get(sign_url(world))
    assert shown.status_code == 403
    assert message in body(shown) and 'id="sign-form"' not in body(shown)
    refused = post_sign(client, world)
    assert refused.status_code == 403
    assert message in body(refused)
    assert signatures(world) == 0
    assert AuditEvent.objects.get(pact=world.pact, action="refused").detail == message


def test_without_the_consent_box_nothing_is_signed_and_the_form_says_why(client, world):
    login(client, world.leaders[1])
    response = post_sign(client, world, consent=False)
    assert response.status_code == 200
    page = body(response)
    assert "Hãy đánh dấu vào ô để xác nhận đã đọc và đồng ý với nội dung giao ước." in page
    assert 'id="sign-form"' in page
    assert signatures(world) == 0
    assert audit_count(world, "refused") == 1


def test_a_hash_other_than_the_pacts_signs_nothing(client, world):
    login(client, world.leaders[1])
    response = post_sign(client, world, content_hash="0" * 64)
    assert response.status_code == 200
    assert "Văn bản vừa hiển thị không phải là văn bản của giao ước này." in body(response)
    assert signatures(world) == 0
    assert audit_count(world, "refused") == 1


def test_an_unknown_pact_or_a_unit_that_is_not_a_party_is_not_found(client, world):
    login(client, world.leaders[1])
    assert client.get(reverse("pacts:pact_sign", args=[world.pact.pk + 1000, world.units[1].pk])).status_code == 404
    outsider = make_world(1, prefix="ngoai").units[0]
    assert client.get(reverse("pacts:pact_sign", args=[world.pact.pk, outsider.pk])).status_code == 404
    assert client.post(reverse("pacts:pact_sign", args=[world.pact.pk, outsider.pk])).status_code == 404


def test_other_methods_are_not_allowed(client, world):
    login(client, world.leaders[1])
    assert client.put(sign_url(world)).status_code == 405


def test_the_signing_page_issues_the_same_queries_for_200_units_as_for_10(client, django_assert_num_queries):
    small, large = make_world(10, prefix="a"), make_world(200, prefix="b")
    login(client, small.leaders[3])
    with CaptureQueriesContext(connection) as few:
        assert client.get(sign_url(small, 3)).status_code == 200
    login(client, large.leaders[150])
    with django_assert_num_queries(len(few)):
        assert client.get(sign_url(large, 150)).status_code == 200


# ---------------------------------------------------------------------------------------------
# The receipt
# ---------------------------------------------------------------------------------------------


def test_the_receipt_is_for_its_signer_and_those_who_see_the_pact(client, world, ministry_user):
    login(client, world.leaders[1])
    post_sign(client, world)
    done = reverse("pacts:pact_signed", args=[world.pact.pk, world.units[1].pk])
    client.force_login(ministry_user)
    assert client.get(done).status_code == 200
    stranger = make_world(1, prefix="khac").leaders[0]
    client.force_login(stranger)
    assert client.get(done).status_code == 403
    client.force_login(world.leaders[1])
    unsigned = reverse("pacts:pact_signed", args=[world.pact.pk, world.units[2].pk])
    assert client.get(unsigned).status_code == 404


# ---------------------------------------------------------------------------------------------
# Pacts to sign
# ---------------------------------------------------------------------------------------------


def test_a_leader_sees_the_pact_awaiting_their_signature_with_its_deadline(client, world):
    client.force_login(world.leaders[1])
    response = client.get(reverse("pacts:my_pacts"))
    assert response.status_code == 200
    page = body(response)
    assert f'href="{sign_url(world)}"' in page
    assert timezone.localtime(world.pact.deadline).strftime("%d/%m/%Y %H:%M") in page
    assert "Sở Tư pháp tỉnh Thử 1" in page
    assert f'href="{sign_url(world, 2)}"' not in page


def test_a_signed_pact_moves_to_the_recent_signatures(client, world):
    login(client, world.leaders[1])
    post_sign(client, world)
    page = body(client.get(reverse("pacts:my_pacts")))
    assert f'href="{sign_url(world)}"' not in page
    assert 'id="nothing-to-sign"' in page
    assert reverse("pacts:pact_signed", args=[world.pact.pk, world.units[1].pk]) in page
    assert "+07:00" in page


def test_a_deputy_sees_the_pact_of_their_unit_and_signs_it_kt(client, world):
    deputy = deputy_of(world.units[2], "phogiamdoc.hai")
    client.force_login(deputy)
    page = body(client.get(reverse("pacts:my_pacts")))
    assert sign_url(world, 2) in page
    assert "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC" in page  # pacts/titles.py


def test_a_former_leader_no_longer_sees_the_pact(client, world):
    _make_former_leader(world)
    client.force_login(world.leaders[1])
    assert f'href="{sign_url(world)}"' not in body(client.get(reverse("pacts:my_pacts")))


def test_a_pact_past_its_deadline_is_listed_without_a_sign_button(client, world):
    Pact.objects.filter(pk=world.pact.pk).update(deadline=timezone.now() - timedelta(hours=1))
    client.force_login(world.leaders[1])
    page = body(client.get(reverse("pacts:my_pacts")))
    assert "Đã quá hạn" in page
    assert f'href="{sign_url(world)}"' not in page


def test_every_role_may_open_the_list_even_when_it_is_empty(client, any_role_user):
    client.force_login(any_role_user)
    response = client.get(reverse("pacts:my_pacts"))
    assert response.status_code == 200
    assert 'id="nothing-to-sign"' in body(response)


@pytest.mark.django_db
def test_a_wrong_password_before_signing_signs_nothing_and_is_audited(client):
    from django.urls import reverse

    from pacts.models import AuditEvent, PactSignature
    from tests.pacts.factories import make_world

    world = make_world(2, prefix="pw")
    client.force_login(world.leaders[1])
    sign_url = reverse("pacts:pact_sign", args=[world.pact.pk, world.units[1].pk])
    response = client.post(reverse("accounts:confirm_password"), {"password": "sai-mat-khau", "next": sign_url})
    assert response.status_code == 200
    assert not PactSignature.objects.filter(pact=world.pact).exists()
    refusal = AuditEvent.objects.get(pact=world.pact, action="refused")
    assert refusal.actor == world.leaders[1]
    assert refusal.unit == world.units[1]
