"""Oscar's basket, forked: line prices follow the wholesale tiers as quantities change, quantities
below the minimum order are refused, one currency per basket, cold-chain lines flagged.
"""

import oscar.apps.basket.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class BasketConfig(apps.BasketConfig):
    name = "basket"

    def ready(self):
        super().ready()
        self.add_negotiated_view = get_class("basket.views", "AddNegotiatedView")
        self.add_sample_view = get_class("basket.views", "AddSampleView")

    def get_urls(self):
        urls = [
            path("agreed/<int:pk>/", self.add_negotiated_view.as_view(), name="add-negotiated"),
            path("sample/<int:pk>/", self.add_sample_view.as_view(), name="add-sample"),
        ]
        return super().get_urls() + self.post_process_urls(urls)
