"""Which organisations' results someone in a network can already read one by one: the network's
figures (observatory, programme evaluation) never count on them to protect another
organisation, since subtracting what one already knows would leave the others."""

from reperes.sharing.models import ResultShare


def known_organisations(network):
    """The ids of the organisations with a live share of their results with `network` (the
    network, one of its cohorts or one of its facilitators), and of those the network's staff
    belong to (Network.staff_organisation_ids). The same set for every reader of the network,
    so that what it publishes is the same for all (conservative)."""
    shared = ResultShare.objects.live().filter(network=network).values_list("organisation_id", flat=True)
    return frozenset(shared) | network.staff_organisation_ids()
