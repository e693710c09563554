"""Releasing many calls at once, each in its own thread and database connection."""

from __future__ import annotations

import threading

from django.core.exceptions import ValidationError
from django.db import connections
from django.utils import translation

from checkout.services import CheckoutError


def at_once(calls) -> tuple[list, list, list]:
    """Run each call in its own thread (own connection), all released by one barrier.
    Returns (results, refusals, errors): refusals are the services' ValidationError and
    CheckoutError, errors anything else (an IntegrityError, a deadlock) and fail the tests."""
    barrier = threading.Barrier(len(calls))
    results, refusals, errors = [], [], []
    lock = threading.Lock()

    def run(call):
        translation.activate("en")
        try:
            barrier.wait(timeout=30)
            result = call()
            with lock:
                results.append(result)
        except (ValidationError, CheckoutError) as exc:
            with lock:
                refusals.append(exc)
        except Exception as exc:  # noqa: BLE001 - any other failure fails the test
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results, refusals, errors
