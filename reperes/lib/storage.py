"""Writing anonymous rows so that where they are stored says nothing about when they came.

Rows written one after another keep their arrival order in the table's storage: SQLite's
rowid, PostgreSQL's heap (ctid), and so `sqlite3 .dump` and `pg_dump`, which emit rows in that
order. An anonymous row (an anonymous ballot, a « cela a-t-il aidé ? » answer) written right
after the row saying who voted or answered would be paired with it by position, by a sequence
id, or by a timestamp.

So the anonymous rows of a vote or an action never carry a time or a sequence id, and every
write rewrites them all, together with the rows saying who took part: in one transaction that
holds the lock of their vote or action, the rows are deleted and inserted again in a random
order, each with a new random key. In a dump, both tables then list the rows of one vote or
action in an order unrelated to arrival and unrelated to each other, and every row of the
rewrite carries the same PostgreSQL transaction id (xmin). SQLite runs with `secure_delete`, so
the deleted rows are overwritten in the file (see config/settings.py).

What this does not hide (docs/architecture.md says it too): two copies of the database taken
at different times, compared, show which rows appeared in between; PostgreSQL keeps dead row
versions in its data files until vacuum, and both databases keep recent changes in their
write-ahead logs. A logical dump holds neither.
"""

import random
import uuid

# The one source of randomness for order and keys. Tests replace it with a seeded
# random.Random to be deterministic; production draws from the operating system.
RNG = random.SystemRandom()


def new_key():
    """A random version-4 UUID, drawn from RNG."""
    return uuid.UUID(int=RNG.getrandbits(128), version=4)


def shuffled(items):
    items = list(items)
    RNG.shuffle(items)
    return items


def rewrite(queryset, rows):
    """Replace the rows of `queryset` by `rows` (dicts of field values), inserted in a random
    order with new random keys. Call it inside the transaction that locks their owner."""
    model = queryset.model
    queryset.delete()
    model.objects.bulk_create([model(pk=new_key(), **row) for row in shuffled(rows)])
