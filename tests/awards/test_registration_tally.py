"""The registrations counted by campaign, title, kind of unit and status (``RegistrationTally``), which
PostgreSQL's triggers keep (awards/migrations/0010) and the yearly report reads: after registrations are
written every way they can be (the services, a direct write, a bulk insert, a deletion) and a unit changes
kind, the tallies are the registrations counted, and the report counts the same as from the registrations."""

from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import Count

from awards.models import AwardRegistration, RegistrationTally
from awards.selectors import reports
from awards.services.registrations import (
    registration_approve,
    registration_create,
    registration_return,
    registration_withdraw,
)
from regions.models import Unit
from tests.awards.factories import CSTD, EXCELLENT, FLAG, make_awards_world
from tests.awards.test_reports import YEAR, add_thads, by_code, counts, fill, register

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the tallies are PostgreSQL's triggers"),
]

Status = AwardRegistration.Status


def counted() -> dict[tuple, int]:
    rows = AwardRegistration.objects.values_list("campaign_id", "title_id", "unit__kind", "status")
    return {tuple(row[:4]): row[4] for row in rows.annotate(n=Count("id")).order_by()}


def tallied() -> dict[tuple, int]:
    rows = RegistrationTally.objects.values_list("campaign_id", "title_id", "unit_kind", "status", "registrations")
    assert all(row[4] >= 0 for row in rows)
    return {tuple(row[:4]): row[4] for row in rows if row[4]}


def test_the_tallies_are_the_registrations_counted_whatever_writes_them():
    world = make_awards_world(3, year=YEAR)
    thads = fill(world)  # written directly, one by one
    assert tallied() == counted() and sum(tallied().values()) == 11

    created = registration_create(  # the services: created and sent, then returned, sent again, withdrawn
        campaign=world.campaign,
        unit=world.units[1],
        title=world.titles[CSTD],
        actor=world.leaders[1],
        people=[("Phạm Thu Hà", "Trưởng phòng")],
        submit=True,
    )
    registration_return(registration=created, actor=world.officer, reason="Thiếu báo cáo thành tích")
    assert tallied() == counted()
    sent = AwardRegistration.objects.get(unit=thads[1], title=world.titles[EXCELLENT])
    registration_approve(registration=sent, actor=world.officer)
    registration_withdraw(registration=AwardRegistration.objects.get(pk=created.pk), actor=world.leaders[1])
    assert tallied() == counted()

    # A direct write, a bulk insert, a deletion, a save that changes nothing.
    draft = AwardRegistration.objects.get(unit=thads[2], title=world.titles[EXCELLENT])
    AwardRegistration.objects.filter(pk=draft.pk).update(status=Status.SUBMITTED)
    more = add_thads(world, 3, prefix="them")
    AwardRegistration.objects.bulk_create(
        AwardRegistration(campaign=world.campaign, unit=unit, title=world.titles[FLAG], status=Status.SUBMITTED)
        for unit in more
    )
    AwardRegistration.objects.create(
        campaign=world.campaign, unit=more[0], title=world.titles[EXCELLENT], status=Status.DRAFT
    ).delete()
    unchanged = AwardRegistration.objects.get(pk=sent.pk)
    unchanged.save()
    assert tallied() == counted()

    # A unit changes kind: its registrations move to its new kind's tallies.
    Unit.objects.filter(pk=thads[0].pk).update(kind=Unit.Kind.THADS_TINH)
    Unit.objects.filter(pk=more[1].pk).update(kind=Unit.Kind.THADS_TINH, name="Tên mới")
    Unit.objects.filter(pk=more[2].pk).update(name="Chỉ đổi tên")
    assert tallied() == counted()
    assert (
        sum(n for (_c, _t, kind, _s), n in tallied().items() if kind == Unit.Kind.THADS_TINH) == 3
    )  # the Cục's two, one more


@pytest.mark.parametrize(
    "asked",
    [
        {},
        {"statuses": (Status.DRAFT,)},
        {"kind": Unit.Kind.CHI_CUC_THADS},
        {"title": FLAG},
        {"other_region": True},
    ],
)
def test_the_report_counts_the_same_from_the_tallies_and_from_the_registrations(monkeypatch, asked):
    world = make_awards_world(3, year=YEAR)
    fill(world)
    other = make_awards_world(2, year=YEAR, prefix="khac")
    for unit in other.units:
        register(other, unit, FLAG, Status.APPROVED)
    register(make_awards_world(1, year=YEAR + 1, prefix="sau"), other.units[0], FLAG)  # another year
    report = reports.ReportFilter(
        year=YEAR,
        statuses=asked.get("statuses", AwardRegistration.REGISTERED),
        region_ids=(other.campaign.region.pk,) if asked.get("other_region") else None,
        title_id=world.titles[asked["title"]].pk if "title" in asked else None,
        kind=asked.get("kind", ""),
    )
    tallied_summary = reports.summary(report)
    monkeypatch.setattr(reports, "connection", SimpleNamespace(vendor="sqlite"))  # counts the registrations
    counted_summary = reports.summary(report)
    assert by_code(tallied_summary) == by_code(counted_summary) and tallied_summary.rows
    assert counts(tallied_summary.total) == counts(counted_summary.total)
    assert [(r.region_id, r.name, [counts(row) for row in r.rows]) for r in tallied_summary.regions] == [
        (r.region_id, r.name, [counts(row) for row in r.rows]) for r in counted_summary.regions
    ]
