"""Oscar's checkout, forked: shipping per exhibitor with a cold-chain surcharge, payment by Stripe
(PaymentIntents) or bank transfer, stock allocated under row locks when the order is placed.
"""

import oscar.apps.checkout.apps as apps


class CheckoutConfig(apps.CheckoutConfig):
    name = "checkout"
