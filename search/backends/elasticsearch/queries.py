"""The query clauses: one term in field groups, ranking boosts, certificates, understood queries."""

from __future__ import annotations

from datetime import date

from django.utils.html import escape

from ... import text
from ..base import SEARCH_WEIGHTS, UNDERSTOOD_WEIGHTS
from .mapping import FIELD_GROUPS, POST, PRE, _dsl


def _term_query(term: str, groups=("title", "extra", "body"), *, weighted: bool = True, name: str = ""):
    """One term in the given field groups: Chinese as a phrase on ``.zh``, Latin words on
    ``.en`` (stemmed) and the plain field."""
    dsl = _dsl()
    fields = []
    for group in groups:
        sources, weight, _kw = FIELD_GROUPS[group]
        boost = f"^{weight:g}" if weighted and weight != 1 else ""
        for field in sources:
            if text.is_cjk(term):
                fields.append(f"{field}.zh{boost}")
            else:
                fields += [f"{field}{boost}", f"{field}.en{boost}"]
    options = {"query": term, "fields": fields}
    if text.is_cjk(term):
        options["type"] = "phrase"
    else:
        options.update(type="best_fields", operator="and")
    if name:
        options["_name"] = name
    return dsl.Q("multi_match", **options)


def _ranking_boosts(term: str, *, smartcn: bool = False) -> list:
    """What the database backend also rewards: a term that ends a title (what the product
    is), and, for a longer Chinese term, its character pairs in a title; with smartcn, the
    words it segments count too (they never decide what matches, the bigrams do)."""
    dsl = _dsl()
    needle = text.head_needle(term).rstrip("|")
    reversed_needle = needle[::-1]
    if text.is_cjk(term):
        ends = dsl.Q("prefix", heads_reversed=reversed_needle)
    else:
        ends = dsl.Q(
            "bool",
            should=[
                dsl.Q("prefix", heads_reversed=reversed_needle),  # "... sausage"
                dsl.Q("term", heads_reversed=reversed_needle.strip()),  # the whole title
            ],
        )
    boosts = [dsl.Q("constant_score", filter=ends, boost=SEARCH_WEIGHTS["head"])]
    if text.is_cjk(term) and len(term) >= 3:
        boosts.append(
            dsl.Q(
                "multi_match",
                query=term,
                fields=["title_zh.zh", "title_en.zh"],
                type="best_fields",
                boost=SEARCH_WEIGHTS["pairs"],
            )
        )
    if smartcn and text.is_cjk(term):
        boosts.append(dsl.Q("multi_match", query=term, fields=["title_zh.cn^2", "extra.cn", "body_zh.cn"]))
    return boosts


def _phrase_query(words: list[str], groups, *, name: str = ""):
    """All words of a keyword phrase within the given field groups."""
    dsl = _dsl()
    query = dsl.Q("bool", filter=[_term_query(word, groups, weighted=False) for word in words])
    if name:
        query = dsl.Q("bool", filter=[query], _name=name)
    return query


def _valid_certificate(code: str | None, day: date):
    dsl = _dsl()
    valid = dsl.Q(
        "bool",
        should=[
            dsl.Q("range", certificates__valid_until={"gte": day.isoformat()}),
            dsl.Q("bool", must_not=[dsl.Q("exists", field="certificates.valid_until")]),
        ],
        minimum_should_match=1,
    )
    clauses = [valid] + ([dsl.Q("term", certificates__code=code)] if code else [])
    return dsl.Q("bool", filter=clauses)


def mark(fragment: str) -> str:
    return escape(fragment).replace(PRE, "<mark>").replace(POST, "</mark>")


# --- understood queries (search/understanding.py) ------------------------------------------------
LATIN_FIELDS = ("title_zh", "title_en", "extra")


