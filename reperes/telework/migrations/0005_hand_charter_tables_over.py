"""The telework charter builder became its own app, `charters` (issue 10). This migration gives
its tables their new names; charters.0001 takes the models over without touching the database,
and 0006 forgets them here. Data stays where it is."""

from django.db import migrations

MOVED = ["teleworkcharter", "charterclause", "clausecomment", "charterversion", "chartersignature"]


class Migration(migrations.Migration):
    dependencies = [
        ("telework", "0004_telework_charter"),
    ]

    operations = [migrations.AlterModelTable(name=name, table=f"charters_{name}") for name in MOVED]
