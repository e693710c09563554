"""A verified buyer buys at the wholesale tier and pays by card; the exhibitor ships; the buyer sees it.

The card is confirmed through Stripe's API (the local Stripe server's stand-in Stripe.js
mounts the card form but cannot complete a payment); everything else is the browser.
"""

from decimal import Decimal

from oscar.core.loading import get_model
from playwright.sync_api import Page, expect

from tests.browser.support import checkout_to_payment, login, pay_by_card

Product = get_model("catalogue", "Product")
ProductPriceTier = get_model("catalogue", "ProductPriceTier")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")


def test_buyer_pays_at_the_tier_price_exhibitor_ships_buyer_sees_shipped(
    page: Page, live_server, site_data, stripe_settings, artifacts
):
    base = live_server.url
    seller = Product.objects.filter(
        stockrecords__partner__exhibitor__memberships__user__email="exhibitor@foodexpo.example"
    )
    product = seller.filter(storage="ambient").order_by("id").first()
    Product.objects.filter(pk=product.pk).update(
        title="王中王火腿肠（整箱）", title_en="Premium ham sausage, cartons", moq=10
    )
    StockRecord.objects.filter(product=product).update(
        price=Decimal("58.00"), num_in_stock=500, num_allocated=0
    )
    ProductPriceTier.objects.create(product=product, min_quantity=50, unit_price=Decimal("52.00"))
    # Bulk updates send no signals: tell the search index, as imports do.
    from search.indexing import drain, mark

    mark("product", [product.pk], drain_on_commit=False)
    drain()
    page.set_viewport_size({"width": 1280, "height": 900})

    # The buyer finds the product and adds the minimum order.
    login(page, base, "buyer@foodexpo.example")
    page.goto(base + "/en/")
    page.fill(".fx-search input[name=q]", "Premium ham sausage, cartons")
    page.locator(".fx-search button").click()
    page.get_by_role("link", name="Premium ham sausage, cartons").first.click()
    expect(page.locator(".fx-terms")).to_contain_text("Minimum order: 10")
    expect(page.locator("#add_to_basket_form input[name=quantity]")).to_have_value("10")
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.goto(base + "/en/basket/")
    expect(page.locator("#basket_formset, form#basket_formset, .basket-items").first).to_contain_text("58.00")
    # At the tier quantity the unit price drops.
    page.locator("input[name$='-quantity']").first.fill("50")
    page.locator("button[data-behaviours~='update'], button:has-text('Update')").first.click()
    expect(page.locator("body")).to_contain_text("52.00")
    expect(page.locator("body")).to_contain_text("2,600.00")
    page.screenshot(path=artifacts / "basket-tier-price.png", full_page=True)

    # Checkout: address, shipping per exhibitor, card payment.
    checkout_to_payment(page, base)
    page.screenshot(path=artifacts / "checkout-payment-page.png", full_page=True)
    order = Order.objects.get(user__email="buyer@foodexpo.example")
    assert order.total_excl_tax == Decimal("2600.00") + Decimal("20.00")  # goods + one exhibitor's shipping

    pay_by_card(page, base, order)  # card 4242
    expect(page.locator("body")).to_contain_text("Your payment was received")

    # The exhibitor sees only its lines and ships them with a tracking number.
    login(page, base, "exhibitor@foodexpo.example")
    page.goto(base + "/en/company/orders/")
    page.get_by_role("link", name=str(order.number)).click()
    expect(page.locator("[data-line]")).to_have_count(1)
    page.get_by_role("button", name="Confirm selected lines").click()
    expect(page.locator("[data-line]")).to_have_attribute("data-status", "Confirmed")
    page.locator("[data-line] input[type=number]").fill("50")
    page.fill("input[name=tracking]", "SF1234567890")
    page.get_by_role("button", name="Ship", exact=True).click()
    expect(page.locator("[data-line]")).to_have_attribute("data-status", "Shipped")
    page.screenshot(path=artifacts / "exhibitor-shipped.png", full_page=True)

    # The buyer sees "shipped".
    login(page, base, "buyer@foodexpo.example")
    page.goto(base + f"/en/accounts/orders/{order.number}/")
    expect(page.locator("#order-by-exhibitor")).to_contain_text("Shipped")
    expect(page.locator("#order-by-exhibitor")).to_contain_text("SF1234567890")
    page.screenshot(path=artifacts / "buyer-order-shipped.png", full_page=True)
