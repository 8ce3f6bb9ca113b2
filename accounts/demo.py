"""Demo log-ins: their published password, and the writing of the accounts (who they are is seed_demo's)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model

from .models import Role, User
from .services import user_create_or_update

DEMO_PASSWORD = "ThiDua@2026!"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    position: str
    roles: frozenset[Role]
    unit: Model  # a regions.Unit, found by the caller: accounts knows no domain app


@transaction.atomic
def demo_logins_create(logins: Iterable[DemoLogin]) -> list[tuple[User, bool]]:
    """Creates each log-in with the demo password, or brings an existing one to these values; (user, created)."""
    accounts = []
    hashed = None
    for login in logins:
        user, created = user_create_or_update(
            username=login.username,
            full_name=login.full_name,
            email=f"{login.username}@thidua.example.vn",
            position=login.position,
            unit=login.unit,
            roles=set(login.roles),
        )
        if created:
            # Hashed once for all: the password is published, and each hash takes about a second.
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.save(update_fields=["password"])
        accounts.append((user, created))
    return accounts
