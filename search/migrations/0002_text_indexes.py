"""Text indexes Django does not model, per database.

PostgreSQL: pg_trgm with a trigram GIN index on ``search_text.document`` (substring
matching, so 辣条 is found inside 卫龙大面筋辣条; patterns of three or more characters use
it), a ``grams`` array of the Chinese character pairs of the text with its GIN index (two
characters, like 辣条, have no trigram to look up), and a weighted English ``tsvector``
column with its GIN index (stemmed English words).

SQLite: an FTS5 table with the trigram tokenizer over ``document``, with ``search_text``
as its external content. The backend adds new rows to it itself (an insert trigger made
every insert about a hundred times slower); triggers remove and change rows, so deleting
text by any means (a test flush included) keeps the two in step.
"""

from django.db import migrations

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_text_document_trgm ON search_text USING gin (document gin_trgm_ops)",
    "ALTER TABLE search_text ADD COLUMN grams text[] NOT NULL DEFAULT '{}'",
    "CREATE INDEX search_text_grams ON search_text USING gin (grams)",
    """ALTER TABLE search_text ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(extra, '')), 'B')
        || setweight(to_tsvector('english'::regconfig, coalesce(document, '')), 'C')
    ) STORED""",
    "CREATE INDEX search_text_vector ON search_text USING gin (vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_text_vector",
    "ALTER TABLE search_text DROP COLUMN IF EXISTS vector",
    "DROP INDEX IF EXISTS search_text_grams",
    "ALTER TABLE search_text DROP COLUMN IF EXISTS grams",
    "DROP INDEX IF EXISTS search_text_document_trgm",
]

SQLITE = [
    """CREATE VIRTUAL TABLE search_text_fts USING fts5(
        document, content='search_text', content_rowid='entry_id', tokenize='trigram')""",
    """CREATE TRIGGER search_text_fts_delete AFTER DELETE ON search_text BEGIN
        INSERT INTO search_text_fts(search_text_fts, rowid, document)
        VALUES ('delete', old.entry_id, old.document);
    END""",
    """CREATE TRIGGER search_text_fts_update AFTER UPDATE OF document ON search_text BEGIN
        INSERT INTO search_text_fts(search_text_fts, rowid, document)
        VALUES ('delete', old.entry_id, old.document);
        INSERT INTO search_text_fts(rowid, document) VALUES (new.entry_id, new.document);
    END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_text_fts_update",
    "DROP TRIGGER IF EXISTS search_text_fts_delete",
    "DROP TABLE IF EXISTS search_text_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
