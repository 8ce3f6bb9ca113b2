"""The suy tôn vote pages: the titles a region votes on with their recorded votes, and recording a vote."""

import pytest
from django.contrib.messages import constants, get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardRegistration, Vote, VoteCount
from awards.services import registrations as registration_services
from awards.services import votes as vote_services
from tests.awards.factories import FLAG, GOVERNMENT_FLAG, make_awards_world

pytestmark = pytest.mark.django_db

Status = AwardRegistration.Status


@pytest.fixture
def candidates(world) -> list[AwardRegistration]:
    """Units 0 and 1 registered for the flag, approved by the region officer."""
    return [approved(world, index) for index in (0, 1)]


def approved(world, index: int, code: str = FLAG) -> AwardRegistration:
    registration = registration_services.registration_create(
        campaign=world.campaign,
        unit=world.units[index],
        title=world.titles[code],
        actor=world.leaders[index],
        submit=True,
    )
    return registration_services.registration_approve(registration=registration, actor=world.officer)


def _as(client, user):
    client.force_login(user)
    return client


def votes_url(world) -> str:
    return reverse("awards:campaign_votes", args=[world.campaign.pk])


def record_url(world, code: str = FLAG) -> str:
    return reverse("awards:vote_record", args=[world.campaign.pk, world.titles[code].pk])


def vote_data(ballots="3", counts=None, **overrides) -> dict:
    data = {
        "held_on": f"{timezone.localdate():%d/%m/%Y}",
        "ballots_cast": ballots,
        "note": "Biên bản hội nghị tổng kết.",
    }
    for registration, votes in (counts or {}).items():
        data[f"votes_{registration.pk}"] = votes
    return data | overrides


def levels(response) -> list[int]:
    return [message.level for message in get_messages(response.wsgi_request)]


def state() -> tuple:
    votes = list(Vote.objects.order_by("pk").values_list("pk", "ballots_cast", "proposed_id", "held_on"))
    counts = list(VoteCount.objects.order_by("pk").values_list("registration_id", "votes_for"))
    statuses = list(AwardRegistration.objects.order_by("pk").values_list("pk", "status"))
    return votes, counts, statuses


# --- access -----------------------------------------------------------------------------------------


def test_both_pages_send_visitors_to_log_in(client, world):
    for address in (votes_url(world), record_url(world)):
        response = client.get(address)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert client.post(record_url(world), vote_data()).status_code == 302


@pytest.mark.parametrize("who", ["leader", "other_leader", "officer", "ministry"])
def test_the_votes_are_read_by_the_regions_members_and_ministry(client, world, candidates, ministry_user, who):
    user = {"leader": world.leaders[0], "other_leader": world.leaders[2], "officer": world.officer}.get(
        who, ministry_user
    )
    response = _as(client, user).get(votes_url(world))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.titles[FLAG].name in body
    assert f'id="not-recorded-{world.titles[FLAG].pk}"' in body
    assert (record_url(world) in body) == (who in ("officer", "ministry"))


def test_a_leader_of_another_region_is_refused(client, world):
    other = make_awards_world(2, prefix="khac")
    _as(client, other.leaders[0])
    assert client.get(votes_url(world)).status_code == 403
    assert client.get(record_url(world)).status_code == 403


@pytest.mark.parametrize("who", ["leader", "other_leader"])
def test_leaders_cannot_record_a_vote(client, world, candidates, who):
    _as(client, world.leaders[0] if who == "leader" else world.leaders[2])
    assert client.get(record_url(world)).status_code == 403
    response = client.post(record_url(world), vote_data(counts={candidates[0]: "3", candidates[1]: "0"}))
    assert response.status_code == 403
    assert not Vote.objects.exists()


@pytest.mark.parametrize("who", ["officer", "ministry"])
def test_the_region_officer_and_ministry_open_the_form(client, world, candidates, ministry_user, who):
    response = _as(client, world.officer if who == "officer" else ministry_user).get(record_url(world))
    assert response.status_code == 200
    names = [field.name for field in response.context["form"].candidate_fields()]
    assert names == [f"votes_{candidates[0].pk}", f"votes_{candidates[1].pk}"]
    assert world.units[0].name in response.content.decode()


def test_a_title_not_decided_by_a_vote_or_unknown_is_not_found(client, world, candidates):
    _as(client, world.officer)
    assert client.get(record_url(world, GOVERNMENT_FLAG)).status_code == 404
    assert client.get(reverse("awards:vote_record", args=[world.campaign.pk, 999999])).status_code == 404
    assert client.get(reverse("awards:campaign_votes", args=[999999])).status_code == 404


def test_only_titles_decided_by_a_vote_are_listed(client, world):
    rows = _as(client, world.officer).get(votes_url(world)).context["rows"]
    assert [row.title.code for row in rows] == [FLAG]


# --- recording --------------------------------------------------------------------------------------


