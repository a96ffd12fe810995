"""Changes to a network's surveys and to the organisations' answers. Each verb checks its rules,
writes in one transaction and raises ActionRefused with a French message when a rule forbids it
(nothing is written then).

Email stays bounded: a survey mails the pilots of its organisations once at opening and at most
once a week as a reminder; a network opens at most MAX_OPENINGS_PER_30_DAYS surveys in thirty
days; every mail counts in the receiving organisation's daily quota (over it, that organisation
is not mailed, and sees the survey on its dashboard).
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reperes.instruments.models import Questionnaire, QuestionnaireVersion, Use
from reperes.lib.actions import ActionRefused
from reperes.lib.limits import MailQuotaExceeded, reserve_mails
from reperes.lib.mail import send_templated_mail
from reperes.observatory.dimensions import SIZE_BANDS, size_band
from reperes.organisations import reference
from reperes.organisations.journal import record_event
from reperes.organisations.models import Membership, Network, Organisation, Role
from reperes.surveys.models import INTRODUCTION_MAX_LENGTH, TITLE_MAX_LENGTH, Recipient, Survey

REMINDER_INTERVAL_DAYS = 7  # between two reminders of a survey, manual or automatic
AUTOMATIC_REMINDER_DAYS_BEFORE = 7  # the automatic reminder, this many days before closing
MAX_OPENINGS_PER_30_DAYS = 4  # surveys a network may open in thirty days
MAX_DURATION_DAYS = 365  # from opening to closing, postponements included
RETENTION_YEARS = 5  # a closed survey and its answers are deleted after this many years


def questionnaire_choices():
    """The latest version of each survey questionnaire (`use: network`), by title."""
    versions = []
    for questionnaire in Questionnaire.objects.filter(use=Use.NETWORK).order_by("title"):
        version = questionnaire.latest_version()
        if version is not None:
            versions.append(version)
    return versions


def _clean_fields(network, fields):
    title = " ".join((fields.get("title") or "").split())
    if not title:
        raise ActionRefused("Donnez un titre à l'enquête.")
    if len(title) > TITLE_MAX_LENGTH:
        raise ActionRefused(f"Le titre dépasse {TITLE_MAX_LENGTH} caractères : raccourcissez-le.")
    introduction = (fields.get("introduction") or "").strip()
    if len(introduction) > INTRODUCTION_MAX_LENGTH:
        raise ActionRefused(f"Le mot d'introduction dépasse {INTRODUCTION_MAX_LENGTH} caractères.")
    version = fields.get("questionnaire_version")
    if not isinstance(version, QuestionnaireVersion) or version.questionnaire.use != Use.NETWORK:
        raise ActionRefused("Choisissez un questionnaire d'enquête parmi ceux proposés.")
    opens_on, closes_on = fields.get("opens_on"), fields.get("closes_on")
    if opens_on is None or closes_on is None:
        raise ActionRefused("Indiquez les dates d'ouverture et de clôture.")
    if closes_on < opens_on:
        raise ActionRefused("La clôture doit venir après l'ouverture.")
    if (closes_on - opens_on).days > MAX_DURATION_DAYS:
        raise ActionRefused("Une enquête reste ouverte un an au plus.")
    regions = list(fields.get("regions") or [])
    sectors = list(fields.get("sectors") or [])
    size_bands = list(fields.get("size_bands") or [])
    if not set(regions) <= {code for code, _ in reference.choices("regions")}:
        raise ActionRefused("Une des régions choisies n'existe pas.")
    if not set(sectors) <= {code for code, _ in reference.choices("sectors")}:
        raise ActionRefused("Un des secteurs choisis n'existe pas.")
    if not set(size_bands) <= {code for code, *_ in SIZE_BANDS}:
        raise ActionRefused("Une des tailles choisies n'existe pas.")
    breakdown = fields.get("breakdown", "region") or ""
    if breakdown not in {code for code, _label in Survey._meta.get_field("breakdown").choices}:
        raise ActionRefused("Choisissez comment répartir les résultats parmi les choix proposés.")
    return {
        "title": title,
        "breakdown": breakdown,
        "introduction": introduction,
        "questionnaire_version": version,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "attributed": bool(fields.get("attributed")),
        "regions": sorted(set(regions)),
        "sectors": sorted(set(sectors)),
        "size_bands": [code for code, *_ in SIZE_BANDS if code in size_bands],
    }


@transaction.atomic
def create_survey(network, *, by, today=None, **fields):
    today = today or timezone.localdate()
    cleaned = _clean_fields(network, fields)
    if cleaned["opens_on"] < today:
        raise ActionRefused("La date d'ouverture est passée : choisissez aujourd'hui ou plus tard.")
    survey = Survey.objects.create(network=network, created_by=by, **cleaned)
    record_event(
        by=by,
        verb="surveys.created",
        target=survey.title,
        description=f"{by} a préparé l'enquête « {survey.title} ».",
        network=network,
    )
    return survey


def _locked(survey):
    return Survey.objects.select_for_update().select_related("network").get(pk=survey.pk)


@transaction.atomic
def update_survey(survey, *, by, today=None, **fields):
    """Change a survey before it opens: everything may change, the attribution included."""
    today = today or timezone.localdate()
    survey = _locked(survey)
    if not survey.is_draft:
        raise ActionRefused(
            "L'enquête est ouverte : seule sa date de clôture peut encore changer (« Repousser la clôture »)."
        )
    cleaned = _clean_fields(survey.network, fields)
    if cleaned["opens_on"] < today:
        raise ActionRefused("La date d'ouverture est passée : choisissez aujourd'hui ou plus tard.")
    for name, value in cleaned.items():
        setattr(survey, name, value)
    survey.save()
    return survey


@transaction.atomic
def delete_draft(survey, *, by):
    survey = _locked(survey)
    if not survey.is_draft:
        raise ActionRefused("Une enquête ouverte ou clôturée ne se supprime pas : elle a des réponses.")
    record_event(
        by=by,
        verb="surveys.deleted",
        target=survey.title,
        description=f"{by} a supprimé l'enquête en préparation « {survey.title} ».",
        network=survey.network,
    )
    survey.delete()


def targeted_organisations(survey):
    """The network's organisations the survey is for, as a queryset (size bands by employees)."""
    organisations = Organisation.objects.filter(affiliations__network=survey.network)
    if survey.regions:
        organisations = organisations.filter(region__in=survey.regions)
    if survey.sectors:
        organisations = organisations.filter(sector__in=survey.sectors)
    if survey.size_bands:
        bands = Q(pk__in=[])
        for code, _label, low, high in SIZE_BANDS:
            if code in survey.size_bands:
                bands |= Q(employees__gte=low) & (Q(employees__lte=high) if high is not None else Q())
        organisations = organisations.filter(bands)
    return organisations.distinct()


