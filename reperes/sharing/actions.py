from django.db import IntegrityError, transaction

from reperes.lib.actions import ActionRefused
from reperes.organisations.journal import record_event
from reperes.organisations.models import NetworkRole
from reperes.programmes.models import Enrolment
from reperes.sharing.models import ResultShare


def audiences(organisation):
    """Whom `organisation` may share a campaign with: the facilitators of each network it belongs
    to, and those of each cohort it is enrolled in. A list of (network, cohort or None)."""
    choices = [(network, None) for network in organisation.networks.order_by("name")]
    enrolments = (
        Enrolment.objects.accepted()
        .filter(organisation=organisation)
        .select_related("cohort__network")
        .order_by("cohort__name")
    )
    choices += [(enrolment.cohort.network, enrolment.cohort) for enrolment in enrolments]
    return choices


@transaction.atomic
def share_results(campaign, *, network, cohort=None, by):
    """Share `campaign`'s results with the facilitators of `network`, or of its `cohort`."""
    organisation = campaign.organisation
    if (network, cohort) not in audiences(organisation):
        raise ActionRefused(
            "Vous ne pouvez partager qu'avec vos réseaux et les cohortes où vous êtes inscrits."
        )
    if campaign.is_draft:
        raise ActionRefused("Ouvrez d'abord le diagnostic : il n'y a encore rien à partager.")
    share = ResultShare(
        organisation=organisation, campaign=campaign, network=network, cohort=cohort, created_by=by
    )
    try:
        with transaction.atomic():
            share.save()
    except IntegrityError:
        raise ActionRefused("Ce diagnostic est déjà partagé avec ces personnes.") from None
    record_event(
        by=by,
        verb="sharing.results_shared",
        target=campaign.title,
        description=f"{by} a partagé les résultats de « {campaign.title} » avec {share.audience_label}.",
        organisation=organisation,
    )
    return share


@transaction.atomic
def share_with_facilitator(campaign, *, network, facilitator, by):
    """Share `campaign`'s results with one facilitator of `network` by name: the person who took
    the organisation's accompaniment request (reperes.requests). Nobody else in the network sees
    them; the share ends when the request is closed, or when a pilot withdraws it."""
    organisation = campaign.organisation
    if not organisation.networks.filter(pk=network.pk).exists():
        raise ActionRefused("Votre structure ne fait plus partie de ce réseau.")
    if not network.memberships.filter(user=facilitator, role=NetworkRole.FACILITATOR).exists():
        raise ActionRefused("Cette personne n'accompagne pas pour ce réseau.")
    if campaign.is_draft:
        raise ActionRefused("Ce diagnostic n'est pas encore ouvert : il n'y a rien à partager.")
    share, created = ResultShare.objects.get_or_create(
        campaign=campaign,
        network=network,
        facilitator=facilitator,
        defaults={"organisation": organisation, "created_by": by},
    )
    if created:
        record_event(
            by=by,
            verb="sharing.results_shared",
            target=campaign.title,
            description=f"Les résultats de « {campaign.title} » sont partagés avec {share.audience_label}.",
            organisation=organisation,
        )
    return share


@transaction.atomic
def revoke_share(share, *, by):
    """End a share at once: the row goes, and with it every facilitator's access."""
    label, title = share.audience_label, share.campaign.title
    share.delete()
    record_event(
        by=by,
        verb="sharing.results_unshared",
        target=title,
        description=f"{by} a retiré le partage des résultats de « {title} » avec {label}.",
        organisation=share.organisation,
    )
