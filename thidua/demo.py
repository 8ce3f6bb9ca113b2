"""Demo data: the regions of the 2018 article first, then log-ins linked to their units and appointments.

Illustrative people except where noted; the regions, units and leaders come from ``regions.demo``, the
writing of the accounts from ``accounts.demo``.
"""

from dataclasses import dataclass

from django.db import transaction

from accounts.demo import DemoLogin, demo_logins_create
from accounts.models import Role
from regions import services as region_services
from regions.demo import DemoSeed, seed_demo_leaders, seed_demo_regions
from regions.ministry import EMULATION_BODIES
from regions.models import Unit


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    position: str
    roles: frozenset[Role]
    unit_key: str = ""  # a unit of the regions demo ("stp:lam-dong" ...)
    ministry_unit: str = ""  # or a unit of the ministry (kind "other"), by name


DEMO_ACCOUNTS = [
    DemoAccount(
        "bo.thidua",
        "Trần Thị Minh Hằng",
        "Chuyên viên",
        frozenset({Role.MINISTRY}),
        # The ministry's department in charge of emulation today (Vụ Tổ chức cán bộ since 28/06/2023).
        ministry_unit=EMULATION_BODIES[-1].full_name,
    ),
    # Staff of the south-east region's 2018 head unit (the unit is from the article, the person illustrative).
    DemoAccount(
        "khuvuc.dongnambo", "Lê Hoàng Nam", "Chánh Văn phòng", frozenset({Role.REGION}), unit_key="stp:lam-dong"
    ),
    # Illustrative: staff of the merged Sở Tư pháp tỉnh Tây Ninh, the south-east's head unit in 2026 by the
    # demo's rotation; they manage that year's campaign and pact (pacts.demo), which khuvuc.dongnambo may not.
    DemoAccount(
        "khuvuc.tayninh",
        "Nguyễn Thị Thu Trang",
        "Chánh Văn phòng",
        frozenset({Role.REGION}),
        unit_key="stp:tay-ninh-2025",
    ),
    # Mai Công Danh led Cục THADS tỉnh Quảng Bình in 2018 (source article).
    DemoAccount(
        "lanhdao.quangbinh", "Mai Công Danh", "Cục trưởng", frozenset({Role.LEADER}), unit_key="cuc:quang-binh"
    ),
    # Illustrative: Giám đốc of the 2018 head unit, then of the merged Sở from 01/07/2025.
    DemoAccount("lanhdao.lamdong", "Trần Văn Phúc", "Giám đốc", frozenset({Role.LEADER}), unit_key="stp:lam-dong"),
    # Vũ Quang Hiện was appointed Cục trưởng of Cục THADS tỉnh Đồng Tháp on 02/03/2021 (related article).
    DemoAccount("lanhdao.dongthap", "Vũ Quang Hiện", "Cục trưởng", frozenset({Role.LEADER}), unit_key="cuc:dong-thap"),
    # Illustrative: the head of a provincial THADS body of the 2025 model.
    DemoAccount(
        "lanhdao.quangtri",
        "Hoàng Minh Tâm",
        "Trưởng Thi hành án dân sự tỉnh",
        frozenset({Role.LEADER}),
        unit_key="thads:quang-tri-2025",
    ),
    DemoAccount(
        "quantri",
        "Phạm Quốc Bảo",
        "Chuyên viên công nghệ thông tin",
        frozenset({Role.ADMIN}),
        ministry_unit="Văn phòng Bộ Tư pháp",
    ),
]


def _ministry_unit(name: str) -> Unit:
    unit = Unit.objects.filter(name=name, kind=Unit.Kind.OTHER).order_by("pk").first()
    if unit is None:
        return region_services.unit_create(name=name, kind=Unit.Kind.OTHER)
    if not unit.names.exists():  # made by the first demo, before units had a name history
        region_services.unit_rename(unit=unit, name=unit.name, effective=None)  # since a day not recorded
    return unit


@transaction.atomic
def seed_demo() -> DemoSeed:
    """Seeds the demo regions, then the demo accounts and the leaders' appointments linked to them."""
    data = seed_demo_regions()
    accounts = demo_logins_create(
        DemoLogin(
            username=account.username,
            full_name=account.full_name,
            position=account.position,
            roles=account.roles,
            unit=data.units[account.unit_key] if account.unit_key else _ministry_unit(account.ministry_unit),
        )
        for account in DEMO_ACCOUNTS
    )
    seed_demo_leaders(data, {user.username: user for user, _ in accounts})
    return DemoSeed(data=data, accounts=accounts)