@transaction.atomic
def schedule_survey(survey, *, by, today=None):
    """Confirm a draft: it opens on its opening day (today: at once)."""
    today = today or timezone.localdate()
    survey = _locked(survey)
    if survey.state != Survey.State.DRAFT:
        raise ActionRefused("Cette enquête n'est plus en préparation.")
    if survey.opens_on < today:
        raise ActionRefused("La date d'ouverture est passée : modifiez-la avant de programmer l'enquête.")
    if not targeted_organisations(survey).exists():
        raise ActionRefused("Aucune structure du réseau ne correspond au ciblage : élargissez-le.")
    survey.state = Survey.State.SCHEDULED
    survey.save(update_fields=["state"])
    record_event(
        by=by,
        verb="surveys.scheduled",
        target=survey.title,
        description=f"{by} a programmé l'enquête « {survey.title} » pour le {survey.opens_on:%d/%m/%Y}.",
        network=survey.network,
    )
    if survey.opens_on <= today:
        return open_survey(survey, today=today)
    return survey


def add_targets(survey):
    """Give a Recipient row to every targeted organisation that has none yet (organisations that
    joined the network since the opening are asked too). Returns the new rows."""
    already = set(survey.recipients.values_list("organisation_id", flat=True))
    new = [
        Recipient(
            survey=survey,
            organisation=organisation,
            region=organisation.region or "",
            sector=organisation.sector or "",
            size_band=size_band(organisation.employees) or "",
            legal_form=organisation.legal_form or "",
        )
        for organisation in targeted_organisations(survey).exclude(pk__in=already)
    ]
    return Recipient.objects.bulk_create(new, ignore_conflicts=True)


