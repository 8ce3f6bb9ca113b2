"""The progress page's pending units read by SQL on PostgreSQL (pacts.selectors.PENDING_PAGE_SQL) are what
the ORM's queries read, which other databases use: every page of several sizes, each unit with who may sign
for it that day in signing precedence (head, acting head, deputy in charge, deputy; the latest first),
appointments ended or not begun that day left out, a unit nobody leads, units that signed left out, and
past the end, no row."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from pacts import selectors
from regions import services as region_services
from regions.models import Appointment
from tests.pacts.factories import leader_signs, make_world

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL is PostgreSQL's; others use the ORM"),
]


def _with_orm(*args):
    with mock.patch.object(connection, "vendor", "sqlite"):
        return selectors.pending_page(*args)


def _shown(rows):
    return [(row.slot, row.signature, row.signers_today) for row in rows]


def test_the_sql_pending_page_is_the_orm_pending_page():
    world = make_world(9)
    today = timezone.localdate()
    units = world.units
    leader_signs(world, 1)
    leader_signs(world, 5)
    kinds = [Appointment.Kind.DEPUTY, Appointment.Kind.DEPUTY_IN_CHARGE, Appointment.Kind.DEPUTY]
    for n, kind in enumerate(kinds):
        region_services.appointment_start(
            unit=units[2], full_name=f"Phó Giám đốc {n}", position="Phó Giám đốc", start=date(2018 + n, 1, 1), kind=kind
        )
    region_services.appointment_start(
        unit=units[3],
        full_name="Đã Nghỉ",
        position="Phó Giám đốc",
        start=date(2016, 1, 1),
        kind=Appointment.Kind.DEPUTY,
        end=today - timedelta(days=1),
    )
    region_services.appointment_start(
        unit=units[3],
        full_name="Sắp Tới",
        position="Phó Giám đốc",
        start=today + timedelta(days=3),
        kind=Appointment.Kind.DEPUTY,
    )
    Appointment.objects.filter(unit=units[4]).update(end=today - timedelta(days=1))  # nobody leads it today

    whole = selectors.pending_page(world.pact, today, 0, 100)
    count = len(whole)
    assert count == 7 and [row.slot.unit_id for row in whole] == [u.pk for n, u in enumerate(units) if n not in (1, 5)]
    by_unit = {row.slot.unit_id: [signer.full_name for signer in row.signers_today] for row in whole}
    # The deputy in charge took over from the head (its start ended his term); then the deputies, latest first.
    assert by_unit[units[2].pk] == ["Phó Giám đốc 1", "Phó Giám đốc 2", "Phó Giám đốc 0"]
    assert by_unit[units[3].pk] == ["Nguyễn Văn Lãnh Đạo 3"]
    assert by_unit[units[4].pk] == []
    for size in (1, 2, 3, 4, 7):
        for start in range(0, count + 2, size):
            ours = selectors.pending_page(world.pact, today, start, start + size)
            theirs = _with_orm(world.pact, today, start, start + size)
            assert _shown(ours) == _shown(theirs), (start, size)
    assert selectors.pending_page(world.pact, today, 20, 30) == []
