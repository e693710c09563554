"""Writes of the catalogue: an exhibitor's own products, with price, stock and tiers."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
ProductPriceTier = get_model("catalogue", "ProductPriceTier")
StockRecord = get_model("partner", "StockRecord")

PRODUCT_FIELDS = (
    "title",
    "title_en",
    "description",
    "description_en",
    "shelf_life_days",
    "storage",
    "origin",
    "net_content",
    "unit",
    "moq",
    "sample_available",
    "sample_price",
    "certifications",
    "claims_none",
    "is_public",
)


MAX_TIER_QUANTITY = 2**31 - 1  # ProductPriceTier.min_quantity: an integer column
MAX_TIER_PRICE = Decimal("1e10")  # ProductPriceTier.unit_price: 12 digits, 2 of them decimals


def parse_tiers(text: str) -> list[tuple[int, Decimal]]:
    """``100:45.00;500:42.50`` → [(100, 45.00), (500, 42.50)]; raises ValueError naming the bad part."""
    tiers: dict[int, Decimal] = {}
    for part in text.replace("；", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        quantity, _, price = part.partition(":")
        try:
            quantity_value, price_value = int(quantity), Decimal(price)
        except (ValueError, ArithmeticError):
            raise ValueError(part) from None
        if quantity_value < 1 or not price_value.is_finite() or price_value <= 0:
            raise ValueError(part)
        if quantity_value > MAX_TIER_QUANTITY or price_value >= MAX_TIER_PRICE:
            raise ValueError(part)  # more than the database keeps
        tiers[quantity_value] = price_value.quantize(Decimal("0.01"))
    return sorted(tiers.items())


def format_tiers(product) -> str:
    return ";".join(f"{tier.min_quantity}:{tier.unit_price}" for tier in product.price_tiers.all())


@transaction.atomic
def exhibitor_product_save(
    *,
    exhibitor,
    product=None,
    data: dict,
    category,
    price: Decimal,
    currency: str,
    stock: int | None,
    sku: str,
    tiers: list[tuple[int, Decimal]],
    image=None,
):
    """Create or change one of the exhibitor's products (its stock record is the exhibitor's)."""
    if product is None:
        product_class, _ = ProductClass.objects.get_or_create(
            slug="food", defaults={"name": "食品 Food", "requires_shipping": True, "track_stock": True}
        )
        product = Product(
            product_class=product_class, structure=Product.STANDALONE, upc=f"{exhibitor.key}/{sku}"
        )
    for name in PRODUCT_FIELDS:
        if name in data:
            setattr(product, name, data[name])
    product.slug = slugify(product.title_en or "")[:128] or "product"
    product.save()
    ProductCategory.objects.filter(product=product).exclude(category=category).delete()
    ProductCategory.objects.get_or_create(product=product, category=category)
    StockRecord.objects.update_or_create(
        product=product,
        partner=exhibitor.partner,
        defaults={"partner_sku": sku, "price": price, "price_currency": currency, "num_in_stock": stock},
    )
    product.price_tiers.all().delete()
    ProductPriceTier.objects.bulk_create(
        [ProductPriceTier(product=product, min_quantity=q, unit_price=p) for q, p in tiers]
    )
    if image is not None:
        ProductImage.objects.create(product=product, original=image, display_order=product.images.count())
    return product
