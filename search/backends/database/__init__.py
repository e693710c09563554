"""The database backend (embedded default and CI): the ``search_entry`` table and its text indexes.

Matching is the same on both engines: a Chinese term is a substring of the normalized
text (辣条 inside 卫龙大面筋辣条), a Latin word a substring at a word start (its singular).
PostgreSQL serves it from a trigram GIN index and also accepts stemmed English words
through the ``tsvector`` column (``frying`` finds "fried"); SQLite serves terms of three or
more characters from its FTS5 trigram table and shorter ones (two Chinese characters) with
LIKE. Facets are counted on the same table in a few grouped queries.
"""

from .backend import DatabaseBackend

__all__ = ["DatabaseBackend"]
