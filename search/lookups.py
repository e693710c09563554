"""``among``: a column among many ids, sent as one value.

A filter on a few hundred candidate ids (``field__in=ids``) becomes one placeholder per id,
which Django prepares and psycopg splits one by one, on every query of a match. On
PostgreSQL ``among`` sends the ids as one array (``= ANY(%s)``), which the planner reads as
it reads an ``IN`` list; elsewhere it is the ordinary ``IN``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, F, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False
    can_use_none_as_rhs = False

    @property
    def output_field(self):
        return BooleanField()

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [value])

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = [int(value) for value in self.rhs]
        if not ids:
            raise EmptyResultSet  # as ``__in=[]``: no query, or this branch of an OR dropped
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, ids]
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]


def among(field: str, ids: Iterable[int]) -> AnyOf:
    """A filter: ``field`` (an integer column or foreign key id) is one of ``ids``."""
    return AnyOf(F(field), list(ids))
