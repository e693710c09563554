"""Payment records (models land with the checkout)."""
