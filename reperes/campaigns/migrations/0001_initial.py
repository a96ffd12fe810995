"""Takes over the diagnostic models of the former questionnaires app, whose tables
questionnaires.0008 renamed: state only, no data moves."""

import django.db.models.deletion
import django.utils.timezone
import reperes.campaigns.models
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('questionnaires', '0008_hand_tables_over'),
        ('instruments', '0001_initial'),
        ('organisations', '0002_single_line_names'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist already: questionnaires.0008 renamed them.
            state_operations=[
                migrations.CreateModel(
                    name='Campaign',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('title', models.CharField(max_length=200, verbose_name='titre')),
                        ('mode', models.CharField(choices=[('individual', 'Individuel et anonyme'), ('collective', 'Collectif, en réunion')], default='individual', max_length=20, verbose_name='mode de réponse')),
                        ('collective_method', models.CharField(choices=[('counts', 'Compter les mains levées pour chaque réponse'), ('consensus', "Noter la réponse sur laquelle l'équipe s'accorde")], default='counts', max_length=20, verbose_name='méthode en réunion')),
                        ('access', models.CharField(choices=[('link', 'Un lien partagé, et des invitations si vous le souhaitez'), ('invitations', 'Des invitations personnelles seulement')], default='link', max_length=20, verbose_name='comment répondre')),
                        ('state', models.CharField(choices=[('draft', 'En préparation'), ('open', 'Ouvert aux réponses'), ('closed', 'Clôturé')], default='draft', max_length=20, verbose_name='état')),
                        ('closes_on', models.DateField(verbose_name='date de clôture')),
                        ('expected_respondents', models.PositiveIntegerField(blank=True, null=True, verbose_name='nombre de répondant·es attendu')),
                        ('share_id', models.CharField(default=reperes.campaigns.models.new_token, editable=False, max_length=32, unique=True)),
                        ('results_token', models.CharField(blank=True, max_length=32, null=True, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('opened_on', models.DateField(blank=True, null=True)),
                        ('opened_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_on', models.DateField(blank=True, null=True)),
                        ('invitations_sent', models.PositiveIntegerField(blank=True, null=True)),
                        ('invitations_answered', models.PositiveIntegerField(blank=True, null=True)),
                        ('closing_figures', models.JSONField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('follows', models.ForeignKey(blank=True, help_text='Le diagnostic dont celui-ci est le point de suivi, six mois plus tard.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='follow_ups', to='campaigns.campaign', verbose_name='diagnostic précédent')),
                        ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='campaigns', to='organisations.organisation')),
                        ('questionnaire_version', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='campaigns', to='instruments.questionnaireversion')),
                    ],
                    options={
                        'verbose_name': 'diagnostic',
                        'verbose_name_plural': 'diagnostics',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='CampaignInvitation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='adresse')),
                        ('token_hash', models.CharField(blank=True, max_length=64, null=True, unique=True)),
                        ('sent_on', models.DateField(verbose_name='envoyée le')),
                        ('reminded_on', models.DateField(blank=True, null=True, verbose_name='relancée le')),
                        ('used', models.BooleanField(default=False, verbose_name='lien utilisé')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='invitations', to='campaigns.campaign')),
                    ],
                    options={
                        'verbose_name': 'invitation à répondre',
                        'verbose_name_plural': 'invitations à répondre',
                        'ordering': ['email'],
                    },
                ),
                migrations.CreateModel(
                    name='FreeTextAnswer',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('item_id', models.CharField(max_length=40)),
                        ('text', models.TextField(max_length=5000, verbose_name='texte')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='free_texts', to='campaigns.campaign')),
                    ],
                    options={
                        'verbose_name': 'réponse ouverte',
                        'verbose_name_plural': 'réponses ouvertes',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='PaperBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('entered_by_name', models.CharField(max_length=150, verbose_name='saisi par')),
                        ('attested_by_name', models.CharField(blank=True, max_length=150, verbose_name='attesté par')),
                        ('attested_on', models.DateField(blank=True, null=True, verbose_name='attesté le')),
                        ('entered_by_email', models.EmailField(blank=True, max_length=254, verbose_name='adresse de la personne qui a saisi')),
                        ('attested_by_email', models.EmailField(blank=True, max_length=254, verbose_name='adresse de la personne qui a attesté')),
                        ('started_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='commencé le')),
                        ('sheets', models.PositiveIntegerField(blank=True, null=True, verbose_name='feuilles')),
                        ('attested_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='paper_batches', to='campaigns.campaign')),
                        ('entered_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'lot de feuilles papier',
                        'verbose_name_plural': 'lots de feuilles papier',
                        'ordering': ['started_on', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='RespondentGroup',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('label', models.CharField(max_length=80, verbose_name='libellé')),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='groups', to='campaigns.campaign')),
                    ],
                    options={
                        'verbose_name': 'collège',
                        'verbose_name_plural': 'collèges',
                        'ordering': ['position', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='Draft',
                    fields=[
                        ('token_hash', models.CharField(max_length=64, primary_key=True, serialize=False)),
                        ('group_chosen', models.BooleanField(default=False)),
                        ('answers', models.JSONField(default=dict)),
                        ('submission_key', models.CharField(default=reperes.campaigns.models.new_token, max_length=64)),
                        ('updated_on', models.DateField(default=django.utils.timezone.localdate)),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='drafts', to='campaigns.campaign')),
                        ('invitation', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='draft', to='campaigns.campaigninvitation')),
                        ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to='campaigns.respondentgroup')),
                    ],
                    options={
                        'verbose_name': 'brouillon de réponse',
                        'verbose_name_plural': 'brouillons de réponse',
                    },
                ),
                migrations.CreateModel(
                    name='Response',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('submitted_on', models.DateField(verbose_name='date de réponse')),
                        ('source', models.CharField(choices=[('link', 'Lien partagé'), ('invitation', 'Invitation personnelle'), ('paper', 'Papier'), ('withheld', 'Effacé à la clôture')], default='link', max_length=10)),
                        ('submission_key', models.CharField(max_length=64, unique=True)),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='campaigns.campaign')),
                        ('group', models.ForeignKey(blank=True, help_text='Vide : la personne a préféré ne pas le dire.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='responses', to='campaigns.respondentgroup')),
                        ('paper_batch', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='campaigns.paperbatch')),
                    ],
                    options={
                        'verbose_name': 'réponse',
                        'verbose_name_plural': 'réponses',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='Answer',
                    fields=[
                        ('pk', models.CompositePrimaryKey('response_id', 'item_id', blank=True, editable=False, primary_key=True, serialize=False)),
                        ('item_id', models.CharField(max_length=40)),
                        ('value', models.CharField(max_length=20)),
                        ('response', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='campaigns.response')),
                    ],
                    options={
                        'verbose_name': 'réponse à une affirmation',
                        'verbose_name_plural': 'réponses aux affirmations',
                    },
                ),
                migrations.CreateModel(
                    name='SynthesisEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('item_id', models.CharField(max_length=40)),
                        ('text', models.CharField(max_length=500, verbose_name='texte')),
                        ('added_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='ajoutée le')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='synthesis_entries', to='campaigns.campaign')),
                    ],
                    options={
                        'verbose_name': 'ligne de synthèse',
                        'verbose_name_plural': 'lignes de synthèse',
                        'ordering': ['item_id', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='CollectiveAnswer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('item_id', models.CharField(max_length=40)),
                        ('counts', models.JSONField(default=dict, verbose_name='décompte')),
                        ('consensus', models.CharField(blank=True, max_length=20, verbose_name='réponse retenue')),
                        ('note', models.TextField(blank=True, max_length=2000, verbose_name='désaccords, remarques')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='collective_answers', to='campaigns.campaign')),
                    ],
                    options={
                        'verbose_name': 'réponse en réunion',
                        'verbose_name_plural': 'réponses en réunion',
                        'constraints': [models.UniqueConstraint(fields=('campaign', 'item_id'), name='one_collective_answer')],
                    },
                ),
                ],
            database_operations=[],
        ),
    ]
