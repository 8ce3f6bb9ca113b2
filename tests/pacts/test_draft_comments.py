"""The draft's comments stay on the pact page once it is opened: read-only, as the history of its discussion."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from pacts import services
from pacts.models import PactComment
from tests.factories import UserFactory
from tests.pacts.factories import leader_signs, make_world

pytestmark = pytest.mark.django_db

COMMENT = "Đề nghị bổ sung chỉ tiêu về chuyển đổi số."


@pytest.fixture
def commented():
    """A draft with one comment of a member unit's leader, then opened for signing."""
    world = make_world(3, open_pact=False)
    services.pact_comment(pact=world.pact, author=world.leaders[1], unit=world.units[1], text=COMMENT)
    world.pact = services.pact_open(pact=world.pact, deadline=timezone.now() + timedelta(days=14), actor=world.officer)
    return world


def detail(client, user, pact) -> str:
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("pacts:pact_detail", args=[pact.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_comments_stay_visible_after_opening_without_a_form(client, commented):
    for user in (commented.leaders[2], commented.officer):
        page = detail(client, user, commented.pact)
        assert COMMENT in page
        assert "Comments on the draft" in page
        assert "Nguyễn Văn Lãnh Đạo 1" in page  # its author, and the unit it was written for
        assert reverse("pacts:pact_comment", args=[commented.pact.pk]) not in page
        assert 'name="text"' not in page


def test_an_executed_pact_keeps_them_too(client, commented):
    for n in range(3):
        leader_signs(commented, n)
    commented.pact.refresh_from_db()
    assert commented.pact.status == "executed"
    assert COMMENT in detail(client, commented.leaders[0], commented.pact)


def test_an_opened_pact_without_comments_says_so(client):
    world = make_world(2, prefix="k")
    assert "No comment was written on the draft." in detail(client, world.leaders[1], world.pact)


def test_no_comment_can_be_added_after_opening(client, commented):
    client.force_login(commented.leaders[2])
    client.post(reverse("pacts:pact_comment", args=[commented.pact.pk]), {"text": "Góp ý muộn"})
    assert list(PactComment.objects.values_list("text", flat=True)) == [COMMENT]


def test_a_stranger_still_sees_nothing(client, commented):
    stranger = make_world(2, open_pact=False, prefix="ngoai").leaders[0]
    client.force_login(stranger)
    assert client.get(reverse("pacts:pact_detail", args=[commented.pact.pk])).status_code == 403
    outsider = UserFactory(username="khongvaitro", full_name="Không Vai Trò")
    client.force_login(outsider)
    assert client.get(reverse("pacts:pact_detail", args=[commented.pact.pk])).status_code == 403
