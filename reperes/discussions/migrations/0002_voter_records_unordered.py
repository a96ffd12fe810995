"""Voter records get random keys, and the rows of every anonymous vote lose their arrival order.

A sequence id cannot be cast to a UUID, so the records move to a new table (random keys, in a
random order) which then takes the old one's name. Every anonymous ballot is rewritten too, in a
random order with a new key, so that neither table keeps the order in which people voted.
Nothing is lost: every record and every ballot is copied.
"""

import random
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def copy_shuffled(apps, schema_editor):
    rng = random.SystemRandom()
    VoterRecord = apps.get_model("discussions", "VoterRecord")
    NewVoterRecord = apps.get_model("discussions", "NewVoterRecord")
    AnonymousBallot = apps.get_model("discussions", "AnonymousBallot")

    def key():
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    records = list(VoterRecord.objects.values_list("vote_id", "user_id"))
    rng.shuffle(records)
    NewVoterRecord.objects.bulk_create(
        NewVoterRecord(id=key(), vote_id=vote_id, user_id=user_id) for vote_id, user_id in records
    )
    ballots = list(AnonymousBallot.objects.values_list("vote_id", "choice", "reason"))
    rng.shuffle(ballots)
    AnonymousBallot.objects.all().delete()
    AnonymousBallot.objects.bulk_create(
        AnonymousBallot(id=key(), vote_id=vote_id, choice=choice, reason=reason)
        for vote_id, choice, reason in ballots
    )


def copy_back(apps, schema_editor):
    VoterRecord = apps.get_model("discussions", "VoterRecord")
    NewVoterRecord = apps.get_model("discussions", "NewVoterRecord")
    VoterRecord.objects.bulk_create(
        VoterRecord(vote_id=vote_id, user_id=user_id)
        for vote_id, user_id in NewVoterRecord.objects.values_list("vote_id", "user_id")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="NewVoterRecord",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "vote",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="discussions.vote"
                    ),
                ),
            ],
        ),
        migrations.RunPython(copy_shuffled, copy_back),
        migrations.DeleteModel(name="VoterRecord"),
        migrations.RenameModel(old_name="NewVoterRecord", new_name="VoterRecord"),
        migrations.AlterField(
            model_name="voterrecord",
            name="vote",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="voters", to="discussions.vote"
            ),
        ),
        migrations.AddConstraint(
            model_name="voterrecord",
            constraint=models.UniqueConstraint(fields=("vote", "user"), name="one_anonymous_ballot"),
        ),
    ]