@transaction.atomic
def open_survey(survey, *, today=None):
    """Open a scheduled survey: its organisations are asked, and their pilots mailed."""
    today = today or timezone.localdate()
    survey = _locked(survey)
    if survey.state != Survey.State.SCHEDULED:
        raise ActionRefused("Seule une enquête programmée peut s'ouvrir.")
    Network.objects.select_for_update().filter(pk=survey.network_id).first()
    recent = Survey.objects.filter(network=survey.network, opened_on__gt=today - timedelta(days=30)).count()
    if recent >= MAX_OPENINGS_PER_30_DAYS:
        raise ActionRefused(
            f"Le réseau a déjà ouvert {recent} enquêtes ces trente derniers jours : pour ne pas lasser les "
            "structures, attendez avant d'en ouvrir une autre."
        )
    survey.state = Survey.State.OPEN
    survey.opened_on = today
    survey.first_closes_on = survey.closes_on
    survey.save(update_fields=["state", "opened_on", "first_closes_on"])
    recipients = add_targets(survey)
    _mail_pilots(survey, [r.organisation for r in recipients], "surveys/email/opened")
    record_event(
        by=None,
        verb="surveys.opened",
        target=survey.title,
        description=f"L'enquête « {survey.title} » est ouverte à {len(recipients)} structure(s).",
        network=survey.network,
    )
    return survey


def _mail_pilots(survey, organisations, template, *, delegates=()):
    """Mail the pilots (and any delegate) of `organisations`, each organisation within its own
    daily quota. Returns how many mails were queued."""
    sent = 0
    organisation_ids = [organisation.pk for organisation in organisations]
    addresses = {}
    for organisation_id, email in Membership.objects.filter(
        organisation_id__in=organisation_ids, role__in=(Role.LEAD, Role.STAFF_REP)
    ).values_list("organisation_id", "user__email"):
        addresses.setdefault(organisation_id, set()).add(email)
    for organisation_id, email in delegates:
        addresses.setdefault(organisation_id, set()).add(email)
    for organisation in organisations:
        emails = sorted(addresses.get(organisation.pk, ()))
        if not emails:
            continue
        try:
            reserve_mails(count=len(emails), organisation=organisation)
        except MailQuotaExceeded:
            continue
        for email in emails:
            send_templated_mail(email, template, {"survey": survey, "organisation": organisation})
        sent += len(emails)
    return sent


@transaction.atomic
def postpone(survey, closes_on, *, by, today=None):
    """Move an open survey's closing day later (the seed's survey of Bourgogne-Franche-Comté stayed
    open four months more than planned, for the small structures)."""
    today = today or timezone.localdate()
    survey = _locked(survey)
    if survey.is_closed:
        raise ActionRefused("L'enquête est clôturée : sa date ne change plus.")
    if closes_on is None or closes_on < today:
        raise ActionRefused("La nouvelle date de clôture doit être aujourd'hui ou plus tard.")
    if closes_on < survey.opens_on:
        raise ActionRefused("La clôture doit venir après l'ouverture.")
    if (closes_on - survey.opens_on).days > MAX_DURATION_DAYS:
        raise ActionRefused("Une enquête reste ouverte un an au plus.")
    before = survey.closes_on
    survey.closes_on = closes_on
    survey.save(update_fields=["closes_on"])
    record_event(
        by=by,
        verb="surveys.postponed",
        target=survey.title,
        description=f"{by} a déplacé la clôture de « {survey.title} » du {before:%d/%m/%Y} "
        f"au {closes_on:%d/%m/%Y}.",
        network=survey.network,
    )
    return survey


