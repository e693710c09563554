from decimal import Decimal

import factory
from factory.django import DjangoModelFactory
from oscar.core.loading import get_model

from .exhibitors import ExhibitorFactory

Category = get_model("catalogue", "Category")


class ProductClassFactory(DjangoModelFactory):
    name = "食品 Food"
    slug = "food"

    class Meta:
        model = get_model("catalogue", "ProductClass")
        django_get_or_create = ("slug",)


class ProductFactory(DjangoModelFactory):
    """A public food product, sold by an exhibitor through a stock record, in a category."""

    title = factory.Sequence(lambda n: f"测试食品{n}")
    title_en = factory.Sequence(lambda n: f"Test food {n}")
    upc = factory.Sequence(lambda n: f"TEST-{n:06d}")
    product_class = factory.SubFactory(ProductClassFactory)
    structure = "standalone"
    is_public = True
    storage = "ambient"
    shelf_life_days = 180
    unit = "箱"

    class Meta:
        model = get_model("catalogue", "Product")
        skip_postgeneration_save = True

    @factory.post_generation
    def category(self, create, slug, **kwargs):
        if create:
            self.categories.add(Category.objects.get(slug=slug or "snacks-latiao"))

    @factory.post_generation
    def exhibitor(self, create, exhibitor, **kwargs):
        if create:
            exhibitor = exhibitor or ExhibitorFactory()
            get_model("partner", "StockRecord").objects.create(
                product=self,
                partner=exhibitor.partner,
                partner_sku=f"SKU-{self.pk}",
                price=kwargs.get("price", Decimal("45.00")),
                price_currency="CNY",
                num_in_stock=100,
            )

    @factory.post_generation
    def price(self, create, value, **kwargs):
        if create and value is not None:
            self.stockrecords.update(price=value)
