"""What happens to a sharing case, step by step: created (from scratch or from a contact request
about a listing), diagnosed, calibrated, given a partner, agreed to by both organisations,
introduced, legally checked where staff are lent or a job is shared, followed up and closed.

Each verb is atomic, takes the acting user as `by`, refuses what the steps do not allow with a
French reason (ActionRefused), writes a dated line in the case's journal and one audit event for
the network. Mail goes on commit, counted in the daily quotas (reperes.lib.limits).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from reperes.lib.actions import ActionRefused
from reperes.lib.limits import MailQuotaExceeded, reserve_mails
from reperes.lib.mail import send_templated_mail
from reperes.listings import actions as listing_actions
from reperes.listings.models import Contact, Listing
from reperes.matchmaking.legal import get_legal
from reperes.matchmaking.models import Case, Entry, profit_reason
from reperes.organisations.journal import record_event
from reperes.organisations.models import Role

Step = Case.Step
# Retention (see docs): six months after closing, the employee's identity, the notes, the
# journal and what describes the post go (the documents cannot be generated again); three years
# after closing, the case itself. What the figures need stays until then.
ERASE_PERSONAL_DATA_AFTER = timedelta(days=183)
DELETE_CASES_AFTER = timedelta(days=3 * 365)
# An open case nobody has touched for a year (no change, no line in its journal) is closed as
# abandoned, so that it follows the rule above instead of keeping its data for ever.
CLOSE_IDLE_CASES_AFTER = timedelta(days=365)
IDLE_REASON = "aucune activité pendant un an, clos automatiquement"


def _locked(case):
    """Lock the case's row, then bring the caller's instance up to date: every verb works on,
    and returns, the very object it was given."""
    list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk"))
    case.refresh_from_db()
    return case


def _require(case, *steps, doing):
    if case.step not in steps:
        raise ActionRefused(
            f"Impossible de {doing} : le dossier en est à l'étape « {case.get_step_display()} »."
        )


def _journal(case, text, *, by, kind=Entry.Kind.STEP):
    return Entry.objects.create(case=case, kind=kind, step=case.step, text=text[:2000], by=by)


def _audit(case, verb, description, *, by):
    record_event(
        by=by, verb=f"matchmaking.{verb}", target=case.title, description=description, network=case.network
    )


def _move(case, step):
    case.step = step
    case.save()


def _is_member(network, organisation):
    return network.affiliations.filter(organisation=organisation).exists()


def _pilots(organisation):
    return list(
        organisation.memberships.filter(role__in=(Role.LEAD, Role.STAFF_REP))
        .select_related("user")
        .order_by("user__name", "user__email")
    )


@transaction.atomic
def create_case(network, *, organisation, category, title, need, by, listing=None):
    """The matchmaker opens a case for an organisation of the network."""
    if not _is_member(network, organisation):
        raise ActionRefused("Cette structure ne fait pas partie du réseau.")
    if listing is not None and listing.network_id != network.pk:
        raise ActionRefused("Cette annonce n'est pas celle d'une structure du réseau.")
    if category not in Listing.Category.values:
        raise ActionRefused("Choisissez une catégorie de partage.")
    case = Case.objects.create(
        network=network,
        organisation=organisation,
        category=category,
        title=title.strip(),
        need=need.strip(),
        listing=listing,
        matchmaker=by,
        arrangement=_default_arrangement(category),
        lender_side=Case.Side.PARTNER if category == Listing.Category.STAFF_LENDING else "",
    )
    _journal(case, f"Dossier ouvert par {by} pour {organisation}.", by=by)
    _audit(case, "case_created", f"{by} a ouvert le dossier « {case.title} » pour {organisation}.", by=by)
    return case


def _default_arrangement(category):
    if category == Listing.Category.STAFF_LENDING:
        return Case.Arrangement.LENDING
    if category == Listing.Category.SHARED_JOB:
        return Case.Arrangement.EMPLOYER_GROUP
    return Case.Arrangement.NONE


@transaction.atomic
def create_case_from_contact(network, *, contact, by):
    """A contact request about a listing becomes a case: for an offer, the asking organisation
    has the need and the listing's author is the partner; for a need, the other way round. The
    asking organisation agreed by asking; the listing's side, if it accepted the request."""
    contact = Contact.objects.select_for_update().select_related("listing", "organisation").get(pk=contact.pk)
    listing = contact.listing
    if listing.network_id != network.pk:
        raise ActionRefused("Cette demande ne concerne pas une annonce du réseau.")
    if Case.objects.filter(contact=contact).exists():
        raise ActionRefused("Un dossier est déjà ouvert pour cette demande de mise en lien.")
    if contact.state == Contact.State.DECLINED:
        raise ActionRefused("Cette demande a été déclinée : il n'y a pas de mise en lien à suivre.")
    if listing.organisation_id == contact.organisation_id:
        raise ActionRefused("Une structure ne peut pas être mise en lien avec elle-même.")
    asking_has_need = listing.kind == Listing.Kind.OFFER
    need_side, partner_side = (
        (contact.organisation, listing.organisation)
        if asking_has_need
        else (listing.organisation, contact.organisation)
    )
    case = Case.objects.create(
        network=network,
        organisation=need_side,
        partner=partner_side,
        category=listing.category,
        title=listing.title[:150],
        need=contact.message or listing.description,
        listing=listing,
        contact=contact,
        matchmaker=by,
        arrangement=_default_arrangement(listing.category),
        lender_side=Case.Side.PARTNER if listing.category == Listing.Category.STAFF_LENDING else "",
    )
    asked = (contact.created_at, contact.asked_by)
    answered = (
        (contact.answered_at or contact.created_at, contact.answered_by)
        if contact.both_agreed
        else (None, None)
    )
    if asking_has_need:
        (case.need_agreed_at, case.need_agreed_by), (case.partner_agreed_at, case.partner_agreed_by) = (
            asked,
            answered,
        )
    else:
        (case.partner_agreed_at, case.partner_agreed_by), (case.need_agreed_at, case.need_agreed_by) = (
            asked,
            answered,
        )
    case.save()
    _journal(
        case,
        f"Dossier ouvert par {by} à partir de la demande de {contact.organisation} "
        f"sur l'annonce « {listing.title} ».",
        by=by,
    )
    _audit(
        case,
        "case_created",
        f"{by} a ouvert le dossier « {case.title} » depuis une demande de mise en lien.",
        by=by,
    )
    return case


