"""The category tree as matching reads it: a small in-memory copy, one query per match."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import get_language
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")

EXACT = 1.0
# An interest in a parent category matches its descendants, one level down a little less
# than an exact category, and less again further down.
ONE_LEVEL_DOWN = 0.8
FURTHER_DOWN = 0.85


@dataclass(frozen=True)
class Node:
    id: int
    path: str
    slug: str
    name: str
    name_en: str

    @property
    def label(self) -> str:
        """Both names, the reader's language first: ``辣条 / Latiao``."""
        names = (
            [self.name, self.name_en]
            if not (get_language() or "").startswith("en")
            else [
                self.name_en,
                self.name,
            ]
        )
        return " / ".join(dict.fromkeys(n for n in names if n))


@dataclass(frozen=True)
class Closeness:
    """How well a category someone has fits a category someone wants."""

    value: float
    have: Node
    wanted: Node


class CategoryTree:
    def __init__(self, nodes: Iterable[Node]) -> None:
        self.by_id = {node.id: node for node in nodes}
        self.by_path = {node.path: node for node in self.by_id.values()}
        self.steplen = Category.steplen
        self._lineages = {node.id: self._lineage(node) for node in self.by_id.values()}

    @classmethod
    def load(cls) -> CategoryTree:
        return cls(
            Node(*row) for row in Category.objects.values_list("id", "path", "slug", "name", "name_en")
        )

    def _lineage(self, node: Node) -> list[Node]:
        paths = (node.path[:end] for end in range(len(node.path), 0, -self.steplen))
        return [self.by_path[path] for path in paths if path in self.by_path]

    def lineage(self, category_id: int) -> list[Node]:
        """The category and its ancestors, the category first."""
        return self._lineages.get(category_id, [])

    def subtree_ids(self, category_ids: Iterable[int]) -> set[int]:
        """The categories and all their descendants."""
        prefixes = tuple(self.by_id[i].path for i in category_ids if i in self.by_id)
        if not prefixes:
            return set()
        return {node.id for node in self.by_id.values() if node.path.startswith(prefixes)}

    def lineage_ids(self, category_ids: Iterable[int]) -> set[int]:
        """The categories and all their ancestors: every interest that would match them."""
        return {node.id for category_id in category_ids for node in self.lineage(category_id)}

    def closeness(self, *, wanted: set[int], have: Iterable[int]) -> Closeness | None:
        """The best fit of the categories in ``have`` to those in ``wanted`` (an interest in a
        category matches it and its descendants; the exact category fits best)."""
        best = None
        for category_id in have:
            for steps, node in enumerate(self.lineage(category_id)):
                if node.id in wanted:
                    value = EXACT if steps == 0 else ONE_LEVEL_DOWN * FURTHER_DOWN ** (steps - 1)
                    if best is None or value > best.value:
                        best = Closeness(value, self.by_id[category_id], node)
                    break
        return best
