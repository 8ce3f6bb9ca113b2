"""Demo accounts, one per role, for trying the portal. Illustrative people except where noted."""

from dataclasses import dataclass

from django.db import transaction

from regions.models import Unit

from .models import Role, User
from .services import user_create_or_update

DEMO_PASSWORD = "ThiDua@2026!"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    position: str
    unit_name: str
    unit_kind: str
    roles: frozenset[Role]


DEMO_ACCOUNTS = [
    DemoAccount(
        "bo.thidua",
        "Trần Thị Minh Hằng",
        "Chuyên viên",
        "Vụ Thi đua - Khen thưởng, Bộ Tư pháp",
        Unit.Kind.OTHER,
        frozenset({Role.MINISTRY}),
    ),
    DemoAccount(
        "khuvuc.dongnambo",
        "Lê Hoàng Nam",
        "Chánh Văn phòng",
        "Sở Tư pháp tỉnh Lâm Đồng",
        Unit.Kind.SO_TU_PHAP,
        frozenset({Role.REGION}),
    ),
    # Mai Công Danh led Cục THADS tỉnh Quảng Bình in 2018 (source article).
    DemoAccount(
        "lanhdao.quangbinh",
        "Mai Công Danh",
        "Cục trưởng",
        "Cục Thi hành án dân sự tỉnh Quảng Bình",
        Unit.Kind.CUC_THADS,
        frozenset({Role.LEADER}),
    ),
    DemoAccount(
        "quantri",
        "Phạm Quốc Bảo",
        "Chuyên viên công nghệ thông tin",
        "Văn phòng Bộ Tư pháp",
        Unit.Kind.OTHER,
        frozenset({Role.ADMIN}),
    ),
]


@transaction.atomic
def seed_demo_accounts() -> list[tuple[User, bool]]:
    """Creates the demo accounts, or leaves them as they are; returns (user, created) pairs."""
    results = []
    for account in DEMO_ACCOUNTS:
        unit, _ = Unit.objects.get_or_create(name=account.unit_name, defaults={"kind": account.unit_kind})
        results.append(
            user_create_or_update(
                username=account.username,
                full_name=account.full_name,
                email=f"{account.username}@thidua.example.vn",
                position=account.position,
                unit=unit,
                roles=set(account.roles),
                password=DEMO_PASSWORD,
            )
        )
    return results
