"""Reading a table as a dump would, and measuring how much its order says.

`storage_order` returns rows in the order the database stores them, which is the order
`sqlite3 .dump` (rowid) and `pg_dump` (a sequential scan, ctid) emit them. `spearman` is the
rank correlation, ties given their average rank, computed here to need no scipy.
"""

from django.db import connection


def storage_order(table, columns):
    order = {"sqlite": "rowid", "postgresql": "ctid"}[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
        return cursor.fetchall()


def sqlite_dump_rows(table):
    """The values of `table`'s INSERT lines in SQLite's own dump (what `sqlite3 .dump` prints)."""
    prefix = f'INSERT INTO "{table}" VALUES('
    return [line[len(prefix) : -2] for line in connection.connection.iterdump() if line.startswith(prefix)]


def _ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(xs, ys):
    """Spearman's ρ: Pearson's correlation of the ranks."""
    rx, ry = _ranks(list(xs)), _ranks(list(ys))
    n = len(rx)
    mx, my = sum(rx) / n, sum(ry) / n
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sx = sum((a - mx) ** 2 for a in rx) ** 0.5
    sy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (sx * sy)
