"""What happens to an accompaniment request: asked, taken or assigned, started, followed, closed.

Each verb is atomic, refuses what the state machine (Request.TRANSITIONS) does not allow with a
French reason, writes one Step for the request's timeline and one journal event, and tells the
organisation's pilots by email once the transaction commits.
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from reperes.campaigns.actions import invite_respondents, open_network_campaign
from reperes.campaigns.models import Campaign
from reperes.instruments.models import Questionnaire
from reperes.lib.actions import ActionRefused
from reperes.lib.limits import MailQuotaExceeded, reserve_mails
from reperes.lib.mail import send_templated_mail
from reperes.organisations.journal import record_event
from reperes.organisations.models import NetworkRole
from reperes.requests.models import Entry, Request, Step, Theme
from reperes.sharing.actions import revoke_share, share_with_facilitator
from reperes.sharing.models import ResultShare

# Seed 002: the free expert accompaniment is for organisations of fewer than 250 employees.
MAX_EMPLOYEES = 249
SATISFACTION_QUESTIONNAIRE = "satisfaction-accompagnement"
# Outcomes after which the organisation is asked how the accompaniment went.
ASKED_FOR_OPINION = (Request.Outcome.ACCOMPANIED, Request.Outcome.ORIENTED)


def reasons_not_eligible(organisation):
    """[sentence, …] saying why `organisation` may not ask; empty when it may."""
    if organisation.employees is None:
        return [
            "Le profil de votre structure n'indique pas son nombre de salarié·es : indiquez-le "
            "dans le formulaire pour que le réseau sache si l'accompagnement vous est ouvert."
        ]
    if organisation.employees > MAX_EMPLOYEES:
        return [
            f"L'accompagnement par un·e expert·e est réservé aux structures de moins de "
            f"{MAX_EMPLOYEES + 1} salarié·es ; votre profil en indique {organisation.employees}."
        ]
    return []


def open_requests_on(organisation, themes):
    """The organisation's open requests that share a theme with `themes`."""
    wanted = set(themes)
    return [
        request
        for request in organisation.accompaniment_requests.open().order_by("created_at")
        if wanted & set(request.themes)
    ]


def shareable_campaigns(organisation):
    """The team diagnostics a request may share: opened, of this organisation."""
    return (
        Campaign.objects.filter(organisation=organisation)
        .exclude(state=Campaign.State.DRAFT)
        .select_related("questionnaire_version__questionnaire")
        .order_by("-created_at")
    )


@transaction.atomic
def ask_for_accompaniment(
    organisation,
    *,
    network,
    themes,
    situation,
    problem,
    contact_name,
    contact_email,
    contact_phone="",
    campaigns=(),
    employees=None,
    by,
):
    """A pilot asks `network` for accompaniment. `employees` fills the profile when it was
    unknown. Refused when not eligible, without a theme, or when an open request already
    covers one of the themes."""
    if not organisation.networks.filter(pk=network.pk).exists():
        raise ActionRefused("Votre structure ne fait pas partie de ce réseau.")
    themes = [code for code in Theme.values if code in set(themes)]
    if not themes:
        raise ActionRefused("Choisissez au moins un thème sur lequel vous souhaitez être accompagnés.")
    if organisation.employees is None and employees is not None:
        organisation.employees = employees
        organisation.save(update_fields=["employees"])
        record_event(
            by=by,
            verb="organisation.updated",
            target=organisation.name,
            description=f"{by} a indiqué {employees} salarié·es dans le profil de la structure.",
            organisation=organisation,
        )
    reasons = reasons_not_eligible(organisation)
    if reasons:
        raise ActionRefused(" ".join(reasons))
    already = open_requests_on(organisation, themes)
    if already:
        raise ActionRefused(
            "Une demande est déjà en cours sur "
            + ("ce thème" if len(set(themes) & set(already[0].themes)) == 1 else "ces thèmes")
            + " : complétez-la plutôt que d'en ouvrir une autre."
        )
    allowed = set(shareable_campaigns(organisation).values_list("pk", flat=True))
    if any(campaign.pk not in allowed for campaign in campaigns):
        raise ActionRefused("Vous ne pouvez partager que les diagnostics ouverts de votre structure.")
    request = Request.objects.create(
        organisation=organisation,
        network=network,
        themes=themes,
        situation=situation,
        problem=problem,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        created_by=by,
        region=organisation.region,
        size_band=organisation.size_band,
        employees=organisation.employees,
    )
    request.campaigns.set(campaigns)
    _step(request, f"{by} a demandé un accompagnement au réseau « {network.name} ».", by=by)
    record_event(
        by=by,
        verb="requests.asked",
        target=network.name,
        description=f"{by} a demandé un accompagnement au réseau « {network.name} ».",
        organisation=organisation,
    )
    record_event(
        by=by,
        verb="requests.asked",
        target=organisation.name,
        description=f"Nouvelle demande d'accompagnement de « {organisation.name} ».",
        network=network,
    )
    return request


