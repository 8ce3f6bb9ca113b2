"""The pages of the emulation movements (phong trào thi đua): who may open them, the list's search and count,
create and edit with their checks, a rename of a movement whose campaign has an opened pact, deletion."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from pacts import movements as service
from pacts import services
from pacts.canonical import pact_canonical_text
from pacts.errors import PactError
from pacts.models import AuditEvent, Movement, Pact
from tests.pacts.factories import make_world

pytestmark = pytest.mark.django_db

LIST = reverse("pacts:movement_list")
CREATE = reverse("pacts:movement_create")
POOR = "Cả nước chung sức vì người nghèo - không để ai bị bỏ lại phía sau"  # loaded by migration 0002
NEW = {"name": "Ngành Tư pháp chung tay vì môi trường xanh", "short_name": "Vì môi trường xanh"}


def edit(movement: Movement) -> str:
    return reverse("pacts:movement_edit", args=[movement.pk])


def delete(movement: Movement) -> str:
    return reverse("pacts:movement_delete", args=[movement.pk])


def signed_in(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def used_by_an_opened_pact() -> tuple[Movement, Pact]:
    world = make_world()
    movement = Movement.objects.get(name=POOR)
    services.campaign_update(campaign=world.campaign, actor=world.officer, movements=[movement])
    assert world.pact.status == Pact.Status.OPEN
    return movement, world.pact


# --- who may ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["leader_user", "region_user", "no_role_user"])
def test_others_are_refused_and_nothing_changes(client, request, role):
    signed_in(client, request.getfixturevalue(role))
    movement = Movement.objects.get(name=POOR)
    assert client.get(LIST).status_code == 403
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, NEW).status_code == 403
    assert client.get(edit(movement)).status_code == 403
    assert client.post(edit(movement), {"name": "Đổi tên"}).status_code == 403
    assert client.post(delete(movement)).status_code == 403
    movement.refresh_from_db()
    assert movement.name == POOR
    assert not Movement.objects.filter(name=NEW["name"]).exists()


def test_visitors_are_sent_to_log_in(client):
    movement = Movement.objects.first()
    for url in (LIST, CREATE, edit(movement), delete(movement)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["ministry_user", "admin_user"])
def test_ministry_staff_and_administrators_keep_the_list(client, request, role):
    signed_in(client, request.getfixturevalue(role))
    assert client.get(LIST).status_code == 200
    assert client.get(CREATE).status_code == 200
    response = client.post(CREATE, {"name": "  Ngành Tư pháp chung tay\n vì môi trường   xanh ", "short_name": ""})
    assert response.status_code == 302 and response["Location"] == LIST
    movement = Movement.objects.get(name=NEW["name"])  # on one line, single spaces
    assert movement.short_name == ""
    assert client.get(edit(movement)).status_code == 200
    response = client.post(edit(movement), {"name": NEW["name"], "short_name": NEW["short_name"]})
    assert response.status_code == 302
    movement.refresh_from_db()
    assert movement.short_name == NEW["short_name"]


def test_the_catalogues_menu_links_the_movements_for_ministry_staff_only(client, ministry_user, leader_user):
    signed_in(client, ministry_user)
    assert f'href="{LIST}"' in client.get(reverse("home")).content.decode()
    signed_in(client, leader_user)
    assert f'href="{LIST}"' not in client.get(reverse("home")).content.decode()


# --- create and edit: bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter the movement&#x27;s name."),
        ({"name": "   \n  "}, "Enter the movement&#x27;s name."),
        ({"name": "x" * 501}, "Shorten the movement&#x27;s name to 500 characters (it has 501)."),
        ({"name": NEW["name"], "short_name": "y" * 151}, "Shorten the short name to 150 characters (it has 151)."),
        ({"name": POOR}, "The list already has a movement with this name."),
        ({"name": POOR.upper()}, "The list already has a movement with this name."),
        ({"name": NEW["name"], "short_name": "vì người nghèo"}, "already has a movement with this short name."),
        ({"name": "Có\x00ký tự ẩn"}, "Remove the hidden control characters"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client, ministry_user, data, message):
    signed_in(client, ministry_user)
    before = list(Movement.objects.order_by("id").values_list("name", "short_name"))
    response = client.post(CREATE, {"short_name": "", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    # Editing another movement into the same bad input is refused alike.
    other = Movement.objects.exclude(name=POOR).first()
    response = client.post(edit(other), {"short_name": "", **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(Movement.objects.order_by("id").values_list("name", "short_name")) == before


def test_the_service_checks_what_the_form_checks():
    other = Movement.objects.exclude(name=POOR).first()
    with translation.override("en"):
        with pytest.raises(PactError, match="already has a movement with this name") as refused:
            service.movement_update(movement=other, actor=None, name=POOR)
        assert refused.value.field == "name"
        with pytest.raises(PactError, match="Enter the movement's name"):
            service.movement_create(name=" ")
        with pytest.raises(PactError, match="to 500 characters"):
            service.movement_create(name="x" * 501)
    with pytest.raises(TypeError):
        service.movement_update(movement=other, actor=None, campaigns=[])
    assert Movement.objects.filter(pk=other.pk, name=other.name).exists()


# --- a movement used by a campaign with an opened pact ----------------------------------------------


def test_the_pact_text_does_not_name_the_movements():
    movement, pact = used_by_an_opened_pact()
    assert movement.name not in pact_canonical_text(pact)
    assert movement.short_name and movement.short_name not in pact_canonical_text(pact)


def test_renaming_a_movement_of_an_opened_pact_changes_nothing_signed_and_is_audited(client, ministry_user):
    movement, pact = used_by_an_opened_pact()
    text, content_hash = pact_canonical_text(pact), pact.content_hash
    signed_in(client, ministry_user)
    page = client.get(edit(movement)).content.decode()
    assert "1 campaign uses this movement" in page
    assert "cannot be deleted" in page and delete(movement) not in page
    renamed = "Cả nước chung sức vì người nghèo – không để ai bị bỏ lại phía sau"
    response = client.post(edit(movement), {"name": renamed, "short_name": movement.short_name})
    assert response.status_code == 302
    movement.refresh_from_db()
    pact.refresh_from_db()
    assert movement.name == renamed
    assert pact_canonical_text(pact) == text and pact.content_hash == content_hash
    event = AuditEvent.objects.get(campaign=pact.campaign, pact=None, detail__contains=renamed)
    assert event.action == AuditEvent.Action.EDITED
    assert event.actor == ministry_user and event.actor_name == ministry_user.full_name
    assert event.detail == f"Phong trào thi đua “{POOR}” đổi tên thành “{renamed}”."
    # The campaign's page shows the new name.
    assert renamed in client.get(reverse("pacts:campaign_detail", args=[pact.campaign_id])).content.decode()


def test_a_change_of_the_short_name_only_writes_no_audit_line(client, ministry_user):
    movement, pact = used_by_an_opened_pact()
    events = AuditEvent.objects.count()
    signed_in(client, ministry_user)
    assert client.post(edit(movement), {"name": movement.name, "short_name": "Vì người nghèo 2025"}).status_code == 302
    assert AuditEvent.objects.count() == events


def test_a_used_movement_is_not_deleted(client, ministry_user):
    movement, pact = used_by_an_opened_pact()
    signed_in(client, ministry_user)
    for response in (client.get(delete(movement)), client.post(delete(movement))):
        assert response.status_code == 200
        assert "This movement is used by 1 campaign: it cannot be deleted." in response.content.decode()
    with pytest.raises(PactError):
        service.movement_delete(movement=movement)
    assert pact.campaign.movements.filter(pk=movement.pk).exists()


def test_an_unused_movement_is_deleted_after_confirmation(client, ministry_user):
    movement = service.movement_create(name=NEW["name"])
    signed_in(client, ministry_user)
    assert delete(movement) in client.get(edit(movement)).content.decode()
    assert "No campaign uses this movement" in client.get(delete(movement)).content.decode()
    assert Movement.objects.filter(pk=movement.pk).exists()  # a GET deletes nothing
    response = client.post(delete(movement))
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Movement.objects.filter(pk=movement.pk).exists()
    assert client.get(edit(movement)).status_code == 404


# --- the list: search and count ---------------------------------------------------------------------


def rows(page: str) -> str:
    return page.split('id="movements"', 1)[1].split("</table>", 1)[0] if 'id="movements"' in page else ""


def test_the_search_finds_words_of_the_name_or_short_name_with_or_without_marks(client, ministry_user):
    signed_in(client, ministry_user)
    for q in ("nguoi ngheo", "NGƯỜI nghèo", "bỏ lại phía sau", "Vì người nghèo"):
        table = rows(client.get(LIST, {"q": q}).content.decode())
        assert POOR in table and "nông thôn mới" not in table, q
    table = rows(client.get(LIST, {"q": "nông thôn"}).content.decode())
    assert "Ngành Tư pháp chung sức góp phần xây dựng nông thôn mới" in table and POOR not in table
    page = client.get(LIST, {"q": "không có phong trào này"}).content.decode()
    assert "No movement matches this search." in page and not rows(page)
    page = client.get(LIST, {"q": "x" * 201}).content.decode()
    assert "Shorten the search to 200 characters." in page


def test_the_list_counts_the_campaigns_using_each_movement(client, ministry_user):
    movement, pact = used_by_an_opened_pact()
    other = make_world(prefix="b", open_pact=False)
    services.campaign_update(campaign=other.campaign, actor=other.officer, movements=[movement])
    signed_in(client, ministry_user)
    page = client.get(LIST).content.decode()
    assert page.count('data-campaigns="2"') == 1
    assert page.count('data-campaigns="0"') == Movement.objects.count() - 1
    with translation.override("en"):
        assert "2 campaigns use this movement" in client.get(edit(movement)).content.decode()


def test_the_list_reads_in_the_same_number_of_queries_however_many_movements_and_campaigns(client, ministry_user):
    signed_in(client, ministry_user)
    client.get(LIST)  # the session and the menu's first reads
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    world = make_world()
    added = [service.movement_create(name=f"Phong trào thi đua thử số {n}") for n in range(12)]
    services.campaign_update(campaign=world.campaign, actor=world.officer, movements=added)
    with CaptureQueriesContext(connection) as many:
        page = client.get(LIST).content.decode()
    assert page.count('data-campaigns="1"') == 12
    assert len(many) == len(few)