def _fuzzy_clause(word: str):
    """A Latin word spelt a little wrong (edit distance by length, first letter kept)."""
    dsl = _dsl()
    return dsl.Q(
        "multi_match",
        query=word,
        fields=[f"{field}.en" for field in LATIN_FIELDS] + list(LATIN_FIELDS),
        type="best_fields",
        operator="and",
        fuzziness="AUTO",
        prefix_length=1,
        boost=UNDERSTOOD_WEIGHTS["fuzzy"],
    )


def group_query(group, n: int):
    """Rows holding a word of the group: its words and synonyms (named ``exact:n``, so a hit
    says whether it matched as typed), else a close spelling, ranked lower."""
    dsl = _dsl()
    exact = dsl.Q(
        "bool", should=[_term_query(word) for word in group.words], minimum_should_match=1, _name=f"exact:{n}"
    )
    should = [exact]
    for word in group.fuzzy:
        should.append(dsl.Q("bool", must=[_term_query(word)], boost=UNDERSTOOD_WEIGHTS["fuzzy"]))
    if group.required and not text.is_cjk(group.term) and group.term.isalpha() and len(group.term) >= 4:
        should.append(_fuzzy_clause(group.term))
    return dsl.Q("bool", should=should, minimum_should_match=1)


def attribute_clause(group, *, product: bool, day: date):
    """What an attribute word asks of a row (its storage, a valid certificate, its place), or None."""
    dsl = _dsl()
    if group.kind == "storage" and product:
        return dsl.Q("term", storage=group.value)
    if group.kind == "certificate":
        return dsl.Q("nested", path="certificates", query=_valid_certificate(group.value, day))
    if group.kind == "place" and group.places:
        return dsl.Q(
            "bool",
            should=[dsl.Q("terms", province=group.places)]
            + [_term_query(name, ("extra",), weighted=False) for name in group.places],
            minimum_should_match=1,
        )
    return None


def understood_query(understood, *, product: bool, day: date, loose: bool = False, smartcn: bool = False):
    """The query of an understood search, as the database backend runs it: every text group
    must match (``loose``: any, each one matched adding ``cover``); attribute words raise
    the rows that have the attribute and never filter; a query of attribute words alone
    finds the rows that have one or name one."""
    dsl = _dsl()
    required = understood.required
    groups = {id(group): n for n, group in enumerate(understood.groups)}
    boosts = []
    for group in understood.groups:
        for word in group.words:
            boosts += _ranking_boosts(word, smartcn=smartcn)
    attributes = []
    for group in understood.attributes:
        condition = attribute_clause(group, product=product, day=day)
        named = dsl.Q(
            "bool",
            should=[_term_query(word) for word in group.words],
            minimum_should_match=1,
            boost=UNDERSTOOD_WEIGHTS["attribute_text"],
        )
        attributes.append((named, condition))
        boosts.append(named)
        if condition is not None:
            boosts.append(dsl.Q("constant_score", filter=condition, boost=UNDERSTOOD_WEIGHTS["attribute"]))
    if not required:
        options = [clause for named, condition in attributes for clause in (named, condition) if clause]
        return dsl.Q("bool", must=[dsl.Q("bool", should=options, minimum_should_match=1)], should=boosts)
    matches = [group_query(group, groups[id(group)]) for group in required]
    if not loose:
        return dsl.Q("bool", must=matches, should=boosts)
    cover = [dsl.Q("constant_score", filter=match, boost=UNDERSTOOD_WEIGHTS["cover"]) for match in matches]
    return dsl.Q("bool", must=[dsl.Q("bool", should=matches, minimum_should_match=1)], should=cover + boosts)


def fuzzy_only(understood, hits: list[dict]) -> bool:
    """Whether no hit of the page matched every text word as typed (only close spellings)."""
    if not understood.corrected:
        return False
    wanted = {f"exact:{n}" for n, group in enumerate(understood.groups) if group.required}
    return not any(wanted <= set(hit.get("matched_queries", [])) for hit in hits)
