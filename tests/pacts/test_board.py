"""Conference day (issue 17): board links (who creates and revokes them, expiry, the audit trail), the board and
its state endpoint (no log-in, 404/410, ETag and 304, a fixed number of queries), the order of the ceremony
(kept apart from the frozen slots, "ký sau hội nghị"), the executed pact's summary, and the phone's entry."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Role
from pacts import board, services
from pacts.audit import RequestInfo
from pacts.errors import PactError
from pacts.models import AuditEvent, BoardLink, CeremonyStep, Pact, PactSignatory, PdfJob
from tests.factories import UserFactory
from tests.pacts.factories import login, make_world

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action


def sign(world, n: int):
    pact = Pact.objects.get(pk=world.pact.pk)
    return services.pact_sign(
        pact=pact,
        unit=world.units[n],
        user=world.leaders[n],
        consent=True,
        content_hash=pact.content_hash,
        info=RequestInfo(ip_address="192.0.2.77", user_agent="Chromium"),
    )


def english(client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def world():
    return make_world(3)


@pytest.fixture
def link(world):
    return board.board_link_create(pact=world.pact, hours=12, actor=world.officer)


@pytest.fixture
def ministry():
    return UserFactory(username="bo.board", full_name="Trần Thị Bộ", roles=[Role.MINISTRY])


@pytest.fixture
def other_officer():
    """A region officer of another region's head unit."""
    return make_world(2, prefix="khac").officer


def links_url(world) -> str:
    return reverse("pacts:board_links", args=[world.pact.pk])


def board_url(link) -> str:
    return reverse("pacts:board", args=[link.token])


def state_url(link) -> str:
    return reverse("pacts:board_state", args=[link.token])


def ceremony_url(world) -> str:
    return reverse("pacts:ceremony", args=[world.pact.pk])


def step_url(world) -> str:
    return reverse("pacts:ceremony_step", args=[world.pact.pk])


# --- board links ----------------------------------------------------------------------------------------------


def test_the_region_officer_creates_a_board_link_and_the_trail_says_so(client, world):
    login(client, world.officer, fresh=False)
    english(client)
    response = client.post(links_url(world), {"hours": "12"})
    assert response.status_code == 302
    link = BoardLink.objects.get(pact=world.pact)
    assert link.created_by == world.officer
    assert timedelta(hours=11, minutes=59) < link.expires_at - timezone.now() <= timedelta(hours=12)
    event = AuditEvent.objects.get(pact=world.pact, action=Action.BOARD)
    assert event.actor == world.officer
    assert f"#{link.pk}" in event.detail
    page = client.get(links_url(world)).content.decode()
    assert link.token in page
    assert "The board link is ready" in page


def test_ministry_staff_create_a_board_link(client, world, ministry):
    login(client, ministry, fresh=False)
    assert client.post(links_url(world), {"hours": "4"}).status_code == 302
    assert BoardLink.objects.filter(pact=world.pact, created_by=ministry).count() == 1


@pytest.mark.parametrize("hours", ["0", "5", "1000", "abc", ""])
def test_a_duration_not_in_the_list_is_refused_and_nothing_is_created(client, world, hours):
    login(client, world.officer, fresh=False)
    english(client)
    response = client.post(links_url(world), {"hours": hours})
    assert response.status_code == 400
    assert not BoardLink.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.BOARD).exists()
    body = response.content.decode()
    assert "Choose how long the link stays valid from the list." in body or "This field is required." in body


def test_a_leader_cannot_see_create_or_revoke_board_links(client, world, link):
    login(client, world.leaders[1], fresh=False)
    assert client.get(links_url(world)).status_code == 403
    assert client.post(links_url(world), {"hours": "12"}).status_code == 403
    revoke = reverse("pacts:board_link_revoke", args=[world.pact.pk, link.pk])
    assert client.post(revoke).status_code == 403
    assert BoardLink.objects.count() == 1
    assert not BoardLink.objects.get().revoked