@transaction.atomic
def take_request(request, *, by):
    """A facilitator of the network takes a new request for themself."""
    request = _locked(request)
    _check_facilitator(request.network, by)
    if request.state != Request.State.NEW:
        raise ActionRefused(
            "Cette demande a déjà été prise en charge."
            if request.is_open
            else "Cette demande est close : elle ne se prend plus en charge."
        )
    _hand_over(request, by, description=f"{by} a pris en charge la demande.", by=by)
    return request


@transaction.atomic
def assign_request(request, *, facilitator, by):
    """A network administrator gives the request to a facilitator (or to another one)."""
    request = _locked(request)
    if not request.network.memberships.filter(user=by, role=NetworkRole.ADMIN).exists():
        raise ActionRefused("Seule l'administration du réseau confie une demande à quelqu'un.")
    _check_facilitator(request.network, facilitator)
    if not request.is_open:
        raise ActionRefused("Cette demande est close : elle ne se confie plus.")
    if request.facilitator_id == facilitator.pk:
        raise ActionRefused(f"La demande est déjà suivie par {facilitator}.")
    _hand_over(request, facilitator, description=f"{by} a confié la demande à {facilitator}.", by=by)
    return request


@transaction.atomic
def start_accompaniment(request, *, by):
    """The facilitator in charge says the accompaniment has begun."""
    request = _locked(request)
    _check_in_charge(request, by)
    if request.state != Request.State.TAKEN:
        raise ActionRefused("L'accompagnement a déjà commencé.")
    _move(request, Request.State.IN_PROGRESS)
    request.save(update_fields=["state"])
    _step(request, f"{by} a commencé l'accompagnement.", by=by)
    _tell_pilots(request, "started")
    return request


@transaction.atomic
def log_entry(request, *, kind, happened_on, summary, by, format="", link="", work="", visibility):
    """Add a line to the follow-up log. The first contact or meeting dates the first contact,
    and starts the accompaniment of a request only taken so far."""
    request = _locked(request)
    _check_in_charge(request, by)
    if happened_on > timezone.localdate():
        raise ActionRefused("Ce suivi est daté dans le futur : notez-le une fois qu'il a eu lieu.")
    if happened_on < request.created_at.date():
        raise ActionRefused("Ce suivi est daté d'avant la demande.")
    entry = Entry.objects.create(
        request=request,
        kind=kind,
        happened_on=happened_on,
        format=format,
        summary=summary,
        link=link,
        work=work,
        visibility=visibility,
        author=by,
    )
    if kind in Entry.CONTACTS:
        if request.first_contact_on is None or happened_on < request.first_contact_on:
            request.first_contact_on = happened_on
            request.save(update_fields=["first_contact_on"])
        if request.state == Request.State.TAKEN:
            _move(request, Request.State.IN_PROGRESS)
            request.save(update_fields=["state"])
            _step(request, f"{by} a commencé l'accompagnement.", by=by)
            _tell_pilots(request, "started")
    if entry.is_shared:
        _tell_pilots(request, "entry_shared", entry=entry)
    return entry


