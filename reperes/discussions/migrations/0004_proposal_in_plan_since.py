"""Proposals remember when they became an action of the plan, so that the discussion page
no longer reads the plan, an app above discussions. Existing actions made from a proposal
mark theirs, with the day the action was created."""

from django.db import migrations, models


def mark_proposals_in_plan(apps, schema_editor):
    Action = apps.get_model("action_plans", "Action")
    Proposal = apps.get_model("discussions", "Proposal")
    for proposal_id, created_at in Action.objects.filter(proposal__isnull=False).values_list(
        "proposal_id", "created_at"
    ):
        Proposal.objects.filter(pk=proposal_id).update(in_plan_since=created_at.date())


class Migration(migrations.Migration):

    dependencies = [
        ('action_plans', '0005_alter_action_campaign'),
        ('discussions', '0003_alter_discussion_campaign'),
    ]

    operations = [
        migrations.AddField(
            model_name='proposal',
            name='in_plan_since',
            field=models.DateField(blank=True, null=True, verbose_name="au plan d'action depuis"),
        ),
        migrations.RunPython(mark_proposals_in_plan, migrations.RunPython.noop),
    ]
