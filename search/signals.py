"""Model signals that queue index changes (see ``search.indexing.mark``).

Bulk writes send no signals: the staff import marks what it touched itself, ``load_demo``
rebuilds the index, and the nightly rebuild catches anything else.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from oscar.core.loading import get_model

from .indexing import mark


def _exhibitor_of_partner(partner_id) -> list[int]:
    from exhibitors.models import Exhibitor

    return list(Exhibitor.objects.filter(partner_id=partner_id).values_list("id", flat=True))


def product_changed(sender, instance, **kwargs):
    mark("product", [instance.pk])
    if instance.parent_id:
        mark("product", [instance.parent_id])


def stockrecord_changed(sender, instance, **kwargs):
    mark("product", [instance.product_id])
    mark("exhibitor", _exhibitor_of_partner(instance.partner_id))


def product_category_changed(sender, instance, **kwargs):
    StockRecord = get_model("partner", "StockRecord")
    mark("product", [instance.product_id])
    partners = StockRecord.objects.filter(product_id=instance.product_id).values_list("partner_id", flat=True)
    mark("exhibitor", [pk for partner in partners for pk in _exhibitor_of_partner(partner)])


def product_categories_m2m(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # category.product_set changed
        mark("product", pk_set or [])
        mark("category", [instance.pk])
    else:
        mark("product", [instance.pk])
        StockRecord = get_model("partner", "StockRecord")
        for partner in StockRecord.objects.filter(product_id=instance.pk).values_list(
            "partner_id", flat=True
        ):
            mark("exhibitor", _exhibitor_of_partner(partner))


def exhibitor_changed(sender, instance, **kwargs):
    mark("exhibitor", [instance.pk])
    mark("exhibitor-products", [instance.pk])


def exhibitor_part_changed(sender, instance, **kwargs):
    """A certificate or an expo participation: the exhibitor and, for certificates, its products."""
    mark("exhibitor", [instance.exhibitor_id])
    if sender.__name__ == "Certificate":
        mark("exhibitor-products", [instance.exhibitor_id])


def exhibitor_categories_m2m(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        mark("exhibitor", (pk_set or []) if reverse else [instance.pk])


def buyer_changed(sender, instance, **kwargs):
    mark("buyer", [instance.pk])
    mark("buyer-requests", [instance.pk])


def buyer_interests_m2m(sender, instance, action, reverse, pk_set, **kwargs):
    if action.startswith("post_"):
        mark("buyer", (pk_set or []) if reverse else [instance.pk])


def request_changed(sender, instance, **kwargs):
    mark("request", [instance.pk])


def category_changed(sender, instance, **kwargs):
    mark("category", [instance.pk])


def connect() -> None:
    from buyers.models import Buyer, SourcingRequest
    from exhibitors.models import Certificate, Exhibitor, Participation

    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    ProductCategory = get_model("catalogue", "ProductCategory")
    StockRecord = get_model("partner", "StockRecord")
    pairs = [
        (Product, product_changed),
        (StockRecord, stockrecord_changed),
        (ProductCategory, product_category_changed),
        (Exhibitor, exhibitor_changed),
        (Certificate, exhibitor_part_changed),
        (Participation, exhibitor_part_changed),
        (Buyer, buyer_changed),
        (SourcingRequest, request_changed),
        (Category, category_changed),
    ]
    for model, handler in pairs:
        uid = f"search-{model._meta.label_lower}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(product_categories_m2m, sender=Product.categories.through, dispatch_uid="search-pc")
    m2m_changed.connect(
        exhibitor_categories_m2m, sender=Exhibitor.categories.through, dispatch_uid="search-ec"
    )
    m2m_changed.connect(buyer_interests_m2m, sender=Buyer.interests.through, dispatch_uid="search-bi")
