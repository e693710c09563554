"""``manage.py match {buyer|request|exhibitor} KEY [--limit N] [--as-of YYYY-MM-DD] [--json]``.

Prints the best counterparts of a buyer, a sourcing request (``BUYER_KEY/REFERENCE``) or an
exhibitor with the reasons for each; ``--json`` prints the object of CONTRACTS.md, the same
as ``GET /api/match/{kind}/{key}/``. Exit status 2 for bad usage or a key nobody has.
"""

import argparse
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from search.matching import DEFAULT_LIMIT, MAX_LIMIT, SUBJECT_KINDS, UnknownSubject, match_subject


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"a whole number from 1 to {MAX_LIMIT}, not {value!r}")
    return number


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Match a buyer, a sourcing request or an exhibitor with the counterparts that fit it best."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=SUBJECT_KINDS)
        parser.add_argument("key", help="a buyer or exhibitor key, or BUYER_KEY/REFERENCE for a request")
        parser.add_argument("--limit", type=_limit, default=DEFAULT_LIMIT, help="how many results (1-100)")
        parser.add_argument(
            "--as-of", type=_day, help="the day certificates must be valid on (default today)"
        )
        parser.add_argument("--json", action="store_true", help="print the JSON object of the API")
        parser.add_argument(
            "--language", default="en", choices=["en", "zh-hans"], help="language of the reasons (default en)"
        )

    def handle(self, *args, kind, key, limit, as_of, language, **options):
        with translation.override(language):
            try:
                answer = match_subject(kind, key, limit=limit, as_of=as_of)
            except UnknownSubject as error:
                raise CommandError(str(error), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(answer, ensure_ascii=False))
            return
        self.stdout.write(
            f"Matches for {kind} {answer['subject']['key']} (backend: {answer['backend']}, "
            f"as of {answer.get('as_of', as_of or date.today())})"
        )
        if answer.get("note") == "closed":
            self.stdout.write("The request is closed: no matches.")
            return
        for warning in answer.get("warnings", []):
            self.stdout.write(f"warning: {warning}")
        if not answer["results"]:
            self.stdout.write("No matches.")
        for rank, result in enumerate(answer["results"], start=1):
            self.stdout.write(
                f"{rank:>3}. {result['score']:.3f}  {result['kind']:<9} {result['key']}  {result['name']}"
            )
            self.stdout.write(f"       {'; '.join(result['reasons'])}")