@transaction.atomic
def remind(survey, *, by=None, today=None):
    """Mail the pilots of the organisations that have not sent their answer. At most once every
    REMINDER_INTERVAL_DAYS days. Returns the number of organisations reminded."""
    today = today or timezone.localdate()
    survey = _locked(survey)
    if not survey.is_open:
        raise ActionRefused("Seule une enquête en cours peut être relancée.")
    if survey.last_reminder_on and (today - survey.last_reminder_on).days < REMINDER_INTERVAL_DAYS:
        next_day = survey.last_reminder_on + timedelta(days=REMINDER_INTERVAL_DAYS)
        raise ActionRefused(
            f"Une relance est partie le {survey.last_reminder_on:%d/%m/%Y} : la suivante est possible "
            f"à partir du {next_day:%d/%m/%Y}, pour ne pas lasser les structures."
        )
    waiting = list(
        survey.recipients.exclude(state=Recipient.State.SUBMITTED).select_related("organisation", "delegate")
    )
    delegates = [(r.organisation_id, r.delegate.email) for r in waiting if r.delegate is not None]
    _mail_pilots(survey, [r.organisation for r in waiting], "surveys/email/reminder", delegates=delegates)
    survey.last_reminder_on = today
    survey.reminders += 1
    survey.save(update_fields=["last_reminder_on", "reminders"])
    record_event(
        by=by,
        verb="surveys.reminded",
        target=survey.title,
        description=f"Relance de l'enquête « {survey.title} » envoyée à {len(waiting)} structure(s).",
        network=survey.network,
    )
    return len(waiting)


@transaction.atomic
def close_survey(survey, *, by=None, today=None):
    """Close a survey: answers stop; drafts never sent are erased, and so is who each
    questionnaire was handed to."""
    today = today or timezone.localdate()
    survey = _locked(survey)
    if survey.is_closed:
        raise ActionRefused("L'enquête est déjà clôturée.")
    if survey.is_draft:
        raise ActionRefused("L'enquête n'est pas encore ouverte.")
    survey.state = Survey.State.CLOSED
    survey.closed_on = today
    if survey.closes_on > today:  # closed early by hand
        survey.closes_on = today
    survey.save(update_fields=["state", "closed_on", "closes_on"])
    survey.recipients.exclude(state=Recipient.State.SUBMITTED).update(
        state=Recipient.State.WAITING, answers={}, texts={}, quote_consent=False
    )
    survey.recipients.update(delegate=None)
    record_event(
        by=by,
        verb="surveys.closed",
        target=survey.title,
        description=f"L'enquête « {survey.title} » est clôturée.",
        network=survey.network,
    )
    return survey


def _locked_recipient(recipient):
    locked = Recipient.objects.select_for_update().select_related("survey").get(pk=recipient.pk)
    if not locked.survey.is_open:
        raise ActionRefused(
            "L'enquête est clôturée : les réponses ne sont plus acceptées. Rien n'a été enregistré."
            if locked.survey.is_closed
            else "L'enquête n'est pas encore ouverte."
        )
    return locked


@transaction.atomic
def save_answer(recipient, *, answers, texts, quote_consent, submit, by, today=None):
    """Record the organisation's answer ({item id: value}, {open item id: text}). `submit` sends
    it (every statement must then have an answer); sending again while the survey is open
    replaces the earlier answer: the last one counts. A value that is not the questionnaire's is
    refused and nothing is saved."""
    today = today or timezone.localdate()
    recipient = _locked_recipient(recipient)
    spec = recipient.survey.spec
    values = set(spec.values)
    item_ids = set(spec.item_ids)
    given = {item_id: value for item_id, value in answers.items() if value not in (None, "")}
    if not all(item_id in item_ids and isinstance(v, str) and v in values for item_id, v in given.items()):
        raise ActionRefused(
            "Une réponse n'est pas valide : choisissez parmi les réponses proposées. Rien n'a été "
            "enregistré ; les réponses déjà enregistrées sont intactes."
        )
    text_items = {item["id"]: item for item in spec.text_items}
    written = {}
    for item_id, text in texts.items():
        if item_id not in text_items:
            raise ActionRefused(
                "Une question ouverte n'existe pas dans ce questionnaire. Rien n'a été enregistré."
            )
        text = (text or "").strip()
        longest = text_items[item_id]["max_length"]
        if len(text) > longest:
            raise ActionRefused(
                f"Une réponse ouverte dépasse {longest} caractères : raccourcissez-la. "
                "Rien n'a été enregistré."
            )
        if text:
            written[item_id] = text
    merged = {**recipient.answers, **given}
    if submit:
        missing = [
            theme["title"] for theme in spec.themes if any(i["id"] not in merged for i in theme["items"])
        ]
        if missing:
            names = ", ".join(f"« {title} »" for title in missing)
            raise ActionRefused(f"Il reste des questions sans réponse dans : {names}.")
    recipient.answers = merged
    recipient.texts = written
    recipient.quote_consent = bool(quote_consent)
    if submit:
        replaced = recipient.has_answered
        recipient.state = Recipient.State.SUBMITTED
        recipient.submitted_on = today
    elif not recipient.has_answered:
        recipient.state = Recipient.State.DRAFT
    recipient.save(update_fields=["answers", "texts", "quote_consent", "state", "submitted_on"])
    if submit:
        record_event(
            by=by,
            verb="surveys.answered",
            target=recipient.survey.title,
            description=(
                f"{by} a {'remplacé' if replaced else 'envoyé'} la réponse de la structure à l'enquête "
                f"« {recipient.survey.title} » du réseau {recipient.survey.network}."
            ),
            organisation=recipient.organisation,
        )
    return recipient


