"""``/api/v1/`` catalogue reads: categories, products (cursor pages, the HTML catalogue's
filters), a product with the prices the acting company pays, exhibitors, the booths of an
expo edition.

Each read takes a fixed number of queries whatever the data (everything a row shows is
prefetched), and answers ``ETag``/304 (``ConditionalGetMixin``)."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from oscar.core.loading import get_model
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from catalogue import api as catalogue_api
from catalogue.claims import claimed_codes
from catalogue.models import ProductPriceTier, Storage
from exhibitors.models import Certificate, CompanyStatus, Exhibitor
from expo.selectors import EditionExhibitorFilters, edition_booths, edition_is_public, prices_visible
from partner.models import NegotiatedPrice

from .common import (
    APP_AUTHENTICATION,
    ConditionalGetMixin,
    FilteredListMixin,
    NewestFirst,
    acting_membership,
)

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
LISTED = ("standalone", "parent")


def listed_products():
    """Public products of verified exhibitors. What a row shows besides the product is read
    for a whole page at once by :func:`load_rows` (a fixed number of queries)."""
    verified = StockRecord.objects.filter(
        product=OuterRef("pk"), partner__exhibitor__status=CompanyStatus.VERIFIED
    )
    return Product.objects.filter(Exists(verified), is_public=True, structure__in=LISTED)


# The columns a row needs (these rows are read, never saved).
RECORD_FIELDS = (
    "product_id",
    "partner_sku",
    "price",
    "price_currency",
    "num_in_stock",
    "num_allocated",
    "partner",
)
EXHIBITOR_FIELDS = ("id", "key", "name_zh", "name_en", "prices_for_buyers_only")
CERTIFICATE_FIELDS = ("id", "exhibitor_id", "code", "status", "valid_until")


def load_rows(products) -> None:
    """Give each product of a page what its row shows, in four queries whatever the page's
    size: its first stock record with the exhibitor (``_record``, ``_exhibitor``), the
    exhibitor's certificates (``_certificates``), category slugs (``_category_slugs``) and
    price tiers from the lowest quantity (``_tiers``).

    Plain queries instead of ``prefetch_related``: the prefetch machinery builds a queryset
    for every product and relation, which cost most of a list request."""
    ids = [product.pk for product in products]
    if not ids:
        return
    records: dict[int, object] = {}
    for record in (
        StockRecord.objects.filter(product_id__in=ids)
        .select_related("partner__exhibitor")
        .only(*RECORD_FIELDS, *(f"partner__exhibitor__{name}" for name in EXHIBITOR_FIELDS))
        .order_by("product_id", "id")
    ):
        records.setdefault(record.product_id, record)
    exhibitors = {pk: getattr(record.partner, "exhibitor", None) for pk, record in records.items()}
    wanted = {exhibitor.pk for exhibitor in exhibitors.values() if exhibitor is not None}
    certificates: dict[int, list] = defaultdict(list)
    if wanted:
        for certificate in Certificate.objects.filter(exhibitor_id__in=wanted).only(*CERTIFICATE_FIELDS):
            certificates[certificate.exhibitor_id].append(certificate)
    slugs: dict[int, list[str]] = defaultdict(list)
    for product_id, slug in (
        Product.categories.through.objects.filter(product_id__in=ids)
        .order_by("category__path")
        .values_list("product_id", "category__slug")
    ):
        slugs[product_id].append(slug)
    tiers: dict[int, list] = defaultdict(list)
    for product_id, quantity, price in (
        ProductPriceTier.objects.filter(product_id__in=ids)
        .order_by("min_quantity", "id")
        .values_list("product_id", "min_quantity", "unit_price")
    ):
        tiers[product_id].append({"min_quantity": quantity, "unit_price": str(price)})
    for product in products:
        record, exhibitor = records.get(product.pk), exhibitors.get(product.pk)
        product._record, product._exhibitor = record, exhibitor
        product._certificates = certificates.get(exhibitor.pk, []) if exhibitor else []
        product._category_slugs = slugs.get(product.pk, [])
        product._tiers = tiers.get(product.pk, [])


class TreeOrder(NewestFirst):
    """Cursor pages in tree order (a parent before its children), 100 to a page."""

    ordering = ("path",)
    page_size = 100


class CategoryListView(ConditionalGetMixin, catalogue_api.CategoryListView):
    """The public category tree in tree order (slug, parent slug, Chinese and English names),
    in cursor pages."""

    authentication_classes = APP_AUTHENTICATION
    pagination_class = TreeOrder


class ProductFilters(serializers.Serializer):
    """The list's filters, checked before any query (a bad value is a 400 naming it)."""

    category = serializers.SlugField(required=False, max_length=128, help_text="a category slug")
    storage = serializers.ChoiceField(choices=Storage.choices, required=False)
    exhibitor = serializers.CharField(required=False, max_length=64, help_text="an exhibitor key")


