"""Writing the search tables: documents in, ids out, rebuilds."""

from __future__ import annotations

import json
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from ... import text
from ...models import EntryCategory, EntryCertificate, EntryEdition, SearchEntry, SearchText


class Writing:
    """Writing of the database backend (mixed into ``DatabaseBackend``)."""

    # --- writing -----------------------------------------------------------------------------
    @staticmethod
    def entry_values(kind: str, doc: dict) -> tuple[dict, dict]:
        """The ``SearchEntry`` and ``SearchText`` values of a document."""
        title = text.document_text(doc["title_zh"], doc["title_en"])
        extra = text.document_text(*doc["extra"])
        body = text.document_text(doc["body_zh"], doc["body_en"], doc.get("details", ""))
        price = doc.get("price")
        entry = {
            "kind": kind,
            "object_id": doc["id"],
            "key": doc["key"][:160],
            "sort_title": (doc["title_zh"] or doc["title_en"] or "")[:255],
            "owner_id": doc.get("owner_id"),
            "storage": doc.get("storage") or "",
            "province": (doc.get("province") or "")[:64],
            "price": Decimal(price) if price is not None else None,
            "moq": doc.get("moq"),
            "created": doc.get("created") or timezone.now(),
        }
        searchable = {
            "title": title,
            "heads": text.title_heads(doc["title_zh"], doc["title_en"]),
            "extra": extra,
            "document": title + extra[1:] + body[1:],
            "display": {
                "title_zh": doc["title_zh"],
                "title_en": doc["title_en"],
                "body_zh": (doc["body_zh"] or "")[:300],
                "body_en": (doc["body_en"] or "")[:300],
            },
        }
        return entry, searchable

    @staticmethod
    def _allocate_ids(count: int) -> list[int]:
        """Primary keys for ``count`` new entries, so inserts need no RETURNING (slow on SQLite).

        PostgreSQL hands them out from the table's sequence; on SQLite the caller has already
        written in this transaction (``_delete``), so it holds the database's write lock.
        """
        table = SearchEntry._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))

    def _insert(self, kind: str, documents: list[dict], *, fts: bool = True) -> None:
        """Insert entries, their text and links in plain multi-row statements; on SQLite also
        their FTS rows unless ``fts=False`` (a rebuild refills the FTS table at its end)."""
        if not documents:
            return
        ops = connection.ops
        postgres = connection.vendor == "postgresql"
        values = [self.entry_values(kind, doc) for doc in documents]
        ids = self._allocate_ids(len(values))
        entries, texts, categories, certificates, editions = [], [], [], [], []
        for pk, doc, (entry, searchable) in zip(ids, documents, values, strict=True):
            entries.append(
                (
                    pk,
                    kind,
                    entry["object_id"],
                    entry["key"],
                    entry["sort_title"],
                    entry["owner_id"],
                    entry["storage"],
                    entry["province"],
                    ops.adapt_decimalfield_value(entry["price"], 14, 2),
                    entry["moq"],
                    ops.adapt_datetimefield_value(entry["created"]),
                )
            )
            row = (
                pk,
                searchable["title"],
                searchable["extra"],
                searchable["document"],
                json.dumps(searchable["display"], ensure_ascii=False),
                searchable["heads"],
                *entries[-1][1:3],  # the facet values again: kind, object_id,
                *entries[-1][4:],  # sort_title ... created
            )
            texts.append(row + ((text.bigrams(searchable["document"]),) if postgres else ()))
            categories += [(pk, c) for c in dict.fromkeys(doc["categories"])]
            certificates += [
                (pk, c["code"], ops.adapt_datefield_value(c["valid_until"])) for c in doc["certificates"]
            ]
            editions += [(pk, e) for e in dict.fromkeys(doc["editions"])]
        facet_columns = ["kind", "object_id", "sort_title", "owner_id", "storage", "province", "price", "moq"]
        text_columns = [
            "entry_id",
            "title",
            "extra",
            "document",
            "display",
            "heads",
            *facet_columns,
            "created",
        ]
        text_columns += ["grams"] if postgres else []
        text_marks = (
            ["%s"] * 4 + ["%s::jsonb" if postgres else "%s"] + ["%s"] * 10 + (["%s"] if postgres else [])
        )
        statements = [
            (
                SearchEntry,
                "id, kind, object_id, key, sort_title, owner_id, storage, province, price, moq, created",
                ["%s"] * 11,
                entries,
            ),
            (SearchText, ", ".join(text_columns), text_marks, texts),
            (EntryCategory, "entry_id, category_id", ["%s"] * 2, categories),
            (EntryCertificate, "entry_id, code, valid_until", ["%s"] * 3, certificates),
            (EntryEdition, "entry_id, edition", ["%s"] * 2, editions),
        ]
        with connection.cursor() as cursor:
            for model, columns, marks, rows in statements:
                if rows:
                    cursor.executemany(
                        f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({', '.join(marks)})", rows
                    )
            if fts and connection.vendor == "sqlite":
                cursor.executemany(
                    "INSERT INTO search_text_fts(rowid, document) VALUES (%s, %s)",
                    [(row[0], row[3]) for row in texts],
                )

    def index_documents(self, kind: str, documents: list[dict]) -> None:
        with transaction.atomic():
            self._delete(kind, [d["id"] for d in documents])
            self._insert(kind, documents)
            self._bump(kind)

    def delete_documents(self, kind: str, ids: list[int]) -> None:
        with transaction.atomic():
            self._delete(kind, ids)
            self._bump(kind)

    @staticmethod
    def _delete(kind: str, ids: list[int] | None = None) -> None:
        """Remove entries with their text and links in plain SQL (the ORM would load every
        row first)."""
        where, params = "kind = %s", [kind]
        if ids is not None:
            ids = [int(pk) for pk in ids]
            if not ids:
                return
            where += f" AND object_id IN ({', '.join(['%s'] * len(ids))})"
            params += ids
        entries = f"SELECT id FROM {SearchEntry._meta.db_table} WHERE {where}"
        with connection.cursor() as cursor:
            for model in (EntryCategory, EntryCertificate, EntryEdition, SearchText):
                cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE entry_id IN ({entries})", params)
            cursor.execute(f"DELETE FROM {SearchEntry._meta.db_table} WHERE {where}", params)

    def rebuild(self, kind: str, batches, *, total: int | None = None, progress=None) -> int:
        """In one transaction: readers see the old entries until the new ones are all in."""
        written = 0
        with transaction.atomic():
            self._delete(kind)
            for documents in batches:
                self._insert(kind, documents, fts=False)
                written += len(documents)
                if progress:
                    progress(len(documents))
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO search_text_fts(search_text_fts) VALUES ('rebuild')")
            self._bump(kind)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                # the old rows are dead now: reclaim them and refresh the planner's figures
                for model in (SearchEntry, SearchText, EntryCategory, EntryCertificate, EntryEdition):
                    cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
        return written

    def indexed_ids(self, kind: str, *, owners=None) -> set[int]:
        qs = SearchEntry.objects.filter(kind=kind)
        if owners is not None:
            qs = qs.filter(owner_id__in=list(owners))
        return set(qs.values_list("object_id", flat=True))

    def ping(self) -> bool:
        return True
