"""A region-year with leaders and an open pact, built through the services as the portal would."""

import time
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Role
from accounts.reauth import SESSION_KEY
from pacts import services
from pacts.models import Campaign, Pact
from regions import services as region_services
from regions.models import Appointment, RegionMembership, Unit
from tests.factories import UserFactory
from tests.regions.factories import make_region, make_unit


def login(client, user, *, fresh: bool = True) -> None:
    """Logs in; ``fresh`` also confirms the password, as the signing page asks."""
    client.force_login(user)
    if fresh:
        session = client.session
        session[SESSION_KEY] = int(time.time())
        session.save()


@dataclass
class PactWorld:
    campaign: Campaign
    pact: Pact
    units: list[Unit]
    leaders: list  # the head's user account of each unit, in the same order
    officer: object  # a region officer of the head unit


def make_world(n_units: int = 3, *, year: int | None = None, open_pact: bool = True, prefix: str = "") -> PactWorld:
    year = year or timezone.localdate().year
    region = make_region(f"Khu vực thi đua thử {prefix}{n_units}")
    units, leaders = [], []
    for n in range(n_units):
        unit = make_unit(f"Sở Tư pháp tỉnh Thử {prefix}{n}", active_from=date(2000, 1, 1))
        leader = UserFactory(
            username=f"lanhdao{prefix}{n}", full_name=f"Nguyễn Văn Lãnh Đạo {n}", unit=unit, roles=[Role.LEADER]
        )
        region_services.appointment_start(
            unit=unit, full_name=leader.full_name, position="Giám đốc", start=date(2015, 1, 1), user=leader
        )
        role = RegionMembership.Role.HEAD if n == 0 else RegionMembership.Role.MEMBER
        region_services.membership_add(region=region, unit=unit, year=year, role=role)
        units.append(unit)
        leaders.append(leader)
    officer = UserFactory(username=f"canbo{prefix}", full_name="Lê Hoàng Nam", unit=units[0], roles=[Role.REGION])
    campaign = services.campaign_create(
        region=region,
        year=year,
        title=f"Kế hoạch phát động phong trào thi đua năm {year}",
        actor=officer,
        conference_date=timezone.localdate(),
        conference_place="Đồng Hới",
    )
    pact = services.pact_create(campaign=campaign, actor=officer)
    services.pact_update_draft(
        pact=pact,
        actor=officer,
        clauses=["Hoàn thành xuất sắc nhiệm vụ chính trị được giao.", "Đẩy mạnh ứng dụng CNTT."],
    )
    if open_pact:
        pact = services.pact_open(pact=pact, deadline=timezone.now() + timedelta(days=14), actor=officer)
    return PactWorld(campaign=campaign, pact=pact, units=units, leaders=leaders, officer=officer)


def leader_signs(world: PactWorld, n: int) -> None:
    """The head of the world's unit ``n`` signs its pact, consenting to the text shown."""
    services.pact_sign(
        pact=world.pact, unit=world.units[n], user=world.leaders[n], consent=True, content_hash=world.pact.content_hash
    )


def deputy_of(unit: Unit, username: str):
    user = UserFactory(username=username, full_name="Trần Phó Giám Đốc", unit=unit, roles=[Role.LEADER])
    region_services.appointment_start(
        unit=unit,
        full_name=user.full_name,
        position="Phó Giám đốc",
        start=date(2016, 1, 1),
        kind=Appointment.Kind.DEPUTY,
        user=user,
    )
    return user
