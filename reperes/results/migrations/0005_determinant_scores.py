"""Stores each closed campaign's scores by determinant of the QVT frameworks beside its theme
scores, for the observatory's tables by determinant. The campaigns closed before get theirs from
the distribution already stored: no answer is read again."""

from django.db import migrations, models


def store(apps, schema_editor):
    from reperes.instruments.definition import Definition
    from reperes.results.scoring import determinant_tag_scores

    StoredResults = apps.get_model("results", "StoredResults")
    specs = {}
    for stored in StoredResults.objects.select_related("campaign").iterator(chunk_size=500):
        version_id = stored.campaign.questionnaire_version_id
        if version_id not in specs:
            version = apps.get_model("instruments", "QuestionnaireVersion").objects.get(pk=version_id)
            specs[version_id] = Definition(version.definition)
        stored.determinant_scores = determinant_tag_scores(specs[version_id], stored.distribution)
        stored.save(update_fields=["determinant_scores"])


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0004_store_results_of_closed_campaigns"),
    ]

    operations = [
        migrations.AddField(
            model_name="storedresults",
            name="determinant_scores",
            field=models.JSONField(default=dict, verbose_name="scores par déterminant"),
        ),
        migrations.RunPython(store, migrations.RunPython.noop),
    ]
