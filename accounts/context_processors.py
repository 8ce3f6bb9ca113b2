from django.http import HttpRequest

from .navigation import items_for
from .permissions import roles_of


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_items": items_for(user), "user_roles": roles_of(user)}
