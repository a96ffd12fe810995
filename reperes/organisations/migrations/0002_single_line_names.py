"""Names of organisations and networks go into mail subjects: one line, no control characters.

Forms and models clean them from now on; this cleans the names saved before (a carriage return
in a name made every invitation of the organisation fail after it was saved).
"""

import re
import unicodedata

from django.db import migrations


def single_line(text):
    # A copy of reperes.lib.mail.single_line as it was written: migrations keep their own code.
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category in {"Cc", "Zl", "Zp"}:
            kept.append(" ")
        elif category != "Cf":
            kept.append(char)
    return re.sub(r"\s+", " ", "".join(kept)).strip()


def clean_names(apps, schema_editor):
    for model_name in ("Organisation", "Network"):
        model = apps.get_model("organisations", model_name)
        for pk, name in model.objects.values_list("pk", "name"):
            cleaned = single_line(name)
            if cleaned != name:
                model.objects.filter(pk=pk).update(name=cleaned or "Sans nom")


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [migrations.RunPython(clean_names, migrations.RunPython.noop)]
