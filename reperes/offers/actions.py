"""What the network's staff do with the catalogue: add an offer, change it, archive it and bring
it back. Each verb checks the offer as the form does (dates, sizes, codes of the reference
lists), writes it and one line of the network's journal."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reperes.lib.actions import check_or_refuse
from reperes.offers.models import Offer
from reperes.organisations.journal import record_event

# What a user may set on an offer (the form's fields); the rest belongs to the verbs.
EDITABLE_FIELDS = (
    "kind",
    "title",
    "summary",
    "description",
    "provider",
    "format",
    "duration",
    "cost",
    "funders",
    "other_funding",
    "subjects",
    "regions",
    "size_bands",
    "max_employees",
    "eligibility",
    "audience",
    "contact_name",
    "contact_email",
    "contact_phone",
    "link",
    "starts_on",
    "ends_on",
)


def _event(offer, *, by, verb, description):
    record_event(
        by=by, verb=f"offers.{verb}", target=offer.title, description=description, network=offer.network
    )


def _set(offer, fields):
    unknown = sorted(set(fields) - set(EDITABLE_FIELDS))
    if unknown:
        raise TypeError(f"Champs inconnus : {', '.join(unknown)}")
    for name, value in fields.items():
        setattr(offer, name, value)


def _check(offer):
    """full_clean, its messages turned into one refusal naming each field."""
    check_or_refuse(offer, exclude=["network", "created_by"])


@transaction.atomic
def create_offer(network, *, by, **fields):
    """A new offer in `network`'s catalogue."""
    offer = Offer(network=network, created_by=by)
    _set(offer, fields)
    _check(offer)
    offer.save()
    _event(offer, by=by, verb="created", description=f"Offre « {offer.title} » ajoutée au catalogue")
    return offer


@transaction.atomic
def update_offer(offer, *, by, **fields):
    """Change the offer's fields; the journal names those that changed."""
    before = {name: getattr(offer, name) for name in fields}
    _set(offer, fields)
    _check(offer)
    changed = [name for name in fields if getattr(offer, name) != before[name]]
    if not changed:
        return offer
    offer.save()
    labels = ", ".join(str(Offer._meta.get_field(name).verbose_name) for name in changed)
    _event(offer, by=by, verb="updated", description=f"Offre « {offer.title} » modifiée ({labels})"[:300])
    return offer


@transaction.atomic
def archive_offer(offer, *, by):
    """Take the offer out of every list shown to organisations; it stays in the catalogue's
    archive. Archiving twice changes nothing."""
    if offer.archived:
        return offer
    offer.archived = True
    offer.save(update_fields=["archived", "updated_at"])
    _event(offer, by=by, verb="archived", description=f"Offre « {offer.title} » archivée")
    return offer


@transaction.atomic
def restore_offer(offer, *, by):
    """Put an archived offer back: organisations see it again while it is valid."""
    if not offer.archived:
        return offer
    offer.archived = False
    offer.save(update_fields=["archived", "updated_at"])
    _event(offer, by=by, verb="restored", description=f"Offre « {offer.title} » remise au catalogue")
    return offer


# The contact of an offer names a person (at the provider): a year after the offer ended, or was
# archived, it goes; the offer itself stays for the network's records.
CONTACT_RETENTION_DAYS = 365


@transaction.atomic
def forget_old_contacts(*, today=None):
    """Erase the contact of offers ended or archived more than CONTACT_RETENTION_DAYS ago.
    Returns how many offers were touched."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=CONTACT_RETENTION_DAYS)
    old = Offer.objects.filter(Q(ends_on__lt=limit) | Q(archived=True, updated_at__date__lt=limit)).exclude(
        contact_name="", contact_email="", contact_phone=""
    )
    return old.update(contact_name="", contact_email="", contact_phone="")