@transaction.atomic
def add_note(case, *, text, by):
    case = _locked(case)
    if not case.is_open:
        raise ActionRefused("Le dossier est clos : il ne prend plus de notes.")
    text = text.strip()
    if not text:
        raise ActionRefused("La note est vide.")
    return _journal(case, text, by=by, kind=Entry.Kind.NOTE)


@transaction.atomic
def follow_case(case, *, by):
    """The acting matchmaker follows the case from now on."""
    case = _locked(case)
    if not case.is_open:
        raise ActionRefused("Le dossier est clos.")
    case.matchmaker = by
    case.save()
    _journal(case, f"{by} suit désormais le dossier.", by=by)
    return case


@transaction.atomic
def record_diagnostic(case, *, sought, notes, by):
    """What is really sought, with the diagnostic's notes; the case moves to calibration."""
    case = _locked(case)
    _require(case, Step.DIAGNOSTIC, Step.CALIBRATION, doing="noter le diagnostic")
    if not sought.strip():
        raise ActionRefused("Dites ce que la structure recherche vraiment.")
    case.sought, case.diagnostic_notes = sought.strip(), notes.strip()
    first = case.step == Step.DIAGNOSTIC
    _move(case, Step.CALIBRATION)
    _journal(case, "Diagnostic noté." if first else "Diagnostic mis à jour.", by=by)
    return case