def test_another_regions_officer_cannot_create_or_revoke(client, world, link, other_officer):
    login(client, other_officer, fresh=False)
    assert client.get(links_url(world)).status_code == 403
    assert client.post(links_url(world), {"hours": "12"}).status_code == 403
    revoke = reverse("pacts:board_link_revoke", args=[world.pact.pk, link.pk])
    assert client.post(revoke).status_code == 403
    assert BoardLink.objects.count() == 1
    assert not BoardLink.objects.get().revoked


def test_a_visitor_is_sent_to_log_in_for_the_links_page(client, world):
    response = client.get(links_url(world))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_draft_pact_gets_no_board_link(client):
    draft = make_world(2, open_pact=False, prefix="nhap")
    login(client, draft.officer, fresh=False)
    english(client)
    response = client.post(links_url(draft), {"hours": "12"})
    assert response.status_code == 400
    assert "A board shows a pact open for signing or executed" in response.content.decode()
    assert not BoardLink.objects.exists()
    with pytest.raises(PactError):
        board.board_link_create(pact=draft.pact, hours=12, actor=draft.officer)


def test_revoking_a_link_stops_its_board_and_is_audited(client, world, link):
    login(client, world.officer, fresh=False)
    revoke = reverse("pacts:board_link_revoke", args=[world.pact.pk, link.pk])
    assert client.post(revoke).status_code == 302
    link.refresh_from_db()
    assert link.revoked and link.revoked_by == world.officer
    assert AuditEvent.objects.filter(pact=world.pact, action=Action.BOARD_OFF, actor=world.officer).exists()
    client.logout()
    english(client)
    response = client.get(board_url(link))
    assert response.status_code == 410
    assert "It has been revoked" in response.content.decode()
    state = client.get(state_url(link))
    assert state.status_code == 410 and state.json() == {"gone": "revoked"}
    # A second revocation changes nothing and says so.
    login(client, world.officer, fresh=False)
    client.post(revoke)
    assert AuditEvent.objects.filter(action=Action.BOARD_OFF).count() == 1


def test_a_link_of_another_pact_cannot_be_revoked_through_this_one(client, world, link):
    other = make_world(2, prefix="khac2")
    login(client, other.officer, fresh=False)
    assert client.post(reverse("pacts:board_link_revoke", args=[other.pact.pk, link.pk])).status_code == 404
    assert not BoardLink.objects.get(pk=link.pk).revoked


# --- the board and its state ----------------------------------------------------------------------------------


def test_the_board_opens_without_log_in_and_shows_only_the_board(client, world, link):
    sign(world, 1)
    english(client)
    response = client.get(board_url(link))
    assert response.status_code == 200
    body = response.content.decode()
    for unit in world.units:
        assert unit.name in body
    assert world.leaders[1].full_name in body
    assert world.pact.title in body
    # What the board does not show: the signer's address and browser, the text's hash, the menu.
    assert "192.0.2.77" not in body and "Chromium" not in body
    assert world.pact.content_hash not in body
    assert 'class="navbar' not in body
    assert response["Cache-Control"].startswith("no-cache")
    assert response["Referrer-Policy"] == "no-referrer"
    # Its QR code leads to the phone's entry to the signing page.
    assert board.sign_start_url(world.pact) in body


def test_an_unknown_token_is_404_and_an_expired_link_is_410(client, world, link):
    assert client.get(reverse("pacts:board", args=["x" * 32])).status_code == 404
    assert client.get(reverse("pacts:board_state", args=["x" * 32])).status_code == 404
    assert client.get(reverse("pacts:board", args=["x" * 200])).status_code == 404
    BoardLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    english(client)
    response = client.get(board_url(link))
    assert response.status_code == 410
    assert "It has expired." in response.content.decode()
    assert client.get(state_url(link)).json() == {"gone": "expired"}


