"""How changes reach the search index: marked in the writing transaction, drained after commit.

``mark(kind, ids)`` records ``PendingChange`` rows in the same transaction as the change
(model signals, imports) and, once that transaction commits, queues one
``search.tasks.index_pending`` task. The task drains the table in batches: it rebuilds the
documents of what changed from the database and writes them to the active backend, or
removes them when they are no longer searchable. If the engine is down the rows stay; the
periodic drain (every minute, Celery beat) catches up when it is back.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone
from oscar.core.loading import get_model

from . import documents
from .backends import SearchBackend, get_backend
from .models import PendingChange

logger = logging.getLogger(__name__)

DRAIN_BATCH = 500
FANOUTS = ("exhibitor-products", "buyer-requests", "category")


def is_active(backend: SearchBackend) -> bool:
    """Whether ``backend`` is the one the settings choose (only that one drains the queue)."""
    try:
        return get_backend().name == backend.name
    except Exception:  # noqa: BLE001 - a misconfigured engine is simply not the active one
        return False


def mark(kind: str, ids: Iterable[int | None], *, drain_on_commit: bool = True) -> None:
    """Record that these objects changed; they are indexed after the transaction commits
    (``drain_on_commit=False``: by a later ``drain_after_commit()`` or the periodic drain)."""
    ids = sorted({int(pk) for pk in ids if pk is not None})
    if not ids:
        return
    now = timezone.now()
    PendingChange.objects.bulk_create(
        [PendingChange(kind=kind, object_id=pk, changed_at=now) for pk in ids],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=["changed_at"],
    )
    if drain_on_commit:
        drain_after_commit()


def drain_after_commit() -> None:
    """Queue one drain of the pending changes once the current transaction commits."""
    conn = transaction.get_connection()
    if conn.in_atomic_block and any(item[1] is _queue_drain for item in conn.run_on_commit):
        return  # one drain per transaction, however many objects it touched
    transaction.on_commit(_queue_drain)


def _queue_drain() -> None:
    from django.conf import settings

    from .tasks import index_pending

    try:
        if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
            index_pending.apply()  # no broker: run here, without asking Celery for a producer
        else:
            index_pending.delay()
    except Exception:  # noqa: BLE001 - the broker may be down: the periodic drain catches up
        logger.warning(
            "could not queue the search index drain; the periodic one will catch up", exc_info=True
        )


def _expand(rows: list[PendingChange], backend: SearchBackend) -> dict[str, set[int]]:
    """Turn fan-out rows into the objects they stand for."""
    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    from buyers.models import Buyer, SourcingRequest
    from exhibitors.models import Exhibitor

    wanted: dict[str, set[int]] = defaultdict(set)
    by_kind: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row.object_id)
    for kind in documents.KINDS:
        wanted[kind].update(by_kind.get(kind, []))
    if by_kind.get("exhibitor-products"):
        owners = by_kind["exhibitor-products"]
        wanted["product"].update(
            Product.objects.filter(stockrecords__partner__exhibitor__id__in=owners).values_list(
                "id", flat=True
            )
        )
        wanted["product"].update(backend.indexed_ids("product", owners=owners))
    if by_kind.get("buyer-requests"):
        owners = by_kind["buyer-requests"]
        wanted["request"].update(
            SourcingRequest.objects.filter(buyer_id__in=owners).values_list("id", flat=True)
        )
        wanted["request"].update(backend.indexed_ids("request", owners=owners))
    if by_kind.get("category"):
        tree = documents.CategoryTree()
        subtree = {pk for category_id in by_kind["category"] for pk in tree.subtree(category_id)}
        products = set(
            ProductCategory.objects.filter(category_id__in=subtree).values_list("product_id", flat=True)
        )
        wanted["product"] |= products
        wanted["exhibitor"].update(
            Exhibitor.objects.filter(categories__in=subtree).values_list("id", flat=True),
            Exhibitor.objects.filter(partner__stockrecords__product_id__in=products).values_list(
                "id", flat=True
            ),
        )
        wanted["buyer"].update(Buyer.objects.filter(interests__in=subtree).values_list("id", flat=True))
        wanted["request"].update(
            SourcingRequest.objects.filter(category_id__in=subtree).values_list("id", flat=True)
        )
    return wanted


def apply(kind: str, ids: Iterable[int], *, backend: SearchBackend | None = None) -> tuple[int, int]:
    """Write the documents of ``ids`` to the backend, remove those no longer searchable."""
    backend = backend or get_backend()
    ids = sorted(set(ids))
    indexed = removed = 0
    tree = documents.CategoryTree() if ids else None
    for start in range(0, len(ids), DRAIN_BATCH):
        chunk = ids[start : start + DRAIN_BATCH]
        docs = documents.build(kind, chunk, tree)
        if docs:
            backend.index_documents(kind, docs)
        gone = sorted(set(chunk) - {doc["id"] for doc in docs})
        if gone:
            backend.delete_documents(kind, gone)
        indexed += len(docs)
        removed += len(gone)
    return indexed, removed


def drain(*, backend: SearchBackend | None = None, max_rows: int | None = None) -> dict[str, int]:
    """Index everything pending, a batch per transaction. Raises SearchUnavailable (leaving
    the rows for later) when the engine is down. Rows changed again while a batch is being
    written stay for the next drain, so no change is lost."""
    backend = backend or get_backend()
    started = timezone.now()
    totals = {"changes": 0, "indexed": 0, "removed": 0}
    while max_rows is None or totals["changes"] < max_rows:
        with transaction.atomic():
            rows = PendingChange.objects.filter(changed_at__lte=started).order_by("id")
            if connection.vendor == "postgresql":
                rows = rows.select_for_update(skip_locked=True)
            rows = list(rows[:DRAIN_BATCH])
            if not rows:
                break
            for kind, ids in _expand(rows, backend).items():
                if ids:
                    indexed, removed = apply(kind, ids, backend=backend)
                    totals["indexed"] += indexed
                    totals["removed"] += removed
            PendingChange.objects.filter(pk__in=[row.pk for row in rows], changed_at__lte=started).delete()
            totals["changes"] += len(rows)
    return totals


def has_pending() -> bool:
    return PendingChange.objects.exists()


def pending_count() -> int:
    return PendingChange.objects.count()


def rebuild(
    *,
    backend: SearchBackend | None = None,
    kinds: Iterable[str] = documents.KINDS,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
) -> dict[str, dict[str, float]]:
    """Rebuild the whole index of each kind from the database; readers keep the old one
    until the new one is complete. ``progress(kind, total)`` returns a callback that gets
    the number of documents written after each batch."""
    backend = backend or get_backend()
    report = {}
    for kind in kinds:
        started = time.monotonic()
        total = documents.count(kind)
        step = progress(kind, total) if progress else None
        written = backend.rebuild(kind, documents.batches(kind), total=total, progress=step)
        report[kind] = {"documents": written, "seconds": round(time.monotonic() - started, 2)}
    return report


def mark_imported(kind: str, identities: Iterable[tuple]) -> None:
    """Queue indexing of what a staff import wrote (bulk writes send no signals).

    ``kind`` is the import kind (``exhibitors``, ``products``, ``buyers``, ``requests``),
    ``identities`` the rows' identities: ``(key,)``, ``(exhibitor_key, sku)`` or
    ``(buyer_key, reference)``. Called inside the import's transaction, so a rolled-back
    import queues nothing; the import calls ``drain_after_commit()`` once at its end.
    """
    from buyers.models import Buyer, SourcingRequest
    from exhibitors.models import Exhibitor

    StockRecord = get_model("partner", "StockRecord")
    identities = [tuple(identity) for identity in identities if identity]
    if not identities:
        return
    if kind == "exhibitors":
        ids = list(Exhibitor.objects.filter(key__in=[i[0] for i in identities]).values_list("id", flat=True))
        mark("exhibitor", ids, drain_on_commit=False)
        mark("exhibitor-products", ids, drain_on_commit=False)
    elif kind == "buyers":
        ids = list(Buyer.objects.filter(key__in=[i[0] for i in identities]).values_list("id", flat=True))
        mark("buyer", ids, drain_on_commit=False)
        mark("buyer-requests", ids, drain_on_commit=False)
    elif kind == "products":
        wanted = set(identities)
        rows = StockRecord.objects.filter(
            partner__exhibitor__key__in={i[0] for i in identities},
            partner_sku__in={i[1] for i in identities},
        ).values_list("partner__exhibitor__key", "partner_sku", "product_id", "partner__exhibitor__id")
        touched = [
            (product_id, exhibitor_id) for key, sku, product_id, exhibitor_id in rows if (key, sku) in wanted
        ]
        mark("product", [product_id for product_id, _e in touched], drain_on_commit=False)
        mark("exhibitor", {exhibitor_id for _p, exhibitor_id in touched}, drain_on_commit=False)
    elif kind == "requests":
        wanted = set(identities)
        rows = SourcingRequest.objects.filter(
            buyer__key__in={i[0] for i in identities}, reference__in={i[1] for i in identities}
        ).values_list("buyer__key", "reference", "id")
        mark(
            "request",
            [pk for key, reference, pk in rows if (key, reference) in wanted],
            drain_on_commit=False,
        )


def rebuild_or_warn() -> str:
    """Rebuild every index (``load_demo`` calls this after bulk-loading); one line saying
    what happened, never an error when the engine is down."""
    from .backends import SearchUnavailable

    try:
        backend = get_backend()
        report = rebuild(backend=backend)
        drain(backend=backend)
    except SearchUnavailable as exc:
        return f"Search index not rebuilt ({exc}); run `manage.py reindex` once the engine is up."
    documents_written = sum(int(figures["documents"]) for figures in report.values())
    return f"Search index rebuilt ({backend.name}): {documents_written} documents."
