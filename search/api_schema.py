"""The parameters and documented answers of the search API (``search/api.py``)."""

from __future__ import annotations

import copy

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import inline_serializer
from oscar.core.loading import get_model
from rest_framework import serializers

from catalogue.models import Storage
from exhibitors.codes import CERTIFICATION_CODES

from . import text

Category = get_model("catalogue", "Category")

MAX_PAGE_SIZE = 100


class SearchParams(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=text.MAX_QUERY_LENGTH,
        trim_whitespace=True,
        help_text="Words in Chinese or English; Chinese matches inside longer words "
        "(辣条 finds 卫龙大面筋辣条).",
    )
    category = serializers.CharField(required=False, allow_blank=True, help_text="A category slug.")
    certification = serializers.CharField(
        required=False, allow_blank=True, help_text=f"One of: {', '.join(sorted(CERTIFICATION_CODES))}."
    )
    province = serializers.CharField(required=False, allow_blank=True, max_length=64)
    literal = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=640,
        help_text="Comma-separated words of q to take as typed: no synonyms, spellings or "
        "storage/certificate/place meaning (the `understood` chips a reader removed).",
    )
    page = serializers.IntegerField(required=False, min_value=1, max_value=10_000, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=20)
    lang = serializers.ChoiceField(
        required=False, choices=[code for code, _name in settings.LANGUAGES], help_text="Language of titles."
    )

    def validate_category(self, value: str):
        if not value:
            return None
        category = Category.objects.filter(slug=value, is_public=True).first()
        if category is None:
            raise serializers.ValidationError(f"Unknown category '{value[:64]}'; see /api/categories/.")
        return category

    def validate_certification(self, value: str) -> str:
        value = value.strip().upper()
        if value and value not in CERTIFICATION_CODES:
            raise serializers.ValidationError(
                f"Unknown certification '{value[:32]}'; use one of: {', '.join(sorted(CERTIFICATION_CODES))}."
            )
        return value


class ProductParams(SearchParams):
    storage = serializers.ChoiceField(required=False, allow_blank=True, choices=Storage.values)
    min_price = serializers.DecimalField(
        required=False, max_digits=14, decimal_places=2, min_value=0, allow_null=True
    )
    max_price = serializers.DecimalField(
        required=False, max_digits=14, decimal_places=2, min_value=0, allow_null=True
    )
    max_moq = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1, allow_null=True)
    sort = serializers.ChoiceField(
        required=False, choices=["relevance", "newest", "price", "-price", "title"], allow_blank=True
    )

    def validate(self, data):
        low, high = data.get("min_price"), data.get("max_price")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"max_price": "Must not be below min_price."})
        return data


class ExhibitorParams(SearchParams):
    edition = serializers.IntegerField(required=False, min_value=1900, max_value=2200, allow_null=True)
    sort = serializers.ChoiceField(required=False, choices=["relevance", "name", "newest"], allow_blank=True)


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="What to pass back as the parameter of the same name.")
    label = serializers.CharField()
    count = serializers.IntegerField()


def facets_field():
    return serializers.DictField(child=serializers.ListField(child=FacetValueSerializer()))


class UnderstoodSerializer(serializers.Serializer):
    """One thing the query was understood to mean (a chip on the results page)."""

    kind = serializers.ChoiceField(choices=["storage", "certificate", "place", "synonym", "spelling"])
    word = serializers.CharField()
    value = serializers.CharField()


def search_responses(name: str, hit, *, more: bool = False) -> dict:
    """The documented answers of a search endpoint: one page of ``hit`` with facets, or an error."""
    extra = {}
    if more:
        extra["more"] = serializers.ListField(
            child=copy.deepcopy(hit),
            help_text=(
                "When a worded search has few results: more products of the first results' "
                "categories, which are not results themselves (a page shows them under the results)."
            ),
        )
    return {
        200: inline_serializer(
            name,
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "facets": facets_field(),
                "results": serializers.ListField(child=hit),
                "terms": serializers.ListField(child=serializers.CharField()),
                "backend": serializers.CharField(),
                "understood": serializers.ListField(
                    child=UnderstoodSerializer(),
                    help_text="What the query was understood to mean; pass a word in `literal` to undo it.",
                ),
                "did_you_mean": serializers.CharField(
                    help_text="The corrected query when every hit matched only a close spelling; else empty."
                ),
                **extra,
            },
        ),
        400: OpenApiTypes.OBJECT,
        404: OpenApiTypes.OBJECT,
        503: OpenApiTypes.OBJECT,
    }


PRODUCT_HIT = inline_serializer(
    "ProductHit",
    {
        "id": serializers.IntegerField(help_text="the product's id in /api/v1/ (detail, basket)"),
        "key": serializers.CharField(help_text="EXHIBITOR_KEY/SKU"),
        "sku": serializers.CharField(),
        "exhibitor_key": serializers.CharField(),
        "exhibitor": serializers.CharField(),
        "title": serializers.CharField(),
        "title_zh": serializers.CharField(),
        "title_en": serializers.CharField(),
        "url": serializers.URLField(),
        "category": serializers.CharField(allow_null=True),
        "price": serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True),
        "currency": serializers.CharField(),
        "unit": serializers.CharField(),
        "moq": serializers.IntegerField(),
        "storage": serializers.CharField(),
        "certifications": serializers.ListField(child=serializers.CharField()),
        "highlight": inline_serializer(
            "Highlight", {"title": serializers.CharField(), "snippet": serializers.CharField()}
        ),
    },
)


EXHIBITOR_HIT = inline_serializer(
    "ExhibitorHit",
    {
        "key": serializers.CharField(),
        "name": serializers.CharField(),
        "name_zh": serializers.CharField(),
        "name_en": serializers.CharField(),
        "url": serializers.URLField(),
        "country": serializers.CharField(),
        "province": serializers.CharField(),
        "city": serializers.CharField(),
        "categories": serializers.ListField(child=serializers.CharField()),
        "certifications": serializers.ListField(child=serializers.CharField()),
        "editions": serializers.ListField(child=serializers.IntegerField()),
        "highlight": inline_serializer(
            "CompanyHighlight", {"title": serializers.CharField(), "snippet": serializers.CharField()}
        ),
    },
)
