"""Settle refunds left "Processing" by asking Stripe (also part of the 5-minute beat sweep)."""

from datetime import timedelta

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = 'Settle refunds left "Processing": record what Stripe did, or send them again once.'

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=2)

    def handle(self, *args, older_than_minutes, **options):
        from payments.services import refunds_reconcile

        counts = refunds_reconcile(older_than=timedelta(minutes=older_than_minutes))
        self.stdout.write(
            ", ".join(f"{key} {value}" for key, value in sorted(counts.items())) or "nothing to do"
        )
