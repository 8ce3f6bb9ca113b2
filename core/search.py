"""Accent-folded "contains" searches that an index can serve.

``Folded(expr)`` is ``thidua_folded(expr)``: the text lower-cased without its Vietnamese marks, the same
folding as ``core.text.fold``. On PostgreSQL it is an IMMUTABLE SQL function over ``unaccent`` (created by
regions/migrations/0006), so that a column can be generated from it: the units' folded names
(``Unit.name_folded``…), whose trigram (pg_trgm) GIN indexes serve ``LIKE '%…%'`` with ``folded(text)``;
on SQLite ``core.apps`` registers the same function in Python.
"""

from django.db.models import Func, TextField

from .text import fold


class Folded(Func):
    function = "thidua_folded"
    output_field = TextField()
    arity = 1


def folded(text: str) -> str:
    """The search text folded as ``Folded`` folds the column."""
    return fold(text).lower()
