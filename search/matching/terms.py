"""What a subject asks the search backend for (its keyword terms), and which of those terms
a result's own text contains, to name them in the reason."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from search import text

MAX_TERMS = 24
MAX_CJK_RUN = 6  # longer runs of Chinese are phrases ("采购辣条春节备货"), not product words
# Words that say how something is packed or sold rather than what it is.
STOP_WORDS = frozenset(
    """a an and are as at by for from in is of on or the to with we our need needs want wanted
    pack packs packed family export gift box boxes bulk lot catering commerce original premium
    grade classic new long term supply supplier suppliers purchase purchasing buy buying
    piece pieces bag bags carton cartons case cases kg g ml l""".split()
)
# Words of a sourcing request that say how it is bought, not what: a run of Chinese holding one
# of them is a phrase ("采购辣条", "长期供货"), whose product word comes from the vocabulary.
CJK_STOP_WORDS = (
    "采购",
    "需求",
    "长期",
    "供货",
    "备货",
    "批发",
    "求购",
    "寻找",
    "春节",
    "稳定",
    "每月",
    "适合",
)


def _useful(token: str) -> bool:
    if text.is_cjk(token):
        return 2 <= len(token) <= MAX_CJK_RUN and not any(stop in token for stop in CJK_STOP_WORDS)
    return len(token) >= 3 and token.isalpha() and token not in STOP_WORDS


def words_of(*texts: str) -> list[str]:
    """The useful words of free texts, most frequent first, each once."""
    counts = Counter(token for part in texts if part for token in text.tokens(part) if _useful(token))
    return [word for word, _n in counts.most_common()]


def unique(terms: Iterable[str], *, limit: int = MAX_TERMS) -> list[str]:
    seen: dict[str, str] = {}
    for term in terms:
        term = " ".join(term.split())
        key = text.normalize(term)
        if term and key not in seen:
            seen[key] = term
    return list(seen.values())[:limit]


def vocabulary_in(texts: Iterable[str], vocabulary: Iterable[str]) -> list[str]:
    """The words of ``vocabulary`` (keywords, category names) that a text mentions."""
    document = text.document_text(*texts)
    return [word for word in vocabulary if word and contains(document, word)]


def contains(document: str, term: str) -> bool:
    """Whether a :func:`search.text.document_text` contains every word of ``term``, the way
    the database backend matches (Chinese anywhere, Latin words at a word start)."""
    words = text.phrase_words(term)
    return bool(words) and all(text.term_needle(word) in document for word in words)


def matched_terms(terms: Iterable[str], *texts: str) -> list[str]:
    document = text.document_text(*texts)
    return [term for term in terms if contains(document, term)]
