"""The audit journal of organisations and networks: who did what, to what, where. Every app's
actions write to it; pilots read it on the journal pages."""

from reperes.organisations.models import Event


def record_event(*, by, verb, description, target="", organisation=None, network=None):
    """Write one audit line: who (`by`), did what (`verb`), to what (`target`), where."""
    return Event.objects.create(
        organisation=organisation,
        network=network,
        actor=by,
        verb=verb,
        target=str(target)[:200],
        description=description[:300],
    )