@transaction.atomic
def close_request(request, *, outcome, note="", offer=None, by):
    """Close with an outcome. Oriented names the other offer: one of the network's catalogue
    (`offer`), or in words (`note`). The shares made for the request end; the organisation is
    asked for its opinion, anonymously, when it was accompanied or oriented."""
    request = _locked(request)
    if offer is not None and offer.network_id != request.network_id:
        raise ActionRefused("Cette offre n'est pas au catalogue de votre réseau.")
    if outcome not in Request.Outcome.values or outcome == Request.Outcome.WITHDRAWN:
        raise ActionRefused("Choisissez l'issue de la demande.")
    if (
        request.facilitator_id != by.pk
        and not request.network.memberships.filter(user=by, role=NetworkRole.ADMIN).exists()
    ):
        raise ActionRefused("Seule la personne qui suit la demande, ou l'administration du réseau, la clôt.")
    if outcome == Request.Outcome.ORIENTED and not note.strip() and offer is None:
        raise ActionRefused("Nommez l'offre vers laquelle la structure est orientée.")
    if outcome != Request.Outcome.ORIENTED:
        offer = None
    if offer is not None and not note.strip():
        note = offer.title
    request.outcome_offer = offer
    _close(request, outcome=outcome, note=note, by=by)
    label = Request.Outcome(outcome).label.lower()
    _step(request, f"{by} a clos la demande : {label}.", by=by)
    record_event(
        by=by,
        verb="requests.closed",
        target=request.organisation.name,
        description=f"{by} a clos la demande de « {request.organisation.name} » : {label}.",
        network=request.network,
    )
    invited = outcome in ASKED_FOR_OPINION and _ask_for_opinion(request, by=by)
    _tell_pilots(request, "closed", invited=invited)
    return request


@transaction.atomic
def withdraw_request(request, *, by):
    """The organisation withdraws its request, whatever its state until closed."""
    request = _locked(request)
    _close(request, outcome=Request.Outcome.WITHDRAWN, note="", by=by)
    _step(request, f"{by} a retiré la demande.", by=by)
    record_event(
        by=by,
        verb="requests.withdrawn",
        target=request.network.name,
        description=f"{by} a retiré la demande d'accompagnement faite au réseau « {request.network.name} ».",
        organisation=request.organisation,
    )
    _tell_pilots(request, "withdrawn")
    return request


# The closing questionnaire: one network campaign per quarter, so that no answer can be told
# apart by the date a given request closed (THREATS: differencing).


def quarter_bounds(day):
    first_month = (day.month - 1) // 3 * 3 + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + (first_month + 3 > 12), (first_month + 2) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def quarter_label(day):
    return f"{(day.month - 1) // 3 + 1}{'er' if day.month <= 3 else 'e'} trimestre {day.year}"


def satisfaction_campaign(network, *, by, today=None):
    """The network's open opinion questionnaire of the current quarter, opened on first use. It
    stays open a month after the quarter ends, for the last requests closed."""
    today = today or timezone.localdate()
    version = Questionnaire.objects.get(slug=SATISFACTION_QUESTIONNAIRE).latest_version()
    start, end = quarter_bounds(today)
    title = f"Votre avis sur l'accompagnement — {quarter_label(today)}"
    campaign = Campaign.objects.filter(
        network=network, questionnaire_version__questionnaire=version.questionnaire, title=title
    ).first()
    if campaign is None:
        campaign = open_network_campaign(
            network, questionnaire_version=version, title=title, closes_on=end + timedelta(days=30), by=by
        )
    return campaign


def _ask_for_opinion(request, *, by):
    campaign = satisfaction_campaign(request.network, by=by)
    if not campaign.is_open:
        return False
    try:
        invite_respondents(campaign, emails=[request.contact_email], by=by)
    except (ActionRefused, MailQuotaExceeded):
        return False  # the closing stands; the figures will miss one opinion
    request.satisfaction = campaign
    request.save(update_fields=["satisfaction"])
    return True


# helpers


def _locked(request):
    return (
        Request.objects.select_for_update(of=("self",))
        .select_related("organisation", "network")
        .get(pk=request.pk)
    )


def _check_facilitator(network, user):
    if not network.memberships.filter(user=user, role=NetworkRole.FACILITATOR).exists():
        raise ActionRefused("Seul·e un·e accompagnateur·rice du réseau suit une demande.")


