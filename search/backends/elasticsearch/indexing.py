"""Writing to Elasticsearch: documents in bulk, rebuilding a new version behind the alias, and
listing every indexed id through a point in time."""

from __future__ import annotations

import logging

from ..base import KINDS, SearchUnavailable
from .mapping import source

logger = logging.getLogger("search.backends.elasticsearch")

ID_PAGE = 5_000  # ids per page of indexed_ids
ID_KEEP_ALIVE = "1m"


class IndexWriting:
    """Mixed into :class:`~.backend.ElasticsearchBackend`, which provides ``client``, ``alias``,
    ``_call``, ``_versions`` and ``_new_version``."""

    def _bulk(self, actions: list[dict]) -> None:
        from elasticsearch.helpers import BulkIndexError, bulk

        if not actions:
            return
        try:
            self._call(lambda: bulk(self.client, actions, refresh="wait_for", raise_on_error=True))
        except BulkIndexError as exc:
            failures = [e for e in exc.errors if next(iter(e.values())).get("status") != 404]
            if failures:
                raise SearchUnavailable(
                    f"Elasticsearch refused {len(failures)} documents: {failures[:1]}"
                ) from exc

    def _writable(self, kind: str) -> list[str]:
        versions = self._versions(kind)
        if not versions:
            # never built: start the first version so changes have somewhere to go
            name = self._new_version(kind)
            self._call(
                lambda: self.client.indices.update_aliases(
                    actions=[{"add": {"index": name, "alias": self.alias(kind)}}]
                )
            )
            versions = [name]
        return versions

    def index_documents(self, kind: str, documents: list[dict]) -> None:
        actions = [
            {"_op_type": "index", "_index": index, "_id": doc["id"], "_source": source(doc)}
            for index in self._writable(kind)
            for doc in documents
        ]
        self._bulk(actions)

    def delete_documents(self, kind: str, ids: list[int]) -> None:
        actions = [
            {"_op_type": "delete", "_index": index, "_id": int(pk)}
            for index in self._versions(kind)
            for pk in ids
        ]
        self._bulk(actions)

    def rebuild(self, kind: str, batches, *, total: int | None = None, progress=None) -> int:
        """Fill a new index version, then move the alias to it in one call and drop the old ones."""
        from elasticsearch.helpers import bulk

        alias = self.alias(kind)
        old = self._versions(kind)
        name = self._new_version(kind)
        written = 0
        try:
            self._call(
                lambda: self.client.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
            )
            for documents in batches:
                actions = [
                    {"_op_type": "index", "_index": name, "_id": doc["id"], "_source": source(doc)}
                    for doc in documents
                ]
                self._call(lambda actions=actions: bulk(self.client, actions, raise_on_error=True))
                written += len(documents)
                if progress:
                    progress(len(documents))
            self._call(
                lambda: self.client.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
            )
            self._call(lambda: self.client.indices.refresh(index=name))
        except Exception:
            self._call(lambda: self.client.indices.delete(index=name, ignore_unavailable=True))
            raise
        actions = [{"remove": {"index": index, "alias": alias}} for index in old]
        actions.append({"add": {"index": name, "alias": alias}})
        self._call(lambda: self.client.indices.update_aliases(actions=actions))
        for index in old:
            self._call(lambda index=index: self.client.indices.delete(index=index, ignore_unavailable=True))
        return written

    def id_page_request(self, kind: str, *, pit: str, owners=None, after=None) -> dict:
        """One page of the id listing: a point in time, sorted by id, after the last one seen."""
        query = {"match_all": {}}
        if owners is not None:
            query = {"bool": {"filter": [{"terms": {"owner_id": [int(pk) for pk in owners]}}]}}
        body = {
            "pit": {"id": pit, "keep_alive": ID_KEEP_ALIVE},
            "query": query,
            "sort": [{"id": "asc"}],
            "size": ID_PAGE,
            "_source": ["id"],
            "track_total_hits": False,
        }
        if after is not None:
            body["search_after"] = after
        return body

    def indexed_ids(self, kind: str, *, owners=None) -> set[int]:
        """Every id in the index (of ``owners``), however many: pages of a point in time in
        id order, so the listing never stops at the 10,000-hit window."""
        opened = self._call(
            lambda: self.client.open_point_in_time(index=self.alias(kind), keep_alive=ID_KEEP_ALIVE)
        )
        pit, after, ids = opened["id"], None, set()
        try:
            while True:
                body = self.id_page_request(kind, pit=pit, owners=owners, after=after)
                raw = self._call(lambda body=body: self.client.search(body=body))
                hits = raw["hits"]["hits"]
                ids.update(int(hit["_source"]["id"]) for hit in hits)
                pit = raw.get("pit_id", pit)
                if len(hits) < ID_PAGE:
                    return ids
                after = hits[-1]["sort"]
        finally:
            try:
                self._call(lambda: self.client.close_point_in_time(id=pit))
            except SearchUnavailable:
                logger.warning("could not close point in time of %s", kind)

    def drop(self) -> None:
        """Remove every index of this prefix (tests, and starting over)."""
        for kind in KINDS:
            for index in self._versions(kind):
                self._call(
                    lambda index=index: self.client.indices.delete(index=index, ignore_unavailable=True)
                )
