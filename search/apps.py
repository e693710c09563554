"""Search, browsing and matchmaking: Oscar's search app, forked.

Oscar's own browsing goes through haystack, which lists nothing with its simple engine
and loads every hit before paginating. This app owns product browsing and search
instead (database backend now; Elasticsearch through elasticsearch-dsl beside it),
and later the matching of buyers with suppliers.
"""

import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "search"
