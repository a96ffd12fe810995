"""Full-text search of listings, tolerant to accents and case, on both databases.

PostgreSQL: the text-search configuration `reperes_french` (French stemming after `unaccent`),
created by migration 0002, so that « salle reunion » finds « Salles de réunion ». SQLite: the
FTS5 table `listings_listing_fts` (tokenizer `unicode61 remove_diacritics 2`), kept in step with
the listings by triggers of the same migration; it does not stem, so a plural's last letter is
dropped and every word matches as a prefix. Only letters and digits of the query are kept:
nothing a user types reaches either query language as syntax.
"""

import re

from django.db import connection
from django.db.models.expressions import RawSQL

CONFIG = "reperes_french"
WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8
MAX_QUERY_LENGTH = 200


def words(text):
    """The query's words: letters and digits only, at most MAX_WORDS of them."""
    return [word for word in WORD.findall((text or "")[:MAX_QUERY_LENGTH].replace("_", " "))][:MAX_WORDS]


def _sqlite_term(word):
    word = word.lower()
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]  # « salles » finds « salle », « bureaux » finds « bureau »
    return f'"{word}"*'


def search(queryset, text):
    """`queryset` narrowed to listings whose title, description or town hold every word of
    `text`; unchanged when `text` has no word."""
    found = words(text)
    if not found:
        return queryset
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        vector = SearchVector("title", "description", "town", config=CONFIG)
        query = SearchQuery(" & ".join(f"{word}:*" for word in found), config=CONFIG, search_type="raw")
        return queryset.annotate(search=vector).filter(search=query)
    match = " AND ".join(_sqlite_term(word) for word in found)
    return queryset.filter(
        pk__in=RawSQL("SELECT rowid FROM listings_listing_fts WHERE listings_listing_fts MATCH %s", [match])
    )
