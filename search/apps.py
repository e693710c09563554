"""Search, browsing and matchmaking: Oscar's search app, forked.

Oscar's own browsing goes through haystack, which lists nothing with its simple engine
and loads every hit before paginating. This app owns product browsing and search instead:
search backends (the database, or Elasticsearch through elasticsearch-dsl), the index and
the tasks that keep it current, the search pages and API, and matchmaking.
"""

import oscar.apps.search.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class SearchConfig(apps.SearchConfig):
    name = "search"

    def ready(self):
        super().ready()
        self.exhibitor_search_view = get_class("search.views", "ExhibitorSearchView")
        from . import signals

        signals.connect()

    def get_urls(self):
        return self.post_process_urls(
            [
                path("", self.search_view.as_view(), name="search"),
                path("exhibitors/", self.exhibitor_search_view.as_view(), name="exhibitors"),
            ]
        )