def test_the_winner_with_a_majority_is_proposed(client, world, candidates):
    first, second = candidates
    response = _as(client, world.officer).post(record_url(world), vote_data(counts={first: "2", second: "1"}))
    assert response.status_code == 302 and response.url == votes_url(world)
    assert constants.SUCCESS in levels(response)
    vote = Vote.objects.get()
    assert (vote.ballots_cast, vote.proposed_id, vote.recorded_by) == (3, first.pk, world.officer)
    assert vote.note == "Biên bản hội nghị tổng kết."
    assert dict(vote.counts.values_list("registration_id", "votes_for")) == {first.pk: 2, second.pk: 1}
    first.refresh_from_db()
    assert first.status == Status.PROPOSED
    page = client.get(votes_url(world))
    [row] = page.context["rows"]
    assert row.sections[0].block is None and row.sections[0].proposed_names == [world.units[0].name]
    assert f"{timezone.localdate():%d/%m/%Y}" in page.content.decode()


def test_a_tie_is_recorded_without_proposing_anyone(client, world, candidates):
    first, second = candidates
    response = _as(client, world.officer).post(
        record_url(world), vote_data(ballots="2", counts={first: "1", second: "1"})
    )
    assert response.status_code == 302
    assert constants.WARNING in levels(response)
    vote = Vote.objects.get()
    assert vote.proposed_id is None
    assert set(AwardRegistration.objects.values_list("status", flat=True)) == {Status.APPROVED}


def test_recording_again_replaces_the_vote(client, world, candidates):
    first, second = candidates
    _as(client, world.officer).post(record_url(world), vote_data(counts={first: "2", second: "1"}))
    response = client.get(record_url(world))
    assert response.context["form"].initial["ballots_cast"] == 3
    assert 'id="previous-vote"' in response.content.decode()
    client.post(record_url(world), vote_data(counts={first: "0", second: "3"}))
    vote = Vote.objects.get()
    assert vote.proposed_id == second.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.APPROVED, Status.PROPOSED)


@pytest.mark.parametrize(
    "case, field",
    [
        ("more votes than ballots", None),
        ("more ballots than member units", "ballots_cast"),
        ("negative votes", "votes"),
        ("votes not a number", "votes"),
        ("ballots not a number", "ballots_cast"),
        ("no ballots", "ballots_cast"),
        ("negative ballots", "ballots_cast"),
        ("missing votes", "votes"),
        ("bad date", "held_on"),
    ],
)
def test_bad_counts_are_refused_and_change_nothing(client, world, candidates, case, field):
    first, second = candidates
    _as(client, world.officer).post(record_url(world), vote_data(counts={first: "2", second: "1"}))
    before = state()
    data = {
        "more votes than ballots": vote_data(counts={first: "4", second: "1"}),
        "more ballots than member units": vote_data(ballots="4", counts={first: "3", second: "1"}),
        "negative votes": vote_data(counts={first: "-1", second: "3"}),
        "votes not a number": vote_data(counts={first: "hai", second: "1"}),
        "ballots not a number": vote_data(ballots="ba", counts={first: "1", second: "0"}),
        "no ballots": vote_data(ballots="0", counts={first: "0", second: "0"}),
        "negative ballots": vote_data(ballots="-3", counts={first: "0", second: "0"}),
        "missing votes": vote_data(counts={first: "2"}),
        "bad date": vote_data(counts={first: "0", second: "3"}, held_on="31/02/2025"),
    }[case]
    response = client.post(record_url(world), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    if field is None:
        assert errors["__all__"]
    elif field == "votes":
        assert any(name.startswith("votes_") for name in errors)
    else:
        assert errors[field]
    assert state() == before


def test_without_approved_candidates_there_is_nothing_to_record(client, world):
    registration_services.registration_create(
        campaign=world.campaign, unit=world.units[0], title=world.titles[FLAG], actor=world.leaders[0], submit=True
    )  # sent, not approved: not a candidate
    _as(client, world.officer)
    response = client.get(record_url(world))
    assert 'id="no-candidates"' in response.content.decode()
    assert client.post(record_url(world), vote_data()).status_code == 200
    assert not Vote.objects.exists()
    body = client.get(votes_url(world)).content.decode()
    assert f'id="record-{world.titles[FLAG].pk}"' not in body  # no candidate, no button


def test_the_votes_page_takes_the_same_number_of_queries_for_more_candidates(client, ministry_user):
    def recorded(n_units: int, prefix: str):
        world = make_awards_world(n_units, prefix=prefix)
        registrations = [approved(world, index) for index in range(n_units)]
        counts = {registration.pk: 0 for registration in registrations}
        counts[registrations[0].pk] = n_units
        vote_services.vote_record(
            campaign=world.campaign,
            title=world.titles[FLAG],
            held_on=world.campaign.conference_date,
            ballots_cast=n_units,
            counts=counts,
            actor=world.officer,
        )
        return world

    def queries(world) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(votes_url(world)).status_code == 200
        return len(captured)

    small, big = recorded(2, "nho"), recorded(12, "lon")
    _as(client, ministry_user)
    assert queries(small) == queries(big)
    [row] = client.get(votes_url(big)).context["rows"]
    [region] = row.sections  # voted as a whole region: no block's vote is offered
    assert len(region.counts) == 12 and region.proposed_names == [big.units[0].name]