def test_the_state_is_json_with_an_etag_and_an_unchanged_poll_is_a_304_of_one_query(client, world, link):
    first = client.get(state_url(link))
    assert first.status_code == 200
    state = first.json()
    assert state["signed"] == 0 and state["total"] == 3
    assert [u["name"] for u in state["units"]] == [u.name for u in world.units]
    assert state["next"] == world.units[0].name
    etag = first["ETag"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(state_url(link), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert len(queries) == 1, [q["sql"] for q in queries]
    # A proxy may weaken the tag: still the same version.
    assert client.get(state_url(link), HTTP_IF_NONE_MATCH=f"W/{etag}").status_code == 304

    sign(world, 0)
    changed = client.get(state_url(link), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    state = changed.json()
    assert state["signed"] == 1
    unit = state["units"][0]
    assert unit["signed"] and unit["signer"] == world.leaders[0].full_name
    assert unit["time"] == f"{timezone.localtime(timezone.now()):%H:%M}" or len(unit["time"]) == 5
    assert state["next"] == world.units[1].name


def test_the_state_costs_the_same_queries_for_three_units_or_twelve(client):
    def queries_for(n: int, prefix: str) -> int:
        world = make_world(n, prefix=prefix)
        link = board.board_link_create(pact=world.pact, hours=4, actor=world.officer)
        sign(world, 0)
        board.ceremony_mark_after_conference(pact=world.pact, unit_id=world.units[1].pk, after=True, actor=None)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(state_url(link)).status_code == 200
        return len(queries)

    assert queries_for(3, "a") == queries_for(12, "b")


def test_the_version_changes_with_the_ceremony_order(client, world, link):
    etag = client.get(state_url(link))["ETag"]
    board.ceremony_move(pact=world.pact, unit_id=world.units[2].pk, up=True, actor=world.officer)
    response = client.get(state_url(link), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert [u["id"] for u in response.json()["units"]] == [world.units[0].pk, world.units[2].pk, world.units[1].pk]


# --- the order of the ceremony --------------------------------------------------------------------------------


def test_the_officer_moves_units_and_marks_one_to_sign_after_the_conference(client, world, link):
    login(client, world.officer, fresh=False)
    english(client)
    assert client.get(ceremony_url(world)).status_code == 200
    first, second, third = world.units
    assert client.post(step_url(world), {"move": f"down {first.pk}"}).status_code == 302
    assert [p.slot.unit_id for p in board.ceremony_order(world.pact)] == [second.pk, first.pk, third.pk]
    client.post(step_url(world), {"move": f"later {second.pk}"})
    state = client.get(state_url(link)).json()
    assert state["next"] == first.name
    assert [u["after"] for u in state["units"]] == [True, False, False]
    page = client.get(board_url(link)).content.decode()
    assert "To sign after the conference" in page

    # A unit marked "ký sau hội nghị" can still sign, and then shows as signed.
    sign(world, 1)
    state = client.get(state_url(link)).json()
    assert state["units"][0]["signed"] and not state["units"][0]["after"]

    client.post(step_url(world), {"move": f"back {second.pk}"})
    assert not any(p.after_conference for p in board.ceremony_order(world.pact))
    actions = list(AuditEvent.objects.filter(pact=world.pact, action=Action.CEREMONY).values_list("detail", flat=True))
    assert len(actions) == 3
    # The pact's slots keep their frozen order.
    assert list(PactSignatory.objects.filter(pact=world.pact).order_by("order").values_list("unit_id", flat=True)) == [
        first.pk,
        second.pk,
        third.pk,
    ]


def test_the_whole_order_is_saved_from_typed_places(client, world):
    login(client, world.officer, fresh=False)
    first, second, third = world.units
    data = {f"place_{first.pk}": "3", f"place_{second.pk}": "2", f"place_{third.pk}": "1", f"later_{second.pk}": "on"}
    assert client.post(ceremony_url(world), data).status_code == 302
    order = board.ceremony_order(world.pact)
    assert [p.slot.unit_id for p in order] == [third.pk, second.pk, first.pk]
    assert [p.after_conference for p in order] == [False, True, False]
    # A unit given a new place goes before the unit that kept that number.
    data = {f"place_{third.pk}": "1", f"place_{second.pk}": "2", f"place_{first.pk}": "1"}
    client.post(ceremony_url(world), data)
    assert [p.slot.unit_id for p in board.ceremony_order(world.pact)] == [first.pk, third.pk, second.pk]
    assert AuditEvent.objects.filter(pact=world.pact, action=Action.CEREMONY).count() == 2


@pytest.mark.parametrize("bad", ["0", "4", "-1", "1.5", "abc", ""])
def test_a_place_out_of_range_is_refused_and_nothing_changes(client, world, bad):
    login(client, world.officer, fresh=False)
    english(client)
    first, second, third = world.units
    data = {f"place_{first.pk}": bad, f"place_{second.pk}": "1", f"place_{third.pk}": "2"}
    response = client.post(ceremony_url(world), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "from 1 to 3" in body
    assert not CeremonyStep.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CEREMONY).exists()


@pytest.mark.parametrize("move", ["up", "sideways 1", "up x", "up ²", "", "later 999999"])
def test_a_bad_step_is_refused_with_a_message_and_changes_nothing(client, world, move):
    login(client, world.officer, fresh=False)
    english(client)
    if move == "up":
        move = f"up {world.units[0].pk}"  # already first
    response = client.post(step_url(world), {"move": move}, follow=True)
    assert response.status_code == 200
    assert response.context["messages"]
    assert not CeremonyStep.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.CEREMONY).exists()


def test_leaders_and_other_regions_cannot_set_the_order(client, world, other_officer):
    data = {f"place_{u.pk}": str(n) for n, u in enumerate(reversed(world.units), start=1)}
    for user in (world.leaders[1], other_officer):
        login(client, user, fresh=False)
        assert client.get(ceremony_url(world)).status_code == 403
        assert client.post(ceremony_url(world), data).status_code == 403
        assert client.post(step_url(world), {"move": f"down {world.units[0].pk}"}).status_code == 403
    assert not CeremonyStep.objects.exists()


def test_the_order_of_an_executed_pact_is_read_only(client, world):
    for n in range(3):
        sign(world, n)
    login(client, world.officer, fresh=False)
    assert client.get(ceremony_url(world)).status_code == 200
    data = {f"place_{u.pk}": str(n) for n, u in enumerate(world.units, start=1)}
    assert client.post(ceremony_url(world), data).status_code == 403
    client.post(step_url(world), {"move": f"down {world.units[0].pk}"})
    assert not CeremonyStep.objects.exists()


# The rows as pacts/board_ceremony.html wrote them with template tags, before pacts.templatetags.board_rows.
CEREMONY_ROWS = (Path(__file__).parent / "fixtures" / "ceremony_rows_before.html").read_text(encoding="utf-8")


def _ceremony_rows_of(response) -> str:
    page = response.content.decode()
    start = page.index("<tbody>", page.index('id="ceremony"')) + len("<tbody>")
    return page[start : page.index("</tbody>", start)]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("case", ["editable", "refused", "executed"])
def test_the_ceremony_rows_written_in_python_are_the_markup_the_template_wrote(client, world, language, case):
    """Editable with a unit marked to sign later and one signed, refused places (errors on their rows, the typed
    values kept), and read-only once every unit has signed."""
    from django.template import engines
    from django.test.html import parse_html

    first, second, third = world.units
    if case == "executed":
        for n in range(3):
            sign(world, n)
    else:
        board.ceremony_mark_after_conference(pact=world.pact, unit_id=third.pk, after=True, actor=None)
        sign(world, 0)
    login(client, world.officer, fresh=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if case == "refused":
        data = {
            f"place_{first.pk}": "9",
            f"place_{second.pk}": "<b>",
            f"place_{third.pk}": "1",
            f"later_{first.pk}": "on",
        }
        response = client.post(ceremony_url(world), data)
        assert response.status_code == 400
    else:
        response = client.get(ceremony_url(world))
    context = response.context[0].flatten()
    with translation.override(language):
        expected = engines["django"].from_string(CEREMONY_ROWS).render(context)
    written = _ceremony_rows_of(response)
    assert parse_html(written) == parse_html(expected)
    assert ("table-warning" in written) == (case != "executed")
    assert ("is-invalid" in written) == (case == "refused") and "<b>" not in written
    assert (" disabled" in written) is True  # the first row's "up" button, or every field once read-only


BOARD_UNITS = (Path(__file__).parent / "fixtures" / "board_units_before.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_board_units_written_in_python_are_the_markup_the_template_wrote(client, world, link, language):
    """A unit signed, one called up now, one to sign after the conference."""
    from django.template import engines
    from django.test.html import parse_html

    sign(world, 0)
    board.ceremony_mark_after_conference(pact=world.pact, unit_id=world.units[2].pk, after=True, actor=None)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(board_url(link))
    page = response.content.decode()
    start = page.index(">", page.index('id="board-units"')) + 1
    written = page[start : page.index("</ol>", start)]
    with translation.override(language):
        expected = engines["django"].from_string(BOARD_UNITS).render({"state": response.context["state"]})
    assert parse_html(written) == parse_html(expected)
    assert written.count("<li") == 3 and "is-signed" in written and "is-after" in written
    assert 'aria-current="step"' in written


# --- after the hall ---------------------------------------------------------------------------------------------


def test_the_executed_board_shows_the_summary_with_the_verification_qr_as_the_pdf_prints_it(client, world, link):
    for n in range(3):
        sign(world, n)
    job = PdfJob.objects.get(pact=world.pact, draft=False)
    PdfJob.objects.filter(pk=job.pk).update(site_url="https://thidua.example.gov.vn")
    state = client.get(state_url(link)).json()
    assert state["status"] == "executed"
    assert state["signed"] == state["total"] == 3
    assert state["next"] == ""
    pact = Pact.objects.get(pk=world.pact.pk)
    expected = "https://thidua.example.gov.vn" + reverse("pacts:verify", args=[pact.verification_code])
    assert state["summary"]["verification_url"] == expected
    assert state["summary"]["qr"].startswith("data:image/png;base64,")
    english(client)
    page = client.get(board_url(link)).content.decode()
    assert "The pact is signed by every unit" in page
    assert expected in page
    assert "The signed PDF follows" in page


# --- the phone's entry ------------------------------------------------------------------------------------------


def test_a_leader_who_scanned_the_qr_code_goes_to_the_signing_page_of_their_unit(client, world):
    login(client, world.leaders[2], fresh=False)
    response = client.get(reverse("pacts:board_sign_start", args=[world.pact.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("pacts:pact_sign", args=[world.pact.pk, world.units[2].pk])


def test_a_leader_whose_unit_signed_is_told_so(client, world):
    sign(world, 2)
    login(client, world.leaders[2], fresh=False)
    english(client)
    response = client.get(reverse("pacts:board_sign_start", args=[world.pact.pk]))
    assert response.status_code == 200
    assert "has already signed this pact" in response.content.decode()


def test_the_phones_entry_needs_a_log_in_and_a_party(client, world, other_officer):
    url = reverse("pacts:board_sign_start", args=[world.pact.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    stranger = make_world(2, prefix="la").leaders[1]
    login(client, stranger, fresh=False)
    assert client.get(url).status_code == 403


def test_the_state_is_plain_json_of_the_board_only(client, world, link):
    sign(world, 0)
    raw = client.get(state_url(link)).content.decode()
    state = json.loads(raw)
    assert set(state) == {
        "version",
        "status",
        "title",
        "block",
        "region",
        "signed",
        "total",
        "next",
        "units",
        "executed_at",
        "summary",
    }
    assert set(state["units"][0]) == {"id", "position", "name", "signed", "signer", "time", "after", "next"}
    assert "192.0.2.77" not in raw


def test_the_pact_page_leads_its_managers_to_the_board_and_no_one_else(client, world):
    url = reverse("pacts:pact_detail", args=[world.pact.pk])
    login(client, world.officer, fresh=False)
    assert links_url(world) in client.get(url).content.decode()
    login(client, world.leaders[1], fresh=False)
    assert links_url(world) not in client.get(url).content.decode()


def test_a_withdrawn_pacts_board_says_so_and_calls_nobody(client, world, link):
    sign(world, 0)
    services.pact_withdraw(pact=world.pact, reason="Sửa nội dung cam kết.", actor=world.officer)
    state = client.get(state_url(link)).json()
    assert state["status"] == "withdrawn"
    assert state["next"] == "" and not any(u["next"] for u in state["units"])
    english(client)
    body = client.get(board_url(link)).content.decode()
    assert '<p class="board-message" id="board-withdrawn" role="alert">This pact has been withdrawn' in body
    assert '<main class="board-main" id="board-live" hidden>' in body
