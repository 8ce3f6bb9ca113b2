"""Accent-folded "contains" searches that an index can serve.

``Folded(expr)`` is ``thidua_folded(expr)``: the text lower-cased without its Vietnamese marks, the same
folding as ``core.text.fold``. On PostgreSQL it is an IMMUTABLE SQL function over ``unaccent`` (created by
regions/migrations/0006), so that trigram (pg_trgm) GIN indexes on ``thidua_folded(name)`` serve
``LIKE '%…%'``; on SQLite ``core.apps`` registers the same function in Python.
"""

from django.db.models import Func, Q, TextField
from django.db.models.lookups import Contains

from .text import fold


class Folded(Func):
    function = "thidua_folded"
    output_field = TextField()
    arity = 1


def folded(text: str) -> str:
    """The search text folded as ``Folded`` folds the column."""
    return fold(text).lower()


def folded_contains(fields: tuple[str, ...], text: str) -> Q:
    """Any of ``fields`` contains ``text``, with or without diacritics and in any case."""
    needle = folded(text)
    query = Q()
    for name in fields:
        query |= Q(Contains(Folded(name), needle))
    return query
