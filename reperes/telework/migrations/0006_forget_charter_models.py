"""Forgets the charter models that the charters app took over (state only), and moves their
content types with them."""

from django.db import migrations


MOVED = ["teleworkcharter", "charterclause", "clausecomment", "charterversion", "chartersignature"]


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        ContentType.objects.filter(app_label="charters", model=model).delete()
        ContentType.objects.filter(app_label="telework", model=model).update(app_label="charters")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="charters", model__in=MOVED).update(app_label="telework")


class Migration(migrations.Migration):

    dependencies = [
        ('charters', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('telework', '0005_hand_charter_tables_over'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveConstraint(
                    model_name='charterclause',
                    name='one_clause_per_charter',
                ),
                migrations.RemoveField(
                    model_name='clausecomment',
                    name='charter_clause',
                ),
                migrations.RemoveConstraint(
                    model_name='chartersignature',
                    name='one_signature_per_role',
                ),
                migrations.RemoveField(
                    model_name='clausecomment',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='teleworkcharter',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='teleworkcharter',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='charterclause',
                    name='charter',
                ),
                migrations.RemoveField(
                    model_name='chartersignature',
                    name='charter',
                ),
                migrations.RemoveField(
                    model_name='chartersignature',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='CharterVersion',
                ),
                migrations.DeleteModel(
                    name='ClauseComment',
                ),
                migrations.DeleteModel(
                    name='CharterClause',
                ),
                migrations.DeleteModel(
                    name='TeleworkCharter',
                ),
                migrations.DeleteModel(
                    name='CharterSignature',
                ),
                ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
