"""How documents are stored: the index settings and mappings, and a document as stored."""

from __future__ import annotations

from datetime import date, datetime

from ... import text
from ..base import KEYWORD_WEIGHTS, SEARCH_WEIGHTS

PRE, POST = "\ue000", "\ue001"  # private-use marks: escaped HTML never contains them
MAX_WINDOW = 10_000
TEXT_FIELDS = ("title_zh", "title_en", "extra", "body_zh", "body_en", "details")
FIELD_GROUPS = {  # field group -> (source fields, search weight, keyword weight)
    "title": (("title_zh", "title_en"), SEARCH_WEIGHTS["title"], KEYWORD_WEIGHTS["title"]),
    "extra": (("extra",), SEARCH_WEIGHTS["extra"], KEYWORD_WEIGHTS["extra"]),
    "body": (("body_zh", "body_en", "details"), SEARCH_WEIGHTS["body"], KEYWORD_WEIGHTS["body"]),
}


def _dsl():
    from elasticsearch import dsl

    return dsl


def zh_analyzer():
    dsl = _dsl()
    return dsl.analyzer(
        "fx_zh",
        tokenizer="standard",
        filter=[
            "cjk_width",
            "lowercase",
            dsl.token_filter("fx_cjk_bigram", "cjk_bigram", output_unigrams=True),
        ],
    )


def index_body(*, smartcn: bool = False) -> dict:
    """Settings and mappings of every kind's index (one shape for all: unused fields stay empty)."""
    dsl = _dsl()

    def text_field():
        fields = {"zh": dsl.Text(analyzer=zh_analyzer()), "en": dsl.Text(analyzer="english")}
        if smartcn:
            fields["cn"] = dsl.Text(analyzer="smartcn")
        return dsl.Text(analyzer="standard", fields=fields)

    mapping = dsl.Mapping()
    mapping.meta("dynamic", "strict")
    mapping.field("id", dsl.Integer())
    for name in ("key", "sku", "owner_key", "storage", "province", "sort_title", "heads_reversed"):
        mapping.field(name, dsl.Keyword())
    for name in TEXT_FIELDS:
        mapping.field(name, text_field())
    mapping.field("owner_id", dsl.Integer())
    mapping.field("categories", dsl.Integer())
    mapping.field("editions", dsl.Integer())
    mapping.field("certificates", dsl.Nested(properties={"code": dsl.Keyword(), "valid_until": dsl.Date()}))
    mapping.field("price", dsl.ScaledFloat(scaling_factor=100))
    mapping.field("moq", dsl.Integer())
    mapping.field("created", dsl.Date())
    mapping.field("suggest", dsl.Completion(analyzer="simple", preserve_separators=False))
    index = dsl.Index("template")
    index.settings(number_of_shards=1, number_of_replicas=0, max_result_window=MAX_WINDOW)
    index.mapping(mapping)
    body = index.to_dict()
    body["settings"].setdefault("analysis", {}).update(zh_analyzer().get_analysis_definition())
    return body


def source(doc: dict) -> dict:
    """A search document as Elasticsearch stores it."""
    price = doc.get("price")
    created = doc.get("created")
    return {
        "id": doc["id"],
        "key": doc["key"],
        "sku": doc.get("sku", ""),
        "owner_id": doc.get("owner_id"),
        "owner_key": doc.get("owner_key", ""),
        **{name: doc.get(name) or "" for name in ("title_zh", "title_en", "body_zh", "body_en", "details")},
        "extra": [str(value) for value in doc.get("extra", []) if value],
        "categories": list(dict.fromkeys(doc.get("categories", []))),
        "editions": list(dict.fromkeys(doc.get("editions", []))),
        "certificates": [
            {"code": c["code"], "valid_until": c["valid_until"].isoformat() if c["valid_until"] else None}
            for c in doc.get("certificates", [])
        ],
        "storage": doc.get("storage") or "",
        "province": doc.get("province") or "",
        "price": float(price) if price is not None else None,
        "moq": doc.get("moq"),
        "created": created.isoformat() if isinstance(created, datetime | date) else created,
        "sort_title": (doc.get("title_zh") or doc.get("title_en") or "")[:255],
        "heads_reversed": [
            head.strip()[::-1]
            for head in text.title_heads(doc.get("title_zh", ""), doc.get("title_en", "")).split("|")
            if head.strip()
        ],
        "suggest": [{"input": value[:100]} for value in doc.get("suggest", []) if value][:4],
    }
