"""Full-text search of listings (reperes.listings.search): on PostgreSQL a French text-search
configuration that ignores accents; on SQLite an FTS5 table kept in step by triggers."""

from django.db import migrations

POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$
    BEGIN
      IF NOT EXISTS (SELECT FROM pg_ts_config WHERE cfgname = 'reperes_french') THEN
        CREATE TEXT SEARCH CONFIGURATION reperes_french (COPY = french);
        ALTER TEXT SEARCH CONFIGURATION reperes_french
          ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
      END IF;
    END
    $$
    """,
]
POSTGRESQL_REVERSE = ["DROP TEXT SEARCH CONFIGURATION IF EXISTS reperes_french"]

COLUMNS = "title, description, town"
SQLITE = [
    f"""CREATE VIRTUAL TABLE listings_listing_fts USING fts5({COLUMNS}, content='listings_listing',
    content_rowid='id', tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER listings_listing_fts_insert AFTER INSERT ON listings_listing BEGIN
      INSERT INTO listings_listing_fts(rowid, {COLUMNS}) VALUES (new.id, new.title, new.description, new.town);
    END""",
    f"""CREATE TRIGGER listings_listing_fts_delete AFTER DELETE ON listings_listing BEGIN
      INSERT INTO listings_listing_fts(listings_listing_fts, rowid, {COLUMNS})
      VALUES ('delete', old.id, old.title, old.description, old.town);
    END""",
    f"""CREATE TRIGGER listings_listing_fts_update AFTER UPDATE ON listings_listing BEGIN
      INSERT INTO listings_listing_fts(listings_listing_fts, rowid, {COLUMNS})
      VALUES ('delete', old.id, old.title, old.description, old.town);
      INSERT INTO listings_listing_fts(rowid, {COLUMNS}) VALUES (new.id, new.title, new.description, new.town);
    END""",
    "INSERT INTO listings_listing_fts(listings_listing_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS listings_listing_fts_insert",
    "DROP TRIGGER IF EXISTS listings_listing_fts_delete",
    "DROP TRIGGER IF EXISTS listings_listing_fts_update",
    "DROP TABLE IF EXISTS listings_listing_fts",
]


def run(statements):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in statements.get(vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("listings", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
