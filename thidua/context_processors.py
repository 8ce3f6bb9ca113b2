"""What every page's layout needs: the navigation bar's entries and the user's roles."""

from django.http import HttpRequest

from accounts.permissions import roles_of

from .navigation import items_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_items": items_for(user), "user_roles": roles_of(user)}