def _check_in_charge(request, user):
    if request.facilitator_id != user.pk:
        raise ActionRefused("Seule la personne qui suit la demande peut faire cela.")
    if not request.is_open:
        raise ActionRefused("Cette demande est close.")


def _move(request, state):
    if not request.may_become(state):
        current = Request.State(request.state).label.lower()
        raise ActionRefused(
            f"Une demande « {current} » ne peut pas passer à « {Request.State(state).label.lower()} »."
        )
    request.state = state


def _hand_over(request, facilitator, *, description, by):
    """Give the request to `facilitator`: the results it shares go with it, and only to them."""
    previous = request.facilitator
    if request.state == Request.State.NEW:
        _move(request, Request.State.TAKEN)
        request.taken_at = timezone.now()
    request.facilitator = facilitator
    request.save(update_fields=["state", "taken_at", "facilitator"])
    if previous is not None:
        _end_shares(request, previous, by=by)
    for campaign in request.campaigns.all():
        try:
            share_with_facilitator(campaign, network=request.network, facilitator=facilitator, by=by)
        except ActionRefused:
            continue  # a diagnostic deleted meanwhile, or the organisation left: nothing to share
    _step(request, description, by=by)
    record_event(
        by=by,
        verb="requests.taken",
        target=request.organisation.name,
        description=f"{description} (« {request.organisation.name} »)",
        network=request.network,
    )
    _tell_pilots(request, "taken")


def _end_shares(request, facilitator, *, by):
    shares = ResultShare.objects.filter(
        organisation=request.organisation,
        network=request.network,
        facilitator=facilitator,
        campaign__in=request.campaigns.all(),
    )
    # Another open request of the same organisation may still need them.
    still_needed = set(
        Request.objects.open()
        .filter(organisation=request.organisation, network=request.network, facilitator=facilitator)
        .exclude(pk=request.pk)
        .values_list("campaigns", flat=True)
    )
    for share in shares.select_related("campaign", "network", "facilitator", "organisation"):
        if share.campaign_id not in still_needed:
            revoke_share(share, by=by)


def _close(request, *, outcome, note, by):
    _move(request, Request.State.CLOSED)
    request.outcome = outcome
    request.outcome_note = note.strip()
    request.closed_at = timezone.now()
    request.save(update_fields=["state", "outcome", "outcome_note", "outcome_offer", "closed_at"])
    if request.facilitator is not None:
        _end_shares(request, request.facilitator, by=by)


def _step(request, description, *, by):
    return Step.objects.create(request=request, state=request.state, description=description[:300], by=by)


def _tell_pilots(request, what, **context):
    """Email the organisation's pilots: a bounded list (its leads and staff representatives),
    counted in the organisation's daily mail quota; over it, the step stands without mail."""
    pilots = sorted(set(request.organisation.pilots().values_list("user__email", flat=True)))
    if not pilots:
        return 0
    try:
        reserve_mails(count=len(pilots), organisation=request.organisation)
    except MailQuotaExceeded:
        return 0
    for email in pilots:
        send_templated_mail(email, f"requests/email/{what}", {"request": request, **context})
    return len(pilots)


# Retention: two years after closing, what names or describes people and the organisation's
# situation goes; what the figures need (themes, region, size band, dates, outcome) stays.
RETENTION_DAYS = 2 * 365


@transaction.atomic
def purge_closed_requests(*, today=None):
    """Erase the personal data of requests closed more than RETENTION_DAYS ago. Returns how
    many requests were erased."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=RETENTION_DAYS)
    old = Request.objects.closed().filter(closed_at__date__lt=limit).exclude(contact_email="")
    ids = list(old.values_list("pk", flat=True))
    Entry.objects.filter(request_id__in=ids).delete()
    Step.objects.filter(request_id__in=ids).delete()
    for help_request in Request.objects.filter(pk__in=ids):
        help_request.campaigns.clear()
    Request.objects.filter(pk__in=ids).update(
        situation="",
        problem="",
        contact_name="",
        contact_email="",
        contact_phone="",
        outcome_note="",
        created_by=None,
        facilitator=None,
    )
    return len(ids)
