"""The database backend's index and the queue of changes waiting to reach any index.

``SearchEntry`` holds one row per searchable object (listed product, verified company, open
request) with its facet values, ``SearchText`` its normalized text, so search and facet
counts read these tables instead of joining the catalogue. The migrations add what Django
does not model: on PostgreSQL a trigram index, a Chinese bigram array and an English
``tsvector`` column, on SQLite an FTS5 table with the trigram tokenizer.
"""

from django.db import models
from django.utils import timezone


class PendingChange(models.Model):
    """Something changed and its index entries must be refreshed (or removed).

    Written in the same transaction as the change (signals, imports), drained after commit
    by ``search.tasks.index_pending`` in batches; while the search engine is down the rows
    stay, and the periodic drain catches up when it is back. ``kind`` is an index kind
    (``product``, ``exhibitor``, ``buyer``, ``request``) or a fan-out: ``exhibitor-products``
    (every product of an exhibitor), ``buyer-requests``, ``category`` (everything in it).
    """

    kind = models.CharField(max_length=24)
    object_id = models.PositiveIntegerField()
    # Bumped when the object changes again; a drain removes only rows older than its start.
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "search_pending_change"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_pending_change")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class IndexVersion(models.Model):
    """A token that changes with every write to a kind's entries: cached facet counts of
    searches without words are keyed by it, so they last exactly until the index changes."""

    kind = models.CharField(max_length=12, primary_key=True)
    token = models.CharField(max_length=32)

    class Meta:
        db_table = "search_index_version"

    def __str__(self) -> str:
        return f"{self.kind}:{self.token}"


class SearchEntry(models.Model):
    """One searchable object in the database index: what it is and its facet values.

    Kept narrow (text lives in ``SearchText``) so facet counts scan little.
    """

    kind = models.CharField(max_length=12)
    object_id = models.PositiveIntegerField()
    key = models.CharField(max_length=160, blank=True)
    sort_title = models.CharField(max_length=255, blank=True)
    # The exhibitor selling a product, the buyer of a request, the company itself otherwise.
    owner_id = models.PositiveIntegerField(null=True, blank=True)
    storage = models.CharField(max_length=16, blank=True)
    province = models.CharField(max_length=64, blank=True)
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    moq = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField()

    class Meta:
        db_table = "search_entry"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_entry_per_object")]
        indexes = [
            models.Index(fields=["kind", "-created", "-object_id"], name="search_entry_newest"),
            models.Index(fields=["kind", "price", "object_id"], name="search_entry_price"),
            models.Index(fields=["kind", "owner_id"], name="search_entry_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchText(models.Model):
    """The searchable text of an entry, normalized (see ``search.text``).

    ``title`` holds titles or names, ``extra`` categories, keywords and company names,
    ``document`` everything (with descriptions), which the trigram and full-text indexes
    cover. ``display`` keeps the original texts for highlighting. The entry's facet values
    are repeated here, so a search with words reads this table alone (no join per hit) and
    browsing without words reads the narrow ``SearchEntry``.
    """

    entry = models.OneToOneField(SearchEntry, on_delete=models.CASCADE, primary_key=True, related_name="text")
    kind = models.CharField(max_length=12, default="")
    object_id = models.PositiveIntegerField(default=0)
    sort_title = models.CharField(max_length=255, blank=True)
    owner_id = models.PositiveIntegerField(null=True, blank=True)
    storage = models.CharField(max_length=16, blank=True)
    province = models.CharField(max_length=64, blank=True)
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    moq = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(null=True)
    title = models.TextField(blank=True)
    extra = models.TextField(blank=True)
    document = models.TextField(blank=True)
    # how each title ends (search.text.title_heads): a term there ranks higher
    heads = models.TextField(blank=True, default="")
    display = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "search_text"
        indexes = [models.Index(fields=["kind", "object_id"], name="search_text_object")]

    def __str__(self) -> str:
        return self.title


class EntryCategory(models.Model):
    """A category of an entry, ancestors included, so a filter on a category finds its subtree."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="category_links")
    category_id = models.PositiveIntegerField()

    class Meta:
        db_table = "search_entry_category"
        constraints = [models.UniqueConstraint(fields=["entry", "category_id"], name="one_entry_category")]
        indexes = [models.Index(fields=["category_id", "entry"], name="search_category_entry")]

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.category_id}"


class EntryCertificate(models.Model):
    """A certificate that counts for an entry until ``valid_until`` (empty: no end).

    For a product: a code its exhibitor holds and the product is covered by; for an
    exhibitor: a code it holds. Dates are compared at query time, so a certificate stops
    counting the day after it runs out without any reindexing.
    """

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="certificates")
    code = models.CharField(max_length=16)
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "search_entry_certificate"
        indexes = [models.Index(fields=["code", "entry"], name="search_certificate_entry")]

    def __str__(self) -> str:
        return f"{self.code} until {self.valid_until or '-'}"


class EntryEdition(models.Model):
    """An expo edition (year) an exhibitor takes part in."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="editions")
    edition = models.PositiveSmallIntegerField()

    class Meta:
        db_table = "search_entry_edition"
        indexes = [models.Index(fields=["edition", "entry"], name="search_edition_entry")]

    def __str__(self) -> str:
        return str(self.edition)
