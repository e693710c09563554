"""Oscar's partner app, forked: each exhibitor is a partner; the pricing strategy adds B2B terms
(minimum order quantity, wholesale price tiers, sample prices) so product page, basket, checkout and
order agree.
"""

import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    name = "partner"
