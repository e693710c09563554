"""The four staff spreadsheet kinds (the formats README): one module per kind over a shared base.

Each kind turns a row's cells into clean values (:meth:`Kind.parse`, pure Python), compares
a batch of rows with what the database holds using a handful of queries (:meth:`Kind.plan`),
then writes the differences in bulk (:meth:`Kind.apply`, see ``bulk.py``); cell parsers live
in ``cells.py``.
"""

from .base import CREATED, UNCHANGED, UPDATED, Column, Kind, Row
from .buyers import BuyerKind
from .exhibitors import ExhibitorKind
from .products import ProductKind
from .requests import RequestKind

KINDS: dict[str, type[Kind]] = {
    kind.name: kind for kind in (ExhibitorKind, ProductKind, BuyerKind, RequestKind)
}

__all__ = [
    "CREATED",
    "KINDS",
    "UNCHANGED",
    "UPDATED",
    "BuyerKind",
    "Column",
    "ExhibitorKind",
    "Kind",
    "ProductKind",
    "RequestKind",
    "Row",
]
