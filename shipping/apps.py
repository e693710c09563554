"""Oscar's shipping, forked: a charge per exhibitor in the basket, with a surcharge for chilled and
frozen goods.
"""

import oscar.apps.shipping.apps as apps


class ShippingConfig(apps.ShippingConfig):
    name = "shipping"
