"""Takes over the charter builder's models from telework, whose tables telework.0005 renamed:
state only, no data moves."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('telework', '0005_hand_charter_tables_over'),
        ('organisations', '0002_single_line_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CharterClause',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('clause_id', models.CharField(max_length=60, verbose_name='clause')),
                        ('wording_id', models.CharField(max_length=60, verbose_name='rédaction')),
                        ('custom_text', models.TextField(blank=True, help_text='Laissez vide pour garder la rédaction choisie dans la bibliothèque.', max_length=6000, verbose_name="rédaction de l'équipe")),
                    ],
                    options={
                        'verbose_name': 'clause retenue',
                        'verbose_name_plural': 'clauses retenues',
                    },
                ),
                migrations.CreateModel(
                    name='ClauseComment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(max_length=2000, verbose_name='commentaire')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('charter_clause', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='charters.charterclause')),
                    ],
                    options={
                        'verbose_name': 'commentaire de clause',
                        'verbose_name_plural': 'commentaires de clauses',
                        'ordering': ['created_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='TeleworkCharter',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(default='Télétravail', max_length=200, verbose_name='titre')),
                        ('instrument', models.CharField(choices=[('agreement', "Accord collectif d'entreprise"), ('ratified', "Projet d'accord approuvé par les deux tiers du personnel"), ('charter', "Charte de l'employeur"), ('individual', 'Accord individuel avec chaque salarié·e')], max_length=20, verbose_name='forme du texte')),
                        ('co_drafted', models.BooleanField(default=False, help_text='La ou le référent·e et une ou un représentant·e du personnel le cosignent.', verbose_name='rédigé avec les représentant·es du personnel')),
                        ('status', models.CharField(choices=[('draft', 'Brouillon'), ('submitted', 'Soumis aux représentant·es du personnel'), ('adopted', 'Adopté')], default='draft', max_length=20, verbose_name='état')),
                        ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                        ('parameters', models.JSONField(blank=True, default=dict, verbose_name='paramètres')),
                        ('communicated_on', models.DateField(blank=True, null=True, verbose_name='projet communiqué au personnel le')),
                        ('submitted_on', models.DateField(blank=True, null=True, verbose_name='soumis le')),
                        ('staff_opinion_on', models.DateField(blank=True, null=True, verbose_name='avis des représentant·es du personnel le')),
                        ('staff_opinion', models.TextField(blank=True, max_length=3000, verbose_name="résumé de l'avis")),
                        ('adopted_on', models.DateField(blank=True, null=True, verbose_name='adopté le')),
                        ('created_on', models.DateField(auto_now_add=True, verbose_name='créé le')),
                        ('updated_on', models.DateField(auto_now=True, verbose_name='modifié le')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='telework_charters', to='organisations.organisation')),
                    ],
                    options={
                        'verbose_name': 'charte ou accord de télétravail',
                        'verbose_name_plural': 'chartes et accords de télétravail',
                        'ordering': ['-created_on', '-pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CharterVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(verbose_name='version')),
                        ('status', models.CharField(choices=[('draft', 'Brouillon'), ('submitted', 'Soumis aux représentant·es du personnel'), ('adopted', 'Adopté')], max_length=20, verbose_name='état')),
                        ('content', models.JSONField(verbose_name='contenu')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('charter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='versions', to='charters.teleworkcharter')),
                    ],
                    options={
                        'verbose_name': 'version de charte',
                        'verbose_name_plural': 'versions de chartes',
                        'ordering': ['-created_at', '-pk'],
                    },
                ),
                migrations.AddField(
                    model_name='charterclause',
                    name='charter',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='clauses', to='charters.teleworkcharter'),
                ),
                migrations.CreateModel(
                    name='CharterSignature',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(verbose_name='version')),
                        ('name', models.CharField(max_length=200, verbose_name='nom')),
                        ('role', models.CharField(max_length=20, verbose_name='rôle')),
                        ('signed_on', models.DateField(auto_now_add=True, verbose_name='signé le')),
                        ('user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('charter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signatures', to='charters.teleworkcharter')),
                    ],
                    options={
                        'verbose_name': 'signature',
                        'verbose_name_plural': 'signatures',
                        'constraints': [models.UniqueConstraint(fields=('charter', 'version', 'role'), name='one_signature_per_role')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='charterclause',
                    constraint=models.UniqueConstraint(fields=('charter', 'clause_id'), name='one_clause_per_charter'),
                ),
                ],
            database_operations=[],
        ),
    ]
