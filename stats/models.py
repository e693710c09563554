"""What the statistics dashboard records itself: searches, matches shown, daily snapshots."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchSource(models.TextChoices):
    PAGE = "page", _("Search page")
    API = "api", _("API")


class SearchLog(models.Model):
    """One search somebody ran, for "top queries" and "queries with no result".

    Deliberately anonymous: no user, no session, no IP address, no user agent — only the
    normalised query text, how many results it found, which backend answered, the reader's
    language, where it came from (page or API) and when. Rows older than
    ``STATS_SEARCH_LOG_DAYS`` are deleted every night (``stats.tasks.search_log_prune``).
    """

    query = models.CharField(_("Query"), max_length=200, db_index=True)
    kind = models.CharField(_("What was searched"), max_length=12, default="product")
    result_count = models.PositiveIntegerField(_("Results"))
    backend = models.CharField(_("Search backend"), max_length=16, blank=True)
    language = models.CharField(_("Language"), max_length=8, blank=True)
    source = models.CharField(_("Source"), max_length=4, choices=SearchSource.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("search log entry")
        verbose_name_plural = _("search log")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.query} ({self.result_count})"


class MatchSource(models.TextChoices):
    PAGE = "page", _("Company centre")
    API = "api", _("API")


class MatchShown(models.Model):
    """One counterpart matchmaking showed to a company (a buyer, its request, an exhibitor).

    The pair is kept by company key (a request's buyer is its buyer), so the dashboard can
    tell whether the two companies then talked: a match is *acted on* when an inquiry, a
    sample request, a meeting or a quote between the same buyer and exhibitor was created
    after it was shown. ``acted_at`` is set when that is first noticed, by the refresh task
    every 10 minutes (``stats.services.matches_mark_acted``), so the page only counts flags.
    No user is recorded.
    """

    subject_kind = models.CharField(max_length=10)
    result_kind = models.CharField(max_length=10)
    buyer_key = models.CharField(max_length=64, db_index=True)
    exhibitor_key = models.CharField(max_length=64, db_index=True)
    position = models.PositiveSmallIntegerField(default=0)
    source = models.CharField(max_length=4, choices=MatchSource.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    acted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("match shown")
        verbose_name_plural = _("matches shown")

    def __str__(self) -> str:
        return f"{self.buyer_key} ↔ {self.exhibitor_key}"


class DailySnapshot(models.Model):
    """One figure of the dashboard as it stood on one day, so history stays when data changes.

    ``edition`` 0 is "every edition"; ``dimension`` is empty for a total, else the value it
    is split by (a currency, a kind of request, ...). Written by ``stats.tasks.snapshot_daily``;
    writing a day again replaces that day's rows.
    """

    date = models.DateField(_("Date"))
    edition = models.PositiveSmallIntegerField(_("Expo edition"), default=0)
    metric = models.CharField(_("Figure"), max_length=64)
    dimension = models.CharField(_("Split by"), max_length=64, blank=True)
    value = models.DecimalField(_("Value"), max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = _("daily snapshot")
        verbose_name_plural = _("daily snapshots")
        ordering = ["date", "metric", "dimension"]
        permissions = [("view_statistics", _("Can see the statistics dashboard"))]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "edition", "metric", "dimension"], name="one_snapshot_value_per_day"
            )
        ]
        indexes = [models.Index(fields=["edition", "metric", "date"], name="stats_snapshot_series")]

    def __str__(self) -> str:
        return f"{self.date} {self.edition} {self.metric}[{self.dimension}]={self.value}"
