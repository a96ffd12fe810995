"""Forgets the models that instruments and campaigns took over (state only: the tables are
theirs now), and moves their content types with them so that admin history and permissions
follow."""

from django.db import migrations


MOVED = {
    "instruments": ["questionnaire", "questionnaireversion"],
    "campaigns": [
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
    ],
}


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED.items():
        for model in models:
            # A content type created by a run of post_migrate under the new label would clash.
            ContentType.objects.filter(app_label=app_label, model=model).delete()
            ContentType.objects.filter(app_label="questionnaires", model=model).update(app_label=app_label)


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for app_label, models in MOVED.items():
        ContentType.objects.filter(app_label=app_label, model__in=models).update(app_label="questionnaires")


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('instruments', '0001_initial'),
        ('campaigns', '0001_initial'),
        ('action_plans', '0005_alter_action_campaign'),
        ('discussions', '0003_alter_discussion_campaign'),
        ('questionnaires', '0008_hand_tables_over'),
        ('results', '0002_alter_priority_campaign'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='answer',
                    name='response',
                ),
                migrations.RemoveField(
                    model_name='campaign',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='campaign',
                    name='follows',
                ),
                migrations.RemoveField(
                    model_name='campaign',
                    name='organisation',
                ),
                migrations.RemoveField(
                    model_name='campaign',
                    name='questionnaire_version',
                ),
                migrations.RemoveField(
                    model_name='paperbatch',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='response',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='campaigninvitation',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='draft',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='freetextanswer',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='respondentgroup',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='synthesisentry',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='draft',
                    name='invitation',
                ),
                migrations.RemoveConstraint(
                    model_name='collectiveanswer',
                    name='one_collective_answer',
                ),
                migrations.RemoveField(
                    model_name='draft',
                    name='group',
                ),
                migrations.RemoveField(
                    model_name='paperbatch',
                    name='attested_by',
                ),
                migrations.RemoveField(
                    model_name='paperbatch',
                    name='entered_by',
                ),
                migrations.RemoveField(
                    model_name='response',
                    name='paper_batch',
                ),
                migrations.RemoveConstraint(
                    model_name='questionnaireversion',
                    name='one_version_number',
                ),
                migrations.RemoveField(
                    model_name='response',
                    name='group',
                ),
                migrations.DeleteModel(
                    name='Answer',
                ),
                migrations.DeleteModel(
                    name='FreeTextAnswer',
                ),
                migrations.DeleteModel(
                    name='SynthesisEntry',
                ),
                migrations.DeleteModel(
                    name='CampaignInvitation',
                ),
                migrations.RemoveField(
                    model_name='collectiveanswer',
                    name='campaign',
                ),
                migrations.DeleteModel(
                    name='Draft',
                ),
                migrations.DeleteModel(
                    name='PaperBatch',
                ),
                migrations.RemoveField(
                    model_name='questionnaireversion',
                    name='questionnaire',
                ),
                migrations.DeleteModel(
                    name='RespondentGroup',
                ),
                migrations.DeleteModel(
                    name='Response',
                ),
                migrations.DeleteModel(
                    name='Campaign',
                ),
                migrations.DeleteModel(
                    name='CollectiveAnswer',
                ),
                migrations.DeleteModel(
                    name='Questionnaire',
                ),
                migrations.DeleteModel(
                    name='QuestionnaireVersion',
                ),
                ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