class ProductSerializer(serializers.Serializer):
    """A product as a phone lists it; prices only where the exhibitor shows them to the reader."""

    id = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    exhibitor = serializers.DictField(child=serializers.CharField())
    categories = serializers.ListField(child=serializers.CharField())
    storage = serializers.CharField()
    shelf_life_days = serializers.IntegerField(allow_null=True)
    origin = serializers.CharField()
    unit = serializers.CharField()
    moq = serializers.IntegerField()
    certifications = serializers.ListField(child=serializers.CharField())
    currency = serializers.CharField(allow_null=True)
    price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    tiers = serializers.ListField(child=serializers.DictField())
    prices_hidden = serializers.BooleanField()
    in_stock = serializers.IntegerField(allow_null=True)

    def to_representation(self, product) -> dict:
        request = self.context["request"]
        record, exhibitor = product._record, product._exhibitor  # load_rows
        visible = prices_visible(request, exhibitor)
        return {
            "id": product.pk,
            "key": f"{exhibitor.key}/{record.partner_sku}" if exhibitor else str(product.pk),
            "title": product.display_title,
            "exhibitor": {"key": exhibitor.key, "name": exhibitor.display_name} if exhibitor else {},
            "categories": product._category_slugs,
            "storage": product.storage,
            "shelf_life_days": product.shelf_life_days,
            "origin": product.origin,
            "unit": product.unit,
            "moq": product.moq,
            "certifications": claimed_codes(product, product._certificates, day=timezone.localdate()),
            "currency": record.price_currency if record and visible else None,
            "price": str(record.price) if record and visible and record.price is not None else None,
            "tiers": product._tiers if visible else [],
            "prices_hidden": not visible,
            "in_stock": record.net_stock_level if record and record.num_in_stock is not None else None,
        }


class ProductDetailSerializer(ProductSerializer):
    description = serializers.CharField()
    agreed_prices = serializers.ListField(child=serializers.DictField())

    def to_representation(self, product) -> dict:
        data = super().to_representation(product)
        data["description"] = product.display_description
        membership = self.context.get("membership")
        grants = []
        if membership is not None and membership.buyer_id is not None:
            grants = [
                {
                    "id": grant.pk,
                    "kind": grant.kind,
                    "reference": grant.reference,
                    "unit_price": str(grant.unit_price),
                    "currency": grant.currency,
                    "quantity": grant.quantity,
                    "valid_until": grant.valid_until.isoformat() if grant.valid_until else None,
                }
                for grant in NegotiatedPrice.objects.filter(
                    Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()),
                    buyer_id=membership.buyer_id,
                    product=product,
                    order__isnull=True,
                ).order_by("-created_at")
            ]
        data["agreed_prices"] = grants  # what this company pays instead, once each
        return data


