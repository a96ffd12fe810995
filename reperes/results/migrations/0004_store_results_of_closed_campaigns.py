"""Stores the figures of the campaigns closed before results were stored at closing, with the
same code as `manage.py rebuild_results` (reperes.results.rebuild), on the historical models."""

from django.db import migrations


def store(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    if not Campaign.objects.filter(state="closed").exists():
        return
    from reperes.results.rebuild import Models, rebuild_stored_results

    rebuild_stored_results(models=Models.from_apps(apps))


class Migration(migrations.Migration):
    dependencies = [("results", "0003_stored_results")]

    operations = [migrations.RunPython(store, migrations.RunPython.noop)]
