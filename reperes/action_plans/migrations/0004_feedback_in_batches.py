"""« Cela a-t-il aidé ? » answers are counted in batches, and its rows lose their arrival order.

Feedback gets `counted`. An action that already had k answers or more showed them all: they are
all counted, so the page shows the same figures as before. Below k, nothing was shown and the
answers wait for a batch. Participation records get random keys: a sequence id cannot be cast
to a UUID, so they move to a new table (random keys, in a random order) which then takes the
old one's name; every answer is rewritten too, in a random order with a new key. Nothing is
lost: every record and every answer is copied.
"""

import random
import uuid
from collections import Counter

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_shuffled(apps, schema_editor):
    rng = random.SystemRandom()
    k = settings.ANONYMITY_THRESHOLD
    FeedbackParticipation = apps.get_model("action_plans", "FeedbackParticipation")
    NewFeedbackParticipation = apps.get_model("action_plans", "NewFeedbackParticipation")
    Feedback = apps.get_model("action_plans", "Feedback")

    def key():
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    records = list(FeedbackParticipation.objects.values_list("action_id", "user_id"))
    rng.shuffle(records)
    NewFeedbackParticipation.objects.bulk_create(
        NewFeedbackParticipation(id=key(), action_id=action_id, user_id=user_id)
        for action_id, user_id in records
    )
    answers = list(Feedback.objects.values_list("action_id", "value"))
    per_action = Counter(action_id for action_id, _ in answers)
    rng.shuffle(answers)
    Feedback.objects.all().delete()
    Feedback.objects.bulk_create(
        Feedback(id=key(), action_id=action_id, value=value, counted=per_action[action_id] >= k)
        for action_id, value in answers
    )


def copy_back(apps, schema_editor):
    FeedbackParticipation = apps.get_model("action_plans", "FeedbackParticipation")
    NewFeedbackParticipation = apps.get_model("action_plans", "NewFeedbackParticipation")
    FeedbackParticipation.objects.bulk_create(
        FeedbackParticipation(action_id=action_id, user_id=user_id)
        for action_id, user_id in NewFeedbackParticipation.objects.values_list("action_id", "user_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("action_plans", "0003_action_document"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="feedback",
            name="counted",
            field=models.BooleanField(default=False, verbose_name="compté"),
        ),
        migrations.CreateModel(
            name="NewFeedbackParticipation",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                (
                    "action",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="action_plans.action"
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_shuffled, copy_back),
        migrations.DeleteModel(name="FeedbackParticipation"),
        migrations.RenameModel(old_name="NewFeedbackParticipation", new_name="FeedbackParticipation"),
        migrations.AlterField(
            model_name="feedbackparticipation",
            name="action",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="feedback_participations",
                to="action_plans.action",
            ),
        ),
        migrations.AddConstraint(
            model_name="feedbackparticipation",
            constraint=models.UniqueConstraint(fields=("action", "user"), name="one_feedback_per_member"),
        ),
    ]
