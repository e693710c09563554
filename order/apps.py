"""Oscar's orders, forked: one order per checkout whose lines each exhibitor sees and fulfils (confirm,
ship with tracking, deliver), with statuses per line.
"""

import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    name = "order"
