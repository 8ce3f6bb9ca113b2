"""Django's own messages that its Vietnamese catalogue lacks (5.2 changed their wording) or words
poorly, marked here so that `make messages` extracts them into locale/vi, which takes precedence."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_MESSAGES = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    gettext_noop("Your old password was entered incorrectly. Please enter it again."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("That page number is not an integer"),
    gettext_noop("That page number is less than 1"),
    gettext_noop("That page contains no results"),
    gettext_noop("Email"),
)
