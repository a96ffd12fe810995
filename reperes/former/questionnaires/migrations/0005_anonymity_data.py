from django.db import migrations


def forward(apps, schema_editor):
    """Invitations: `used` from the old answered_on, one draft per invitation. Responses: « web »
    becomes « link ». Paper sheets typed before attestation existed go into one batch per
    campaign: attested on the closing day for closed campaigns (so their results do not change
    after close), awaiting attestation for open ones."""
    Invitation = apps.get_model("questionnaires", "CampaignInvitation")
    Draft = apps.get_model("questionnaires", "Draft")
    Response = apps.get_model("questionnaires", "Response")
    PaperBatch = apps.get_model("questionnaires", "PaperBatch")
    Campaign = apps.get_model("questionnaires", "Campaign")
    Invitation.objects.filter(answered_on__isnull=False).update(used=True)
    seen = set()
    for draft in Draft.objects.filter(invitation__isnull=False).order_by("-updated_on"):
        if draft.invitation_id in seen:
            draft.delete()
        else:
            seen.add(draft.invitation_id)
            Invitation.objects.filter(pk=draft.invitation_id).update(used=True)
    Response.objects.filter(source="web").update(source="link")
    campaign_ids = Response.objects.filter(source="paper").values_list("campaign_id", flat=True).distinct()
    for campaign in Campaign.objects.filter(pk__in=list(campaign_ids)):
        closed = campaign.state == "closed"
        batch = PaperBatch.objects.create(
            campaign=campaign,
            entered_by_name="Saisie antérieure à l'attestation des lots",
            attested_by_name="Aucune (diagnostic clôturé avant cette règle)" if closed else "",
            attested_on=campaign.closed_on or campaign.closes_on if closed else None,
            started_on=campaign.opened_on or campaign.closes_on,
        )
        Response.objects.filter(campaign=campaign, source="paper").update(paper_batch=batch)


class Migration(migrations.Migration):

    dependencies = [
        ("questionnaires", "0004_anonymity_channels_batches"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