@transaction.atomic
def hand_over(recipient, membership, *, by):
    """Hand the questionnaire to a colleague of the organisation, who may then answer it in the
    organisation's name; one mail, within the organisation's quota."""
    recipient = _locked_recipient(recipient)
    if membership is None or membership.organisation_id != recipient.organisation_id:
        raise ActionRefused("Choisissez une personne de l'équipe de la structure.")
    if membership.role in (Role.LEAD, Role.STAFF_REP):
        raise ActionRefused(
            f"{membership.user} pilote déjà la structure : elle peut répondre sans qu'on le lui confie."
        )
    recipient.delegate = membership.user
    recipient.save(update_fields=["delegate"])
    try:
        reserve_mails(count=1, organisation=recipient.organisation, user=by)
    except MailQuotaExceeded as exceeded:
        raise ActionRefused(str(exceeded)) from exceeded
    send_templated_mail(
        membership.user.email,
        "surveys/email/handed_over",
        {"survey": recipient.survey, "organisation": recipient.organisation, "by": by},
    )
    record_event(
        by=by,
        verb="surveys.handed_over",
        target=recipient.survey.title,
        description=f"{by} a confié l'enquête « {recipient.survey.title} » à {membership.user}.",
        organisation=recipient.organisation,
    )
    return recipient


@transaction.atomic
def take_back(recipient, *, by):
    recipient = _locked_recipient(recipient)
    recipient.delegate = None
    recipient.save(update_fields=["delegate"])
    return recipient


# Periodic work (jobs.py)


def open_due(today=None):
    """Open the scheduled surveys whose opening day has come. Returns how many opened."""
    today = today or timezone.localdate()
    opened = 0
    for survey in Survey.objects.filter(state=Survey.State.SCHEDULED, opens_on__lte=today):
        try:
            open_survey(survey, today=today)
        except ActionRefused:
            continue  # too many openings this month: it opens on a later day
        opened += 1
    return opened


def close_due(today=None):
    """Close the open surveys whose closing day is over. Returns how many closed."""
    today = today or timezone.localdate()
    due = list(Survey.objects.filter(state=Survey.State.OPEN, closes_on__lt=today))
    for survey in due:
        close_survey(survey, today=today)
    return len(due)


def remind_due(today=None):
    """The automatic reminder, AUTOMATIC_REMINDER_DAYS_BEFORE days before closing, unless one
    went out less than REMINDER_INTERVAL_DAYS ago. Returns how many surveys were reminded."""
    today = today or timezone.localdate()
    due = Survey.objects.filter(
        state=Survey.State.OPEN, closes_on=today + timedelta(days=AUTOMATIC_REMINDER_DAYS_BEFORE)
    ).filter(
        Q(last_reminder_on__isnull=True)
        | Q(last_reminder_on__lte=today - timedelta(days=REMINDER_INTERVAL_DAYS))
    )
    count = 0
    for survey in due:
        remind(survey, today=today)
        count += 1
    return count


def sync_targets(today=None):
    """Ask the organisations that joined a network, and match an open survey's targeting, since
    it opened. Returns the number of rows added."""
    return sum(len(add_targets(survey)) for survey in Survey.objects.filter(state=Survey.State.OPEN))


@transaction.atomic
def purge_old_surveys(today=None):
    """Delete the surveys closed more than RETENTION_YEARS years ago, with their answers."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=365 * RETENTION_YEARS + 1)
    deleted, _ = Survey.objects.filter(state=Survey.State.CLOSED, closed_on__lt=limit).delete()
    return deleted
