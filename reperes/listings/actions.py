"""What happens to a listing and to a request to be put in touch.

A pilot writes a listing as a draft and submits it; the network's matchmaker publishes it, sends
it back with a comment, or refuses it with a reason; members see it until its end date (the
author is told a week before and may extend it). A member asks to be put in touch; the
matchmaker asks the listing's side, and once both sides agree, opens a sharing case from the
request (reperes.matchmaking), whose introduction is the one way addresses are given: it marks
the request introduced (mark_introduced). Each verb is atomic, refuses what does not make sense
with a French reason, writes one journal line, and sends its mail once the transaction commits,
counted in the daily quotas (reperes.lib.limits).
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from reperes.lib.actions import ActionRefused
from reperes.lib.limits import MailQuotaExceeded, reserve_mails
from reperes.lib.mail import send_templated_mail
from reperes.listings.models import EXPIRY_NOTICE, LONGEST_RUN, Contact, Listing, Report
from reperes.organisations.journal import record_event
from reperes.organisations.models import NetworkMembership, NetworkRole

EDITABLE_FIELDS = (
    "kind",
    "category",
    "title",
    "description",
    "region",
    "town",
    "starts_on",
    "ends_on",
    "availability",
    "frequency",
    "conditions",
    "conditions_detail",
)


def matchmakers(network):
    """The addresses told of what awaits the network: its matchmakers, else its administrators."""
    memberships = NetworkMembership.objects.filter(network=network).select_related("user")
    chosen = [m for m in memberships if m.role == NetworkRole.MATCHMAKER] or [
        m for m in memberships if m.role == NetworkRole.ADMIN
    ]
    return sorted({m.user.email for m in chosen if m.user.is_active})


def _tell(addresses, template, context, *, organisation=None, user=None):
    """Reserve the mails in the quotas (a refusal becomes the action's), then send them once
    the transaction commits."""
    addresses = list(addresses)
    if not addresses:
        return
    try:
        reserve_mails(count=len(addresses), organisation=organisation, user=user)
    except MailQuotaExceeded as exceeded:
        raise ActionRefused(str(exceeded)) from None
    for address in addresses:
        send_templated_mail(address, template, context)  # on commit


def check_dates(starts_on, ends_on, *, today=None):
    """Refuse an end before the start, in the past, or more than a year ahead."""
    today = today or timezone.localdate()
    if starts_on and ends_on < starts_on:
        raise ActionRefused("La date de fin est avant la date de début : corrigez l'une ou l'autre.")
    if ends_on < today:
        raise ActionRefused("La date de fin est déjà passée : choisissez une date à venir.")
    if ends_on > today + LONGEST_RUN:
        raise ActionRefused(
            "Une annonce court un an au plus : choisissez une date de fin plus proche, vous pourrez "
            "la prolonger ensuite."
        )


def _fields(values):
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown listing fields: {sorted(unknown)}")
    return values


@transaction.atomic
def create_listing(organisation, *, network, by, **values):
    """A draft listing of `organisation` for `network`'s members."""
    if not organisation.networks.filter(pk=network.pk).exists():
        raise ActionRefused("Votre structure ne fait pas partie de ce réseau.")
    values = _fields(values)
    check_dates(values.get("starts_on"), values["ends_on"])
    listing = Listing.objects.create(network=network, organisation=organisation, author=by, **values)
    record_event(
        by=by,
        verb="listing.created",
        target=listing.title,
        description=f"{by} a rédigé l'annonce « {listing.title} ».",
        organisation=organisation,
    )
    return listing


@transaction.atomic
def update_listing(listing, *, by, **values):
    """Change a draft, a listing sent back, or a published one; a published listing goes back
    to the matchmaker, so that members never see text nobody checked."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if not listing.is_editable:
        raise ActionRefused(f"Une annonce « {listing.get_state_display().lower()} » ne se modifie plus.")
    values = _fields(values)
    for name, value in values.items():
        setattr(listing, name, value)
    check_dates(listing.starts_on, listing.ends_on)
    was_published = listing.state == Listing.State.PUBLISHED
    if was_published:
        listing.state = Listing.State.SUBMITTED
        listing.submitted_at = timezone.now()
    listing.save()
    if was_published:
        _tell(
            matchmakers(listing.network),
            "listings/email/submitted",
            {"listing": listing, "changed": True},
            organisation=listing.organisation,
        )
    return listing


@transaction.atomic
def submit_listing(listing, *, by):
    """The author sends the listing to the matchmaker, who is told by mail."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.state not in (Listing.State.DRAFT, Listing.State.SENT_BACK):
        raise ActionRefused("Cette annonce a déjà été envoyée pour relecture.")
    check_dates(listing.starts_on, listing.ends_on)
    listing.state = Listing.State.SUBMITTED
    listing.submitted_at = timezone.now()
    listing.save(update_fields=["state", "submitted_at", "updated_at"])
    record_event(
        by=by,
        verb="listing.submitted",
        target=listing.title,
        description=f"{by} a envoyé l'annonce « {listing.title} » pour relecture.",
        organisation=listing.organisation,
    )
    _tell(
        matchmakers(listing.network),
        "listings/email/submitted",
        {"listing": listing, "changed": False},
        organisation=listing.organisation,
    )
    return listing


class Decision:
    PUBLISH = "publish"
    SEND_BACK = "send_back"
    REFUSE = "refuse"
    CHOICES = [
        (PUBLISH, "Publier l'annonce"),
        (SEND_BACK, "La renvoyer pour modification"),
        (REFUSE, "La refuser"),
    ]


@transaction.atomic
def review_listing(listing, *, decision, comment="", by):
    """The matchmaker publishes the listing, sends it back with a comment, or refuses it with a
    reason; the author is told."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.state != Listing.State.SUBMITTED:
        raise ActionRefused("Cette annonce n'attend pas de relecture : elle a peut-être déjà été traitée.")
    comment = comment.strip()
    if decision in (Decision.SEND_BACK, Decision.REFUSE) and not comment:
        raise ActionRefused(
            "Dites à l'auteur ce qu'il faut changer."
            if decision == Decision.SEND_BACK
            else "Dites à l'auteur pourquoi l'annonce est refusée."
        )
    today = timezone.localdate()
    if decision == Decision.PUBLISH:
        if listing.ends_on < today:
            raise ActionRefused(
                "La date de fin de l'annonce est passée : renvoyez-la pour qu'elle soit corrigée."
            )
        listing.state = Listing.State.PUBLISHED
        listing.published_on = today
        listing.expiry_notice_on = None
    elif decision == Decision.SEND_BACK:
        listing.state = Listing.State.SENT_BACK
    elif decision == Decision.REFUSE:
        listing.state = Listing.State.REFUSED
    else:
        raise ActionRefused("Choisissez une décision.")
    listing.review_comment = comment
    listing.reviewed_by = by
    listing.reviewed_at = timezone.now()
    listing.save()
    record_event(
        by=by,
        verb=f"listing.{decision}",
        target=listing.title,
        description=f"{by} a relu l'annonce « {listing.title} » : {listing.get_state_display().lower()}.",
        network=listing.network,
    )
    if listing.author and listing.author.is_active:
        _tell([listing.author.email], "listings/email/reviewed", {"listing": listing}, user=by)
    return listing


@transaction.atomic
def withdraw_listing(listing, *, by):
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.state in (Listing.State.WITHDRAWN, Listing.State.REFUSED):
        raise ActionRefused("Cette annonce n'est plus proposée.")
    listing.state = Listing.State.WITHDRAWN
    listing.save(update_fields=["state", "updated_at"])
    listing.contacts.filter(state__in=[Contact.State.ASKED, Contact.State.FORWARDED]).update(
        state=Contact.State.DECLINED, answered_at=timezone.now()
    )
    record_event(
        by=by,
        verb="listing.withdrawn",
        target=listing.title,
        description=f"{by} a retiré l'annonce « {listing.title} ».",
        organisation=listing.organisation,
    )
    return listing


@transaction.atomic
def extend_listing(listing, *, ends_on, by):
    """Push back the end date of a published listing, expired or not: its text was checked."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if listing.state != Listing.State.PUBLISHED:
        raise ActionRefused("Seule une annonce publiée se prolonge.")
    if ends_on <= listing.ends_on:
        raise ActionRefused("Choisissez une date de fin après la date actuelle.")
    check_dates(listing.starts_on, ends_on)
    listing.ends_on = ends_on
    listing.expiry_notice_on = None
    listing.save(update_fields=["ends_on", "expiry_notice_on", "updated_at"])
    record_event(
        by=by,
        verb="listing.extended",
        target=listing.title,
        description=f"{by} a prolongé l'annonce « {listing.title} » jusqu'au {ends_on:%d/%m/%Y}.",
        organisation=listing.organisation,
    )
    return listing


def notify_expiring(today=None):
    """Tell the authors of listings that end within a week, once per end date; returns how
    many were told. A mail refused by the quotas waits for the next day."""
    today = today or timezone.localdate()
    due = (
        Listing.objects.filter(
            state=Listing.State.PUBLISHED,
            ends_on__gte=today,
            ends_on__lte=today + EXPIRY_NOTICE,
            expiry_notice_on__isnull=True,
        )
        .select_related("author", "organisation")
        .order_by("ends_on")
    )
    told = 0
    for listing in due:
        with transaction.atomic():
            listing.expiry_notice_on = today
            listing.save(update_fields=["expiry_notice_on"])
            if listing.author and listing.author.is_active:
                try:
                    _tell([listing.author.email], "listings/email/expiring", {"listing": listing})
                except ActionRefused:
                    transaction.set_rollback(True)
                    continue
            told += 1
    return told


@transaction.atomic
def report_listing(listing, *, organisation, reason, by):
    """A member tells the matchmaker that something is wrong with a listing (once per
    organisation until the matchmaker has looked)."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if not listing.is_visible_to_members:
        raise ActionRefused("Cette annonce n'est plus en ligne.")
    reason = reason.strip()
    if not reason:
        raise ActionRefused("Dites en quelques mots ce qui ne va pas.")
    if listing.reports.filter(organisation=organisation, handled_at__isnull=True).exists():
        raise ActionRefused(
            "Votre structure a déjà signalé cette annonce ; la personne chargée de mise en lien va "
            "la regarder."
        )
    report = Report.objects.create(listing=listing, organisation=organisation, reported_by=by, reason=reason)
    _tell(
        matchmakers(listing.network),
        "listings/email/reported",
        {"listing": listing, "report": report},
        organisation=organisation,
    )
    return report


@transaction.atomic
def handle_report(report, *, by):
    if report.handled_at:
        raise ActionRefused("Ce signalement a déjà été traité.")
    report.handled_at = timezone.now()
    report.handled_by = by
    report.save(update_fields=["handled_at", "handled_by"])
    return report


@transaction.atomic
def ask_contact(listing, *, organisation, message, by):
    """`organisation` asks to be put in touch about `listing`: the matchmaker is told; nobody's
    address is shown."""
    listing = Listing.objects.select_for_update().get(pk=listing.pk)  # as it is now, not as read
    if listing.organisation_id == organisation.pk:
        raise ActionRefused(
            "C'est une annonce de votre structure : vous ne pouvez pas vous mettre en lien avec vous-même."
        )
    if not listing.is_visible_to_members:
        raise ActionRefused("Cette annonce n'est plus en ligne.")
    if not organisation.networks.filter(pk=listing.network_id).exists():
        raise ActionRefused("Votre structure ne fait pas partie du réseau de cette annonce.")
    message = message.strip()
    if not message:
        raise ActionRefused("Dites en quelques mots ce que vous cherchez.")
    try:
        with transaction.atomic():
            contact = Contact.objects.create(
                listing=listing, organisation=organisation, asked_by=by, message=message
            )
    except IntegrityError:
        raise ActionRefused(
            "Votre structure a déjà demandé une mise en lien pour cette annonce : elle est en cours."
        ) from None
    _tell(
        matchmakers(listing.network),
        "listings/email/contact_asked",
        {"listing": listing, "contact": contact},
        organisation=organisation,
        user=by,
    )
    record_event(
        by=by,
        verb="listing.contact_asked",
        target=listing.title,
        description=f"{by} a demandé une mise en lien pour l'annonce « {listing.title} ».",
        organisation=organisation,
    )
    return contact


def _locked_contact(contact):
    return Contact.objects.select_for_update().select_related("listing").get(pk=contact.pk)


@transaction.atomic
def forward_contact(contact, *, by):
    """The matchmaker asks the listing's side whether it agrees to be put in touch."""
    contact = _locked_contact(contact)
    if contact.state != Contact.State.ASKED:
        raise ActionRefused("Cette demande a déjà été transmise.")
    contact.state = Contact.State.FORWARDED
    contact.save(update_fields=["state"])
    listing = contact.listing
    pilots = [m.user.email for m in listing.organisation.pilots().select_related("user") if m.user.is_active]
    _tell(pilots, "listings/email/contact_forwarded", {"listing": listing, "contact": contact}, user=by)
    return contact


@transaction.atomic
def answer_contact(contact, *, accept, by):
    """A pilot of the listing's organisation agrees to be put in touch, or declines."""
    contact = _locked_contact(contact)
    if contact.state != Contact.State.FORWARDED:
        raise ActionRefused("Cette demande n'attend pas votre réponse.")
    contact.state = Contact.State.ACCEPTED if accept else Contact.State.DECLINED
    contact.answered_by = by if accept else None
    contact.answered_at = timezone.now()
    contact.save(update_fields=["state", "answered_by", "answered_at"])
    record_event(
        by=by,
        verb="listing.contact_accepted" if accept else "listing.contact_declined",
        target=contact.listing.title,
        description=(
            f"{by} a {'accepté' if accept else 'décliné'} une mise en lien pour « {contact.listing.title} »."
        ),
        organisation=contact.listing.organisation,
    )
    _tell(
        matchmakers(contact.listing.network),
        "listings/email/contact_answered",
        {"contact": contact, "listing": contact.listing},
        organisation=contact.listing.organisation,
    )
    return contact


@transaction.atomic
def mark_introduced(contact, *, by):
    """The matchmaker introduced both sides through a sharing case (reperes.matchmaking, whose
    mail gave the addresses, the only way they are given): the request is done."""
    contact = _locked_contact(contact)
    if contact.state == Contact.State.INTRODUCED:
        return contact
    if contact.state == Contact.State.DECLINED:
        raise ActionRefused("La structure de l'annonce a décliné cette mise en lien.")
    contact.state = Contact.State.INTRODUCED
    contact.introduced_by = by
    contact.introduced_at = timezone.now()
    contact.save(update_fields=["state", "introduced_by", "introduced_at"])
    return contact
