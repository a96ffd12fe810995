"""Takes over the questionnaire models of the former questionnaires app, whose tables
questionnaires.0008 renamed: state only, no data moves."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('questionnaires', '0008_hand_tables_over'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist already: questionnaires.0008 renamed them.
            state_operations=[
                migrations.CreateModel(
                    name='Questionnaire',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(unique=True, verbose_name='identifiant')),
                        ('title', models.CharField(max_length=200, verbose_name='titre')),
                    ],
                    options={
                        'verbose_name': 'questionnaire',
                        'verbose_name_plural': 'questionnaires',
                        'ordering': ['title'],
                    },
                ),
                migrations.CreateModel(
                    name='QuestionnaireVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(verbose_name='version')),
                        ('content_hash', models.CharField(max_length=64, verbose_name='empreinte')),
                        ('definition', models.JSONField(verbose_name='définition')),
                        ('source', models.CharField(max_length=200, verbose_name='fichier')),
                        ('loaded_at', models.DateTimeField(auto_now_add=True, verbose_name='chargée le')),
                        ('questionnaire', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='instruments.questionnaire')),
                    ],
                    options={
                        'verbose_name': 'version de questionnaire',
                        'verbose_name_plural': 'versions de questionnaires',
                        'ordering': ['questionnaire', '-number'],
                        'constraints': [models.UniqueConstraint(fields=('questionnaire', 'number'), name='one_version_number')],
                    },
                ),
                ],
            database_operations=[],
        ),
    ]