class ProductListView(FilteredListMixin, ConditionalGetMixin, generics.ListAPIView):
    """Listed products, newest first, in cursor pages; filter by category (its sub-categories
    too), storage and exhibitor as on the catalogue pages."""

    serializer_class = ProductSerializer
    authentication_classes = APP_AUTHENTICATION
    permission_classes = [AllowAny]
    pagination_class = NewestFirst
    filter_serializer = ProductFilters

    def get_queryset(self):
        wanted = self.wanted_filters()
        qs = listed_products()
        if wanted.get("category"):
            category = Category.objects.filter(slug=wanted["category"], is_public=True).first()
            if category is None:
                raise NotFound(f"Unknown category '{wanted['category']}'.")
            qs = qs.filter(categories__path__startswith=category.path).distinct()
        if wanted.get("storage"):
            qs = qs.filter(storage=wanted["storage"])
        if wanted.get("exhibitor"):
            qs = qs.filter(stockrecords__partner__exhibitor__key=wanted["exhibitor"])
        return qs

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        load_rows(page)
        return page


class ProductDetailView(ConditionalGetMixin, generics.RetrieveAPIView):
    """One listed product, with the agreed prices (accepted quotes, samples) the acting buyer
    company may still use."""

    serializer_class = ProductDetailSerializer
    authentication_classes = APP_AUTHENTICATION
    permission_classes = [AllowAny]

    def get_queryset(self):
        return listed_products()

    def get_object(self):
        product = super().get_object()
        load_rows([product])
        return product

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "membership": acting_membership(self.request)}


class ExhibitorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    categories = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)

    class Meta:
        model = Exhibitor
        fields = [
            "id",
            "key",
            "name",
            "name_zh",
            "name_en",
            "province",
            "city",
            "country",
            "website",
            "categories",
        ]


class ExhibitorListView(ConditionalGetMixin, generics.ListAPIView):
    """Verified exhibitors, newest first, in cursor pages."""

    serializer_class = ExhibitorSerializer
    authentication_classes = APP_AUTHENTICATION
    permission_classes = [AllowAny]
    pagination_class = NewestFirst

    def get_queryset(self):
        return Exhibitor.objects.filter(status=CompanyStatus.VERIFIED).prefetch_related("categories")


class BoothFilters(serializers.Serializer):
    """The edition page's filters, checked before any query (a bad value is a 400 naming it)."""

    hall = serializers.CharField(required=False, max_length=64, help_text="a hall code, e.g. A")
    province = serializers.CharField(required=False, max_length=64)
    category = serializers.SlugField(required=False, max_length=128, help_text="a category slug")
    certificate = serializers.ChoiceField(
        choices=Certificate._meta.get_field("code").choices, required=False, help_text="a valid certificate"
    )


class BoothSerializer(serializers.Serializer):
    """A booth as a phone lists it: where, who, and the booth's own introduction."""

    id = serializers.IntegerField()
    edition = serializers.IntegerField()
    hall = serializers.CharField()
    booth = serializers.CharField()
    intro = serializers.CharField(source="display_intro")
    video_url = serializers.CharField()
    exhibitor = serializers.SerializerMethodField()

    def get_exhibitor(self, participation) -> dict[str, str]:
        exhibitor = participation.exhibitor
        return {
            "key": exhibitor.key,
            "name": exhibitor.display_name,
            "province": exhibitor.province,
            "city": exhibitor.city,
        }


class BoothCursor(NewestFirst):
    """Cursor pages in hall and booth order, as on the edition page."""

    ordering = ("hall", "booth", "id")


class EditionBoothListView(FilteredListMixin, ConditionalGetMixin, generics.ListAPIView):
    """The public booths of an expo edition (verified exhibitors, not withdrawn) in hall and
    booth order, in cursor pages; filter by hall, province, category and certificate as on the
    edition page. An edition that is not published is a 404."""

    serializer_class = BoothSerializer
    authentication_classes = APP_AUTHENTICATION
    permission_classes = [AllowAny]
    pagination_class = BoothCursor
    filter_serializer = BoothFilters

    def get_queryset(self):
        wanted = self.wanted_filters()
        year = self.kwargs["year"]
        if not edition_is_public(year=year):
            raise NotFound(f"There is no published expo edition of {year}.")
        category = None
        if wanted.get("category"):
            category = Category.objects.filter(slug=wanted["category"]).first()
            if category is None:
                raise NotFound(f"Unknown category '{wanted['category']}'.")
        return edition_booths(year=year, filters=EditionExhibitorFilters(**wanted), category=category)
