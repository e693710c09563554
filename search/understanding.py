"""What a buyer's query means, worked out once and used by every search backend.

A query is split into groups: each group is one thing the buyer named, with the words that
may stand for it (the word itself, its synonyms and variants from ``data/synonyms.txt``, and,
when the word is unknown to the catalogue, close spellings). Words that name a storage form
(速冻, frozen), a certificate (清真, halal) or a place (河南, Kazakhstan) become *attribute*
groups: they raise the products that have that storage, certificate or place, and are never
required, so "halal beef" still lists beef when few products are certified. The rest of the
query is text that must match; when the text groups never occur together, products
matching some of them follow the full matches.

``literal`` lists words the reader asked to take as typed (a removed chip): they are plain
required text, without synonyms, spellings or attribute meaning.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale

from . import text

SYNONYMS_FILE = Path(__file__).resolve().parent / "data" / "synonyms.txt"
MAX_FUZZY = 2

STORAGE_WORDS = {
    "frozen": [
        "速冻",
        "冷冻",
        "急冻",
        "冻品",
        "frozen",
        "quick frozen",
        "quick-frozen",
        "iqf",
        "deep frozen",
    ],
    "chilled": ["冷藏", "冰鲜", "低温", "chilled", "refrigerated", "cold chain"],
    "ambient": ["常温", "ambient", "shelf stable", "shelf-stable", "room temperature"],
}
CERTIFICATE_WORDS = {
    "HALAL": ["清真", "穆斯林", "halal", "muslim"],
    "KOSHER": ["犹太", "洁食", "kosher"],
    "ORGANIC": ["有机", "organic", "bio"],
    "GREEN_FOOD": ["绿色食品", "green food"],
    "HACCP": ["haccp"],
    "ISO22000": ["iso22000", "iso 22000"],
    "ISO9001": ["iso9001", "iso 9001"],
    "BRCGS": ["brcgs", "brc"],
    "IFS": ["ifs"],
    "FDA": ["fda"],
}
PROVINCES = {
    "北京": "Beijing", "天津": "Tianjin", "河北": "Hebei", "山西": "Shanxi", "内蒙古": "Inner Mongolia",
    "辽宁": "Liaoning", "吉林": "Jilin", "黑龙江": "Heilongjiang", "上海": "Shanghai", "江苏": "Jiangsu",
    "浙江": "Zhejiang", "安徽": "Anhui", "福建": "Fujian", "江西": "Jiangxi", "山东": "Shandong",
    "河南": "Henan", "湖北": "Hubei", "湖南": "Hunan", "广东": "Guangdong", "广西": "Guangxi",
    "海南": "Hainan", "重庆": "Chongqing", "四川": "Sichuan", "贵州": "Guizhou", "云南": "Yunnan",
    "西藏": "Tibet", "陕西": "Shaanxi", "甘肃": "Gansu", "青海": "Qinghai", "宁夏": "Ningxia",
    "新疆": "Xinjiang", "台湾": "Taiwan", "香港": "Hong Kong", "澳门": "Macao",
}  # fmt: skip
PROVINCE_SUFFIXES = ("省", "市", "自治区", "壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区")
# Adjectives of origin that buyers type with a food ("Thai rice").
DEMONYMS = {
    "thai": "TH", "japanese": "JP", "korean": "KR", "italian": "IT", "french": "FR", "german": "DE",
    "spanish": "ES", "russian": "RU", "american": "US", "australian": "AU", "canadian": "CA",
    "brazilian": "BR", "indian": "IN", "vietnamese": "VN", "malaysian": "MY", "indonesian": "ID",
    "kazakh": "KZ", "uzbek": "UZ", "chilean": "CL", "argentine": "AR", "dutch": "NL", "belgian": "BE",
    "swiss": "CH", "new zealand": "NZ", "british": "GB", "turkish": "TR", "mexican": "MX", "usa": "US",
    "uk": "GB",
}  # fmt: skip


@dataclass
class Group:
    """One thing the query names: ``words`` match exactly, ``fuzzy`` are close spellings.

    ``kind`` is ``text`` (must match), or ``storage``/``certificate``/``place`` with ``value``
    (the storage code, certificate code, or the place's names), which raise but never filter.
    """

    term: str
    words: list[str]
    fuzzy: list[str] = field(default_factory=list)
    kind: str = "text"
    value: str = ""
    places: list[str] = field(default_factory=list)

    @property
    def required(self) -> bool:
        return self.kind == "text"

    @property
    def synonyms(self) -> list[str]:
        return [word for word in self.words if word != self.term]


@dataclass
class Understanding:
    q: str
    groups: list[Group]

    @property
    def required(self) -> list[Group]:
        return [group for group in self.groups if group.required]

    @property
    def attributes(self) -> list[Group]:
        return [group for group in self.groups if not group.required]

    @property
    def storage(self) -> str:
        return next((g.value for g in self.groups if g.kind == "storage"), "")

    @property
    def certifications(self) -> list[str]:
        return [g.value for g in self.groups if g.kind == "certificate"]

    @property
    def places(self) -> list[str]:
        return [name for g in self.groups if g.kind == "place" for name in g.places]

    @property
    def highlight_terms(self) -> list[str]:
        seen: dict[str, None] = {}
        for group in self.groups:
            for word in group.words + group.fuzzy:
                for token in text.tokens(word):
                    seen[token] = None
        return list(seen)

    @property
    def corrected(self) -> str:
        """The query with each misspelt word replaced by its closest spelling ('' if none)."""
        if not any(g.fuzzy and g.required for g in self.groups):
            return ""
        return " ".join(g.fuzzy[0] if g.fuzzy else g.term for g in self.groups)

    @property
    def chips(self) -> list[dict]:
        """What was understood, for the results page: one chip per attribute, synonym set or
        correction, each with the word to take literally when the reader removes it."""
        chips = []
        for group in self.groups:
            if group.kind != "text":
                chips.append({"kind": group.kind, "word": group.term, "value": group.value})
            elif group.fuzzy:
                chips.append({"kind": "spelling", "word": group.term, "value": ", ".join(group.fuzzy)})
            elif group.synonyms:
                chips.append({"kind": "synonym", "word": group.term, "value": ", ".join(group.synonyms[:4])})
        return chips


# --- dictionaries ------------------------------------------------------------------------------


def _key(phrase: str) -> str:
    return " ".join(text.tokens(phrase))


@functools.cache
def synonym_groups() -> dict[str, list[str]]:
    """Normalized word or phrase → every name of its group(s), itself first."""
    groups: dict[str, list[str]] = {}
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        names = [_key(name) for name in line.replace("，", ",").split(",")]
        names = [name for name in dict.fromkeys(names) if name]
        for name in names:
            merged = groups.setdefault(name, [name])
            merged += [other for other in names if other not in merged]
    return groups


def expansions(word: str) -> list[str]:
    """The word and its synonyms; a single Chinese character stands for nothing else
    (米 must not find every 玉米), so those are left out of the expansions."""
    names = synonym_groups().get(word, [word])
    return [word] + [n for n in names if n != word and not (text.is_cjk(n) and len(n) < 2)]


@functools.cache
def attribute_words() -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """Normalized word or phrase → (kind, value, names of the place)."""
    words: dict[str, tuple[str, str, tuple[str, ...]]] = {}
    for code, names in STORAGE_WORDS.items():
        for name in names:
            words[_key(name)] = ("storage", code, ())
    for code, names in CERTIFICATE_WORDS.items():
        for name in names:
            words[_key(name)] = ("certificate", code, ())
    for zh, en in PROVINCES.items():
        names = (zh, en, *(zh + suffix for suffix in PROVINCE_SUFFIXES))
        for name in (zh, en, zh + "省", zh + "市"):
            words[_key(name)] = ("place", zh, names)
    english, chinese = Locale("en").territories, Locale("zh").territories
    for code, name in english.items():
        if not code.isalpha() or len(code) != 2 or code in ("CN", "ZZ"):
            continue
        names = tuple(n for n in (name, chinese.get(code, "")) if n)
        for value in names:
            key = _key(value)
            if key and (len(key) >= 4 or text.is_cjk(key)) and len(key) >= 2:
                words.setdefault(key, ("place", code, names))
    for demonym, code in DEMONYMS.items():
        names = (english.get(code, ""), chinese.get(code, ""), demonym)
        words.setdefault(_key(demonym), ("place", code, tuple(n for n in names if n)))
    return words


@functools.cache
def _cjk_keys() -> tuple[str, ...]:
    """Chinese attribute and synonym words, longest first, for finding them inside a run."""
    keys = {k for k in attribute_words() if text.is_cjk(k)}
    keys |= {k for k in synonym_groups() if text.is_cjk(k) and len(k) >= 2}
    return tuple(sorted(keys, key=len, reverse=True))


@functools.cache
def _latin_phrases() -> dict[int, set[str]]:
    """Latin phrases of several words by their length in words."""
    phrases: dict[int, set[str]] = {}
    for key in list(attribute_words()) + list(synonym_groups()):
        size = len(key.split(" "))
        if size > 1 and not text.is_cjk(key.replace(" ", "")):
            phrases.setdefault(size, set()).add(key)
    return phrases


# --- splitting a query ------------------------------------------------------------------------


def _split_run(run: str) -> list[str]:
    """A run of Chinese characters cut around the attribute and synonym words inside it
    (速冻水饺 → 速冻, 水饺); what lies between stays whole."""
    if run in attribute_words() or run in synonym_groups():
        return [run]
    for key in _cjk_keys():
        at = run.find(key)
        if at >= 0 and (key in attribute_words() or len(run) - len(key) >= 2 or at == 0):
            parts = [run[:at], key, run[at + len(key) :]]
            out = []
            for part in parts:
                if part == key:
                    out.append(part)
                elif len(part) >= 2:
                    out += _split_run(part)
                elif part:  # a lone character stays with its neighbour word
                    out.append(part)
            return _rejoin(out)
    return [run]


def _rejoin(parts: list[str]) -> list[str]:
    """Single characters left over are glued back to the next (or previous) part, unless that
    part is an attribute word."""
    out: list[str] = []
    pending = ""
    for part in parts:
        if len(part) == 1 and part not in synonym_groups():
            pending += part
            continue
        if pending and part not in attribute_words():
            part, pending = pending + part, ""
        elif pending:
            if out and out[-1] not in attribute_words():
                out[-1] += pending
            else:
                out.append(pending)
            pending = ""
        out.append(part)
    if pending:
        if out and out[-1] not in attribute_words():
            out[-1] += pending
        else:
            out.append(pending)
    return out


def _segments(query: str) -> list[str]:
    """The words and known phrases of the query, in order."""
    tokens = text.query_terms(query)
    segments: list[str] = []
    i = 0
    phrases = _latin_phrases()
    while i < len(tokens):
        token = tokens[i]
        if text.is_cjk(token):
            segments += _split_run(token)
            i += 1
            continue
        for size in sorted(phrases, reverse=True):
            candidate = " ".join(tokens[i : i + size])
            if len(tokens) - i >= size and candidate in phrases[size]:
                segments.append(candidate)
                i += size
                break
        else:
            segments.append(token)
            i += 1
    return list(dict.fromkeys(segments))


# --- misspellings -----------------------------------------------------------------------------


def _vocabulary() -> tuple[set[str], list[str], dict[str, str]]:
    """Known words (Latin and Chinese), the Latin ones as a list, and the pinyin of Chinese
    title words and their parts (火腿肠 → huotuichang)."""
    from .suggestions import vocabulary

    words = vocabulary()
    return _vocabulary_of(tuple(words))


@functools.lru_cache(maxsize=2)
def _vocabulary_of(words: tuple[str, ...]) -> tuple[set[str], list[str], dict[str, str]]:
    from pypinyin import lazy_pinyin

    known = set()
    latin = []
    pinyin: dict[str, str] = {}
    for word in words:
        for token in text.tokens(word):
            known.add(token)
            if text.is_cjk(token):
                syllables = lazy_pinyin(token)
                if len(syllables) != len(token):
                    continue
                for size in range(2, min(5, len(token)) + 1):
                    for start in range(len(token) - size + 1):
                        pinyin.setdefault(
                            "".join(syllables[start : start + size]), token[start : start + size]
                        )
            elif token.isalpha() and len(token) >= 3:
                latin.append(token)
    return known, sorted(set(latin)), pinyin


def close_spellings(word: str) -> list[str]:
    """Close spellings of a Latin word the catalogue does not know: other Latin words, or the
    Chinese word whose pinyin it is (also misspelt: huotuichan → 火腿肠)."""
    if text.is_cjk(word) or not word.isalpha() or len(word) < 4:
        return []
    known, latin, pinyin = _vocabulary()
    if word in known or text.singular(word) in known or word in synonym_groups():
        return []
    found = []
    if word in pinyin:
        found.append(pinyin[word])
    pool = [w for w in latin if abs(len(w) - len(word)) <= 2 and w[0] == word[0]]
    found += difflib.get_close_matches(word, pool, n=MAX_FUZZY, cutoff=0.75)
    if not found and len(word) >= 6:
        keys = [k for k in pinyin if abs(len(k) - len(word)) <= 2 and k[:2] == word[:2]]
        found += [pinyin[k] for k in difflib.get_close_matches(word, keys, n=MAX_FUZZY, cutoff=0.8)]
    return list(dict.fromkeys(found))[:MAX_FUZZY]


# --- the whole query --------------------------------------------------------------------------


def _understand(q: str, literal: tuple[str, ...]) -> Understanding:
    groups: list[Group] = []
    literal_keys = {_key(word) for word in literal}
    for segment in _segments(q):
        if segment in literal_keys:
            groups.append(Group(term=segment, words=[segment]))
            continue
        meaning = attribute_words().get(segment)
        if meaning:
            kind, value, places = meaning
            groups.append(
                Group(term=segment, words=expansions(segment), kind=kind, value=value, places=list(places))
            )
            continue
        words = expansions(segment)
        fuzzy = [] if len(words) > 1 else close_spellings(segment)
        for spelling in list(fuzzy):
            fuzzy += [w for w in expansions(spelling) if w not in fuzzy and w not in words]
        groups.append(Group(term=segment, words=words, fuzzy=fuzzy[: MAX_FUZZY * 3]))
    return Understanding(q=q, groups=groups)


def understand(q: str | None, *, literal=()) -> Understanding:
    """The groups of ``q`` (see the module docstring)."""
    return _understand(text.clean_query(q), tuple(sorted(set(literal or ()))))


def vocabulary_changed() -> None:
    """Forget cached spellings (tests that change the catalogue call this)."""
    _vocabulary_of.cache_clear()
