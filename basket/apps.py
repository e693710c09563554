"""Oscar's basket, forked: line prices follow the wholesale tiers as quantities change, quantities
below the minimum order are refused, one currency per basket, cold-chain lines flagged.
"""

import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    name = "basket"
