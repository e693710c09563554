"""Turning what people type into search terms, the same way for every backend.

Chinese has no spaces, so a run of Chinese characters is one term that matches anywhere
inside a text (辣条 inside 卫龙大面筋辣条). Latin words match at the start of a word
(``tea`` finds "tea drink" and "teas", not "steamed"). Everything that could mean
something to a query language (quotes, ``*``, ``~``, backslashes, SQL) is punctuation
here and only separates words.
"""

from __future__ import annotations

import re
import unicodedata

from zhconv import convert as _convert_chinese

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_TERM_LENGTH = 40

# CJK ideographs (with extensions) and the iteration mark; kana and hangul behave alike.
_CJK = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W{_CJK}_]+", re.UNICODE)
_CJK_RUN = re.compile(rf"^[{_CJK}]+$")
_HAS_CJK = re.compile(rf"[{_CJK}]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), traditional Chinese to simplified, lower case, no
    control characters: documents and queries are folded alike (湯圓 finds 汤圆)."""
    if not text:
        return ""
    folded = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text)).casefold()
    return _convert_chinese(folded, "zh-hans") if _HAS_CJK.search(folded) else folded


def tokens(text: str) -> list[str]:
    """Words of ``text``: runs of Chinese characters, and runs of letters or digits."""
    return _TOKEN.findall(normalize(text))


def is_cjk(token: str) -> bool:
    return bool(_CJK_RUN.match(token))


def clean_query(text: str | None) -> str:
    """What we keep of a query: at most ``MAX_QUERY_LENGTH`` characters, spaces collapsed."""
    return " ".join((text or "").split())[:MAX_QUERY_LENGTH]


def query_terms(text: str | None) -> list[str]:
    """The distinct terms of a query, in order, at most ``MAX_TERMS`` of them."""
    terms: list[str] = []
    for token in tokens(clean_query(text)):
        token = token[:MAX_TERM_LENGTH]
        if token not in terms:
            terms.append(token)
    return terms[:MAX_TERMS]


def singular(word: str) -> str:
    """A light English singular, enough for product words (sausages, cherries, boxes)."""
    if is_cjk(word) or len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def term_needle(term: str) -> str:
    """The substring a normalized document must contain for ``term`` to match.

    Documents are stored as `` word word `` (see :func:`document_text`), so a Latin word
    matches at a word start: the needle is a space and the word's singular.
    """
    return term if is_cjk(term) else " " + singular(term)


def document_text(*parts: str) -> str:
    """A text as the database backend stores it: tokens separated by single spaces,
    with a space at both ends so every word start is preceded by one."""
    words = tokens(" ".join(part for part in parts if part))
    return f" {' '.join(words)} " if words else " "


def phrase_words(phrase: str) -> list[str]:
    """The words of a keyword phrase (``halal snacks`` → ``["halal", "snacks"]``)."""
    return [token[:MAX_TERM_LENGTH] for token in tokens(phrase)][:MAX_TERMS]


def bigrams(value: str) -> list[str]:
    """The distinct pairs of neighbouring Chinese characters in ``value`` (卫龙辣条 → 卫龙, 龙辣, 辣条)."""
    pairs: dict[str, None] = {}
    for token in tokens(value):
        if is_cjk(token):
            pairs.update((token[i : i + 2], None) for i in range(len(token) - 1))
    return list(pairs)


_VARIANT = re.compile(r"[（(][^）)]*[）)]")


def title_heads(*titles: str) -> str:
    """Where each title ends, for "the product is what the words name" ranking.

    Product names put the thing itself last (五香花生 are peanuts, 花生油 is oil; "Peanut
    oil" too), so a term that ends a title counts extra. Variants in brackets are dropped
    and a last English word is made singular: ``五香花生（礼盒装）`` → `` 五香花生|``,
    ``Five-spice peanuts`` → `` five spice peanut|``.
    """
    heads = []
    for title in titles:
        words = tokens(_VARIANT.sub(" ", title or ""))
        if words:
            words[-1] = singular(words[-1])
            heads.append(f" {' '.join(words)}|")
    return "".join(heads)


def head_needle(term: str) -> str:
    """What ``title_heads`` holds when ``term`` ends a title."""
    return f"{term}|" if is_cjk(term) else f" {singular(term)}|"
