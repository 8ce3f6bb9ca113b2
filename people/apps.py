from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """The people area: accounts shown with their units and appointments (regions), invited and changed
    through accounts' services. Above regions, which it reads; accounts, below both, cannot."""

    name = "people"
    verbose_name = _("Users")
