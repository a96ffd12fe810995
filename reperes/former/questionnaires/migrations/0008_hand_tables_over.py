"""The questionnaires app was split in two (issue 10): the questionnaires as content went to
`instruments`, the diagnostics to `campaigns`. This migration gives the tables their new names;
the new apps' first migrations take the models over without touching the database, and 0009
forgets them here. Data stays where it is."""

from django.db import migrations

INSTRUMENTS = ["questionnaire", "questionnaireversion"]
CAMPAIGNS = [
    "campaign",
    "respondentgroup",
    "campaigninvitation",
    "paperbatch",
    "response",
    "answer",
    "draft",
    "collectiveanswer",
    "freetextanswer",
    "synthesisentry",
]


class Migration(migrations.Migration):
    dependencies = [
        ("questionnaires", "0007_closing_figures"),
    ]

    operations = [
        migrations.AlterModelTable(name=name, table=f"instruments_{name}") for name in INSTRUMENTS
    ] + [migrations.AlterModelTable(name=name, table=f"campaigns_{name}") for name in CAMPAIGNS]
