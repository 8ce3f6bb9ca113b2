"""Writes to accounts: creating users and setting their roles."""

from django.db import transaction
from django.db.models import Model

from .models import Role, User, role_groups
from .permissions import forget_roles


@transaction.atomic
def user_set_roles(*, user: User, roles: set[Role]) -> None:
    groups = role_groups()
    user.groups.remove(*[groups[r.value] for r in Role if r not in roles])
    user.groups.add(*[groups[r.value] for r in roles])
    forget_roles(user)


@transaction.atomic
def user_create_or_update(
    *,
    username: str,
    full_name: str,
    email: str,
    position: str = "",
    unit: Model | None = None,  # a regions.Unit: accounts knows no domain app, only the foreign key to it
    roles: set[Role],
    password: str | None = None,
) -> tuple[User, bool]:
    """Creates the user, or brings an existing one to these values; returns (user, created).

    The password is set only when the user is created, so running a seed twice changes nothing.
    """
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "email": email, "position": position, "unit": unit},
    )
    if created:
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    else:
        changed = False
        for field, value in {"full_name": full_name, "email": email, "position": position, "unit": unit}.items():
            if getattr(user, field) != value:
                setattr(user, field, value)
                changed = True
        if changed:
            user.save()
    user_set_roles(user=user, roles=roles)
    return user, created