CALIBRATION_FIELDS = (
    "shared_what",
    "unit",
    "planned_volume",
    "starts_on",
    "ends_on",
    "cost_note",
    "roles",
    "arrangement",
    "lender_side",
    "salary",
    "charges",
    "expenses",
    "invoiced",
    "duties",
    "hours",
    "place",
    "post_features",
    "trial_period",
)


@transaction.atomic
def calibrate(case, *, by, **values):
    """What exactly is shared, how much, for how long, at what cost, who does what. A staff
    lending invoiced above its cost is refused: it would be unlawful (L8241-1)."""
    case = _locked(case)
    _require(case, Step.CALIBRATION, Step.SEARCH, Step.INTRODUCTION, Step.LEGAL, doing="calibrer le partage")
    unknown = set(values) - set(CALIBRATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown calibration fields: {sorted(unknown)}")
    merged = {field: values.get(field, getattr(case, field)) for field in CALIBRATION_FIELDS}
    reason = profit_reason(
        **{k: merged[k] for k in ("arrangement", "salary", "charges", "expenses", "invoiced")}
    )
    if reason:
        raise ActionRefused(reason)
    if merged["starts_on"] and merged["ends_on"] and merged["ends_on"] < merged["starts_on"]:
        raise ActionRefused("La fin prévue précède le début.")
    if merged["arrangement"] == Case.Arrangement.LENDING and not merged["lender_side"]:
        raise ActionRefused("Dites quelle structure prête la personne salariée.")
    if merged["arrangement"] != Case.Arrangement.LENDING:
        merged["lender_side"] = ""
    if case.step == Step.LEGAL and merged["arrangement"] != case.arrangement:
        raise ActionRefused(
            "L'accompagnement juridique est commencé : le cadre juridique ne peut plus changer. "
            "Abandonnez le dossier et ouvrez-en un autre si le partage a changé de nature."
        )
    for field, value in merged.items():
        setattr(case, field, value if value is not None else getattr(Case, field).field.get_default())
    if case.arrangement != Case.Arrangement.LENDING:
        case.employee_name = case.employee_qualification = ""
    first = case.step == Step.CALIBRATION
    _move(case, Step.SEARCH if first else case.step)
    _journal(case, "Partage calibré." if first else "Calibrage mis à jour.", by=by)
    return case


@transaction.atomic
def link_listing(case, *, listing, by):
    """A listing published for the case, or found among the network's."""
    case = _locked(case)
    _require(case, Step.SEARCH, Step.INTRODUCTION, doing="lier une annonce")
    if listing.network_id != case.network_id:
        raise ActionRefused("Cette annonce n'est pas celle d'une structure du réseau.")
    if listing.organisation_id not in {case.organisation_id, case.partner_id} and case.partner_id:
        raise ActionRefused("Cette annonce n'est ni celle de la structure ni celle du partenaire choisi.")
    case.listing = listing
    case.save()
    _journal(case, f"Annonce liée : « {listing.title} » ({listing.organisation}).", by=by)
    return case


@transaction.atomic
def choose_partner(case, *, partner, by):
    """The organisation found for the need. Both organisations are asked to record their
    agreement to be put in touch; changing the partner forgets its agreement."""
    case = _locked(case)
    _require(case, Step.SEARCH, Step.INTRODUCTION, doing="choisir le partenaire")
    if partner.pk == case.organisation_id:
        raise ActionRefused("Une structure ne peut pas être mise en lien avec elle-même.")
    if not _is_member(case.network, partner):
        raise ActionRefused("Cette structure ne fait pas partie du réseau.")
    if case.listing and case.listing.organisation_id not in {case.organisation_id, partner.pk}:
        raise ActionRefused("L'annonce liée n'est ni celle de la structure ni celle de ce partenaire.")
    if partner.pk != case.partner_id:
        case.partner = partner
        case.partner_agreed_at, case.partner_agreed_by = None, None
    _move(case, Step.INTRODUCTION)
    waiting = [
        organisation
        for organisation, agreed in (
            (case.organisation, case.need_agreed_at),
            (case.partner, case.partner_agreed_at),
        )
        if not agreed
    ]
    _journal(
        case,
        f"Partenaire choisi : {partner}. "
        + (
            "Chaque structure doit donner son accord."
            if waiting
            else "Les deux structures ont déjà donné leur accord."
        ),
        by=by,
    )
    _audit(
        case,
        "partner_chosen",
        f"{by} a proposé {partner} comme partenaire du dossier « {case.title} ».",
        by=by,
    )
    for organisation in waiting:  # only those whose agreement is still to be given
        _tell_pilots(case, organisation, "matchmaking/email/agreement_asked")
    return case


@transaction.atomic
def record_agreement(case, *, organisation, by):
    """A pilot of one of the two organisations agrees to be put in touch with the other."""
    case = _locked(case)
    _require(case, Step.INTRODUCTION, doing="donner votre accord")
    if organisation.pk == case.organisation_id:
        if case.need_agreed_at:
            raise ActionRefused("Votre accord est déjà noté.")
        case.need_agreed_at, case.need_agreed_by = timezone.now(), by
    elif organisation.pk == case.partner_id:
        if case.partner_agreed_at:
            raise ActionRefused("Votre accord est déjà noté.")
        case.partner_agreed_at, case.partner_agreed_by = timezone.now(), by
    else:
        raise ActionRefused("Votre structure n'est pas concernée par ce dossier.")
    case.save()
    _journal(case, f"{organisation} accepte la mise en lien ({by}).", by=by)
    _audit(
        case,
        "agreement",
        f"{by} a donné l'accord de {organisation} à la mise en lien « {case.title} ».",
        by=by,
    )
    return case


@transaction.atomic
def introduce(case, *, by):
    """Introduces the two organisations by a mail that gives each the other's contact: only once
    both agreed. Then legal assistance if staff are lent or a job is shared, else follow-up."""
    case = _locked(case)
    _require(case, Step.INTRODUCTION, doing="mettre les structures en lien")
    missing = [
        str(organisation)
        for organisation, agreed in (
            (case.organisation, case.need_agreed_at),
            (case.partner, case.partner_agreed_at),
        )
        if organisation is None or not agreed
    ]
    if case.partner is None:
        raise ActionRefused("Choisissez d'abord la structure partenaire.")
    if missing:
        raise ActionRefused(
            "La mise en lien demande l'accord des deux structures ; il manque celui de "
            + " et de ".join(missing)
            + ". Chacune le donne depuis son espace, page « Mises en lien »."
        )
    need_pilots, partner_pilots = _pilots(case.organisation), _pilots(case.partner)
    try:
        reserve_mails(count=len(need_pilots) + len(partner_pilots), user=by)
    except MailQuotaExceeded as error:
        raise ActionRefused(str(error)) from None
    for pilots, other, other_pilots in (
        (need_pilots, case.partner, partner_pilots),
        (partner_pilots, case.organisation, need_pilots),
    ):
        for membership in pilots:
            send_templated_mail(
                membership.user.email,
                "matchmaking/email/introduction",
                {"case": case, "other": other, "contacts": [m.user for m in other_pilots], "matchmaker": by},
            )
    case.introduced_at = timezone.now()
    if case.contact_id:  # the request about a listing that the case came from is done too
        listing_actions.mark_introduced(case.contact, by=by)
    _move(case, Step.FOLLOW_UP if case.arrangement == Case.Arrangement.NONE else Step.LEGAL)
    _journal(
        case,
        f"Mise en lien faite : {case.organisation} et {case.partner} ont reçu le contact l'une de l'autre.",
        by=by,
    )
    _audit(case, "introduced", f"{by} a mis en lien {case.organisation} et {case.partner}.", by=by)
    return case


@transaction.atomic
def tick_item(case, *, item_id, done, by):
    """Ticks (or unticks) a point of the legal checklist. Unticking the employee's agreement
    erases their identity: it was stored only because they had agreed."""
    case = _locked(case)
    _require(case, Step.LEGAL, doing="modifier la liste de vérification")
    items = get_legal().checklists.get(case.arrangement, {})
    item = items.get(item_id)
    if item is None:
        raise ActionRefused("Ce point ne fait pas partie de la liste de ce dossier.")
    if item.automatic:
        raise ActionRefused("Ce point se vérifie à partir des montants du calibrage : modifiez-les plutôt.")
    checklist = dict(case.checklist)
    if done:
        checklist[item_id] = timezone.localdate().isoformat()
        text = f"Coché : {item.label}."
    else:
        checklist.pop(item_id, None)
        text = f"Décoché : {item.label}."
        if item_id == "employee-agreement" and case.employee_name:
            case.employee_name = case.employee_qualification = ""
            text += " L'identité de la personne salariée est effacée."
    case.checklist = checklist
    case.save()
    _journal(case, text, by=by)
    return case


@transaction.atomic
def set_employee(case, *, name, qualification, by):
    """The lent employee's identity and qualification, for the documents: never before their
    written agreement is ticked."""
    case = _locked(case)
    _require(case, Step.LEGAL, Step.FOLLOW_UP, doing="inscrire la personne salariée")
    if case.arrangement != Case.Arrangement.LENDING:
        raise ActionRefused("Seul un prêt de main-d'œuvre nomme la personne salariée dans le dossier.")
    if not case.employee_agreed:
        raise ActionRefused(
            "La personne salariée n'est jamais identifiée avant d'avoir donné son accord écrit : "
            "cochez d'abord « La personne salariée a donné son accord écrit »."
        )
    case.employee_name, case.employee_qualification = name.strip(), qualification.strip()
    case.save()
    _journal(case, "Identité et qualification de la personne salariée inscrites.", by=by)
    return case


@transaction.atomic
def complete_legal(case, *, by):
    case = _locked(case)
    _require(case, Step.LEGAL, doing="terminer l'accompagnement juridique")
    if case.profit_reason:
        raise ActionRefused(case.profit_reason)
    missing = case.missing_items()
    if missing:
        raise ActionRefused("Il reste à vérifier : " + " ; ".join(item.label for item in missing) + ".")
    _move(case, Step.FOLLOW_UP)
    _journal(case, "Accompagnement juridique terminé : tous les points sont vérifiés.", by=by)
    _audit(
        case, "legal_done", f"{by} a terminé l'accompagnement juridique du dossier « {case.title} ».", by=by
    )
    return case


FOLLOW_UP_FIELDS = (
    "happened",
    "shared_from",
    "shared_until",
    "hours_shared",
    "days_shared",
    "follow_up_note",
    "need_satisfaction",
    "partner_satisfaction",
)


@transaction.atomic
def record_follow_up(case, *, by, **values):
    """Did it happen, for how long, how many hours or days, what came of it, and how satisfied
    each side is. May be recorded again as the sharing goes on."""
    case = _locked(case)
    _require(case, Step.FOLLOW_UP, doing="noter le suivi")
    unknown = set(values) - set(FOLLOW_UP_FIELDS)
    if unknown:
        raise TypeError(f"unknown follow-up fields: {sorted(unknown)}")
    if (
        values.get("shared_from")
        and values.get("shared_until")
        and values["shared_until"] < values["shared_from"]
    ):
        raise ActionRefused("La fin du partage précède son début.")
    for field, value in values.items():
        setattr(case, field, "" if value is None and field == "follow_up_note" else value)
    case.save()
    _journal(case, "Suivi noté" + (" : le partage a eu lieu." if case.happened else "."), by=by)
    return case


@transaction.atomic
def close_case(case, *, outcome, reason="", by):
    """Done (after a follow-up saying the sharing happened) or abandoned (with its reason)."""
    case = _locked(case)
    if not case.is_open:
        raise ActionRefused("Le dossier est déjà clos.")
    reason = reason.strip()
    if outcome == Case.Outcome.DONE:
        if case.step != Step.FOLLOW_UP or not case.happened:
            raise ActionRefused(
                "Un dossier se clôt comme réalisé une fois le suivi noté et le partage effectif ; "
                "sinon, clôturez-le comme abandonné en disant pourquoi."
            )
    elif outcome == Case.Outcome.ABANDONED:
        if not reason:
            raise ActionRefused("Dites pourquoi le dossier est abandonné.")
    else:
        raise ActionRefused("Choisissez l'issue du dossier.")
    case.outcome, case.outcome_reason, case.closed_at = outcome, reason, timezone.now()
    _move(case, Step.CLOSED)
    _journal(
        case,
        f"Dossier clos : {case.get_outcome_display().lower()}" + (f" ({reason})." if reason else "."),
        by=by,
    )
    _audit(
        case,
        "case_closed",
        f"{by} a clos le dossier « {case.title} » : {case.get_outcome_display().lower()}.",
        by=by,
    )
    return case


def _tell_pilots(case, organisation, template):
    """Email an organisation's pilots, counted in its daily quota; over it, no mail (the step
    stands: the pilots see the case in their space)."""
    pilots = _pilots(organisation)
    try:
        reserve_mails(count=len(pilots), organisation=organisation)
    except MailQuotaExceeded:
        return 0
    for membership in pilots:
        send_templated_mail(membership.user.email, template, {"case": case, "organisation": organisation})
    return len(pilots)


@transaction.atomic
def purge_cases(*, now=None):
    """The retention rule; returns (closed, erased, deleted). An open case idle for a year is
    closed as abandoned; six months after closing, the employee's identity, the texts of the case
    and its journal are erased (its documents can no longer be generated); three years after
    closing, the case is deleted. What the figures need (category, organisations, dates, volumes,
    outcome, satisfaction) stays until then."""
    now = now or timezone.now()
    closed = _close_idle_cases(now)
    _, per_model = Case.objects.closed().filter(closed_at__lt=now - DELETE_CASES_AFTER).delete()
    old = Case.objects.closed().filter(
        closed_at__lt=now - ERASE_PERSONAL_DATA_AFTER, personal_data_erased_on__isnull=True
    )
    ids = list(old.values_list("pk", flat=True))
    Entry.objects.filter(case_id__in=ids).delete()
    erased = Case.objects.filter(pk__in=ids).update(
        employee_name="",
        employee_qualification="",
        need="",
        sought="",
        diagnostic_notes="",
        shared_what="",
        roles="",
        cost_note="",
        duties="",
        hours="",
        place="",
        post_features="",
        trial_period="",
        follow_up_note="",
        outcome_reason="",
        personal_data_erased_on=timezone.localdate(now),
    )
    return closed, erased, per_model.get(Case._meta.label, 0)


def _close_idle_cases(now):
    """Close, as abandoned, the open cases with no change and no journal line for a year: each
    gets the line that says why, for the matchmaker who opens it again."""
    cutoff = now - CLOSE_IDLE_CASES_AFTER
    recent_lines = Entry.objects.filter(case=OuterRef("pk"), created_at__gte=cutoff)
    idle = list(
        Case.objects.exclude(step=Step.CLOSED)
        .filter(updated_at__lt=cutoff)
        .exclude(Exists(recent_lines))
        .select_for_update()
    )
    for case in idle:
        case.outcome, case.outcome_reason, case.closed_at = Case.Outcome.ABANDONED, IDLE_REASON, now
        _move(case, Step.CLOSED)
        _journal(case, f"Dossier clos : abandonné ({IDLE_REASON}).", by=None, kind=Entry.Kind.AUTOMATIC)
    return len(idle)
