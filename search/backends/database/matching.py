"""How rows are matched and ranked: words, understood groups, attributes, scores."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL

from ... import text, understanding
from ...models import EntryCertificate, SearchText
from ..base import (
    SEARCH_WEIGHTS,
    UNDERSTOOD_WEIGHTS,
)

PARTIAL_BELOW = 1  # only when the words never occur together


def _needles(words: list[str]) -> list[str]:
    return [text.term_needle(word) for word in words]


class Matching:
    """Matching and ranking of the database backend (mixed into ``DatabaseBackend``)."""

    # --- matching ------------------------------------------------------------------------------
    def _match(self, word: str) -> Q:
        """``SearchText`` rows whose document holds ``word`` (see the module docstring)."""
        needle = text.term_needle(word)
        if self.vendor == "sqlite" and len(needle) >= 3:
            phrase = '"' + needle.replace('"', '""') + '"'
            return Q(
                entry_id__in=RawSQL(
                    "SELECT rowid FROM search_text_fts WHERE search_text_fts MATCH %s", [phrase]
                )
            )
        condition = Q(document__contains=needle)
        if self.vendor == "postgresql":
            if text.is_cjk(word) and len(word) >= 2:
                # the bigram array finds candidates through its index; LIKE confirms the order
                pairs = RawSQL("grams @> %s::text[]", [text.bigrams(word)], output_field=BooleanField())
                condition = Q(pairs) & condition
            elif word.isalpha():
                stemmed = RawSQL(
                    "vector @@ plainto_tsquery('english'::regconfig, %s)", [word], output_field=BooleanField()
                )
                condition |= Q(stemmed)
        return condition

    def _match_all(self, words: list[str]) -> Q:
        condition = Q()
        for word in words:
            condition &= self._match(word)
        return condition

    @staticmethod
    def _in_field(field: str, words: list[str], prefix: str = "") -> Q:
        condition = Q()
        for needle in _needles(words):
            condition &= Q(**{f"{prefix}{field}__contains": needle})
        return condition

    # --- understood queries (search/understanding.py) -------------------------------------
    @staticmethod
    def _understood(query) -> understanding.Understanding:
        return understanding.understand(query.q, literal=getattr(query, "literal", ()))

    def _group_match(self, group: understanding.Group) -> Q:
        """Rows holding any word of the group (its synonyms and close spellings included).

        On PostgreSQL several words are a union of one indexed lookup per word: an OR of
        them in one WHERE makes the planner scan the whole table."""
        words = list({text.term_needle(word): word for word in group.words + group.fuzzy}.values())
        if self.vendor != "postgresql" or len(words) < 2:
            condition = Q()
            for word in words:
                condition |= self._match(word)
            return condition
        lookups = [SearchText.objects.filter(self._match(word)).values("pk") for word in words]
        return Q(pk__in=lookups[0].union(*lookups[1:]))

    def _any_of(self, kind: str, conditions: list[Q | QuerySet]) -> Q:
        """Rows meeting any of the conditions (a union of indexed lookups on PostgreSQL). A
        condition may be a query of entry ids already (a link table's), taken as it is."""
        if self.vendor != "postgresql" or len(conditions) < 2:
            combined = Q()
            for condition in conditions:
                combined |= Q(pk__in=condition) if isinstance(condition, QuerySet) else condition
            return combined
        lookups = [
            condition
            if isinstance(condition, QuerySet)
            else SearchText.objects.filter(condition, kind=kind).values("pk")
            for condition in conditions
        ]
        return Q(pk__in=lookups[0].union(*lookups[1:]))

    @staticmethod
    def _any_in_field(field: str, words: list[str]) -> Q:
        condition = Q()
        for needle in _needles(words):
            condition |= Q(**{f"{field}__contains": needle})
        return condition

    def _attribute(self, group: understanding.Group, kind: str, query) -> Q | None:
        """What an attribute word asks of a row: its storage, a valid certificate, its province."""
        if group.kind == "storage" and kind == "product":
            return Q(storage=group.value)
        if group.kind == "certificate":
            # IN, not a correlated EXISTS: ranking evaluates it once (a hashed set), not per row
            return Q(pk__in=self._certified(group, query))
        if group.kind == "place" and group.places:
            # a province is a field; a country is named in the row's extra words
            return Q(province__in=group.places) | self._any_in_field("extra", group.places)
        return None

    @staticmethod
    def _implied(group: understanding.Group, kind: str, query) -> bool:
        """Whether the query's filters already ask for what the attribute word says: every
        row they let through has the attribute, so the word can find no other row."""
        if group.kind == "certificate":
            return query.certification == group.value
        if group.kind == "storage" and kind == "product":
            return getattr(query, "storage", "") == group.value
        return False

    def _worded(self, kind: str, query, understood) -> bool:
        """Whether the words must be matched in the text table: not when there are none, nor
        when each is an attribute the filters already ask for ("halal" filtered by HALAL),
        which is a browse of the filtered rows (the narrow entry table, newest first)."""
        if not understood.groups:
            return False
        return bool(understood.required) or not all(
            self._implied(group, kind, query) for group in understood.attributes
        )

    def _certified(self, group: understanding.Group, query) -> QuerySet:
        """The entries holding the group's certificate, valid on the query's day."""
        return EntryCertificate.objects.filter(self._valid_on(query.on), code=group.value).values("entry_id")

    def _text_filter(self, kind: str, query, understood) -> tuple[QuerySet, bool]:
        """Rows matching the query's text, and whether only some of its groups had to match.

        Every text group must match; when that leaves fewer than ``PARTIAL_BELOW`` rows, rows
        matching any text group come too (ranked below). A query of attribute words alone
        (``frozen``, ``清真``) finds rows that have the attribute or name it."""
        qs = SearchText.objects.filter(kind=kind)
        required = understood.required
        if not required:
            conditions = []
            for group in understood.attributes:
                conditions.append(self._group_match(group))
                if group.kind == "certificate":  # the link table answers by itself
                    conditions.append(self._certified(group, query))
                    continue
                attribute = self._attribute(group, kind, query)
                if attribute is not None:
                    conditions.append(attribute)
            return qs.filter(self._any_of(kind, conditions)), False
        strict = Q()
        for group in required:
            strict &= self._group_match(group)
        if len(required) == 1:
            return qs.filter(strict), False
        if qs.filter(strict).values("pk")[:PARTIAL_BELOW].count() >= PARTIAL_BELOW:
            return qs.filter(strict), False
        loose = Q()
        for group in required:
            loose |= self._group_match(group)
        return qs.filter(loose), True

    def _fuzzy_only(self, qs: QuerySet, understood) -> bool:
        """Whether no hit holds the words as typed (or their synonyms): only close spellings."""
        if not understood.corrected:
            return False
        exact = Q()
        for group in understood.required:
            words = Q()
            for word in group.words:
                words |= self._match(word)
            exact &= words
        return not qs.filter(exact).exists()

    def _score(self, kind: str, query, understood, partial: bool):
        """Relevance, per group: 3 in the title, 1.5 more when it ends the title, 2 in
        categories, keywords and company names (close spellings count less, attribute words
        half); a Chinese term of three or more characters not in the title earns a share of
        1.5 for each of its character pairs that is; an attribute the row has adds 4; when
        only some groups had to match, each group matched adds 10, so full matches lead.
        (A term in a description only counts for matching.)"""

        def case(condition: Q, weight: float):
            return Case(When(condition, then=Value(weight)), default=Value(0.0), output_field=FloatField())

        score = Value(0.0, output_field=FloatField())
        for group in understood.groups:
            share = 1.0 if group.required else UNDERSTOOD_WEIGHTS["attribute_text"]
            for words, weight in ((group.words, share), (group.fuzzy, share * UNDERSTOOD_WEIGHTS["fuzzy"])):
                if not words:
                    continue
                score = score + case(self._any_in_field("title", words), SEARCH_WEIGHTS["title"] * weight)
                heads = Q()
                for word in words:
                    heads |= Q(heads__contains=text.head_needle(word))
                score = score + case(heads, SEARCH_WEIGHTS["head"] * weight)
                score = score + case(self._any_in_field("extra", words), SEARCH_WEIGHTS["extra"] * weight)
            term = group.term
            pairs = text.bigrams(term) if group.required and text.is_cjk(term) and len(term) >= 3 else []
            for pair in pairs:
                partial_title = Q(title__contains=pair) & ~self._in_field("title", [term])
                score = score + case(partial_title, SEARCH_WEIGHTS["pairs"] / len(pairs))
            attribute = None if self._implied(group, kind, query) else self._attribute(group, kind, query)
            if attribute is not None:  # (an implied one adds the same to every row: left out)
                score = score + case(attribute, UNDERSTOOD_WEIGHTS["attribute"])
            if partial and group.required:
                score = score + case(self._group_match(group), UNDERSTOOD_WEIGHTS["cover"])
        return score
