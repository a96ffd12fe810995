"""Every retention period of Repères, in one list: what is kept, for whom, how long, which
periodic job enforces it, and the constant or setting that job reads.

The privacy page renders it (« Combien de temps nous gardons quoi ») and docs/operations.md
holds the same table in English (`markdown_table()` writes it). A period is never written here
as a number: each entry names the constant its job uses (a dotted path, or `settings.NAME`),
read when the table is shown, so that changing a constant changes the page and the docs, and
tests/test_retention.py fails if the docs were not pasted again.

The constants live in the apps that own the data (listings, programmes…), above this package:
like `periodic_jobs`, entries name them by dotted path and import them only when asked.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils.module_loading import import_string

DAYS, YEARS, SECONDS = "days", "years", "seconds"


@dataclass(frozen=True)
class Retention:
    """One kind of data and how long it is kept.

    `period` and `period_en` are templates whose `{}` becomes the duration read from `reads`
    (French, English); without `reads` they are the whole period (« à la clôture »). `unit` says
    what a number read means (a timedelta needs none). `setting` names a setting that, when set,
    replaces the constant (MAIL_KEYS_DAYS). `job` is the periodic job that enforces the period,
    or None when nothing needs to run (the data goes with an action, or is never stored)."""

    topic: str
    data: str
    seen_by: str
    period: str
    data_en: str
    period_en: str
    job: str | None = None
    reads: str | None = None
    unit: str = DAYS
    setting: str | None = None

    @property
    def value(self):
        """The duration in force, as a timedelta, or None."""
        if self.reads is None:
            return None
        if self.setting and hasattr(settings, self.setting):
            raw = getattr(settings, self.setting)
        elif self.reads.startswith("settings."):
            raw = getattr(settings, self.reads.removeprefix("settings."))
        else:
            raw = import_string(self.reads)
        if callable(raw):
            raw = raw()
        if isinstance(raw, timedelta):
            return raw
        return {
            DAYS: timedelta(days=raw),
            YEARS: timedelta(days=365 * raw),
            SECONDS: timedelta(seconds=raw),
        }[self.unit]

    @property
    def constant(self):
        """Where the period comes from: a setting's name (what an operator changes), or the
        constant's path under reperes (« requests.actions.RETENTION_DAYS »)."""
        if self.setting:
            return self.setting
        if self.reads is None:
            return ""
        if self.reads.startswith("settings."):
            return self.reads.removeprefix("settings.")
        path = self.reads.removeprefix("reperes.")
        return f"{path}()" if callable(import_string(self.reads)) else path

    @property
    def period_fr(self):
        return self.period.format(duration_fr(self.value)) if self.reads else self.period

    @property
    def period_in_english(self):
        return self.period_en.format(duration_en(self.value)) if self.reads else self.period_en


def _split(duration):
    """(number, unit) in the largest unit that reads naturally: years, months, days, hours."""
    days = duration.days
    seconds = duration.total_seconds()
    if days >= 365 and days % 365 == 0:
        return days // 365, "year"
    months = round(days / 30.44)
    if days >= 60 and abs(days - months * 30.44) <= 3:
        return months, "month"
    if days >= 1 and seconds % 86400 == 0:
        return days, "day"
    if seconds >= 3600 and seconds % 3600 == 0:
        return int(seconds // 3600), "hour"
    return int(seconds // 60), "minute"


FRENCH = {"year": ("un an", "ans"), "month": ("un mois", "mois"), "day": ("un jour", "jours"),
          "hour": ("une heure", "heures"), "minute": ("une minute", "minutes")}  # fmt: skip


def duration_fr(duration):
    """« un an », « 3 ans », « 6 mois », « 30 jours », « 12 heures »."""
    number, unit = _split(duration)
    one, many = FRENCH[unit]
    return one if number == 1 else f"{number} {many}"


def duration_en(duration):
    number, unit = _split(duration)
    return f"1 {unit}" if number == 1 else f"{number} {unit}s"


ACCOUNTS = "Comptes et connexions"
ANSWERS = "Diagnostics et documents de la structure"
MAIL = "Courriels et tâches techniques"
PROGRAMMES = "Parcours et événements"
NETWORK = "Réseaux, demandes et mises en lien"

REGISTRY = [
    # Accounts and logins
    Retention(
        ACCOUNTS,
        "Votre compte : nom, adresse e-mail, mot de passe chiffré, double authentification",
        "vous, et l'administration technique de l'instance",
        "jusqu'à ce que vous supprimiez votre compte",
        "An account: name, email address, password hash, two-factor devices",
        "until the person deletes it",
    ),
    Retention(
        ACCOUNTS,
        "Compte dont l'adresse e-mail n'a jamais été confirmée, jamais utilisé",
        "l'administration technique de l'instance",
        "{} après l'inscription",
        "Account whose address was never confirmed, never used (no login, no organisation or network)",
        "{} after the sign-up",
        job="organisations.purge",
        reads="reperes.organisations.jobs.UNVERIFIED_ACCOUNTS_DAYS",
    ),
    Retention(
        ACCOUNTS,
        "Journal de sécurité d'un compte : connexions, échecs, changements de mot de passe, "
        "avec l'heure et le réseau d'origine tronqué",
        "vous, et l'administration technique de l'instance",
        "{} après chaque événement",
        "Security log of an account: logins, failures, password and two-factor changes, with "
        "time and truncated network",
        "{} after each event",
        job="accounts.purge",
        reads="settings.SECURITY_LOG_RETENTION",
    ),
    Retention(
        ACCOUNTS,
        "Session de connexion (ce qui vous garde connecté·e)",
        "personne (votre navigateur)",
        "{} après votre dernière visite au plus",
        "Login sessions",
        "{} after the last request at most",
        job="accounts.purge",
        reads="settings.SESSION_COOKIE_AGE",
        unit=SECONDS,
    ),
    Retention(
        ACCOUNTS,
        "Lien de confirmation d'adresse e-mail",
        "vous seul·e",
        "valable {} ; jamais enregistré",
        "Email verification link",
        "valid {}; never stored",
        reads="settings.EMAIL_VERIFICATION_MAX_AGE",
        unit=SECONDS,
    ),
    Retention(
        ACCOUNTS,
        "Lien « mot de passe oublié »",
        "vous seul·e",
        "valable {} ; jamais enregistré",
        "Password reset link",
        "valid {}; never stored",
        reads="settings.PASSWORD_RESET_TIMEOUT",
        unit=SECONDS,
    ),
    Retention(
        ACCOUNTS,
        "Compteurs de tentatives (connexions, codes, envois d'e-mails, codes d'adhésion), "
        "l'adresse IP et le compte sous forme chiffrée",
        "personne",
        "{} après la dernière tentative au plus",
        "Attempt counters (logins, codes, mail requests, join codes), address and account hashed",
        "{} after the last attempt at most",
        job="lib.forget_counters",
        reads="reperes.accounts.jobs.longest_throttle_memory",
    ),
    Retention(
        ACCOUNTS,
        "Traces de connexion de django-axes (adresse IP, navigateur), si l'instance en écrit "
        "(Repères n'en écrit pas)",
        "l'administration technique de l'instance",
        "{}",
        "django-axes records (IP address, user agent), should any be written (Repères writes none)",
        "{}",
        job="accounts.purge",
        reads="reperes.accounts.jobs.AXES_RECORDS_DAYS",
    ),
    Retention(
        ACCOUNTS,
        "Invitation à rejoindre une structure ou un réseau : adresse e-mail, rôle, qui a invité",
        "les responsables de la structure, l'administration du réseau",
        "{} après la fin de sa validité, qu'elle ait été acceptée, retirée ou non",
        "Invitation to an organisation or a network: email address, role, who invited",
        "{} after it stops being valid (accepted, revoked or not)",
        job="organisations.purge",
        reads="reperes.organisations.jobs.INVITATIONS_KEPT_DAYS",
    ),
    Retention(
        ACCOUNTS,
        "Journal d'une structure ou d'un réseau : qui a fait quoi (invitation, clôture, partage…) "
        "et quand, jamais une réponse ni une connexion",
        "les pilotes de la structure, l'équipe du réseau",
        "tant que la structure ou le réseau existe, nom de la personne compris",
        "Journal of an organisation or a network: who did what and when, never an answer or a login",
        "as long as the organisation or network exists, the person's name included",
    ),
    # Team diagnostics
    Retention(
        ANSWERS,
        "Brouillon de réponse à un diagnostic (réponses en cours, lien de reprise chiffré)",
        "personne (votre navigateur)",
        "jusqu'à l'envoi, ou jusqu'à la clôture du diagnostic",
        "Answer draft (answers in progress, hashed resume link)",
        "until it is submitted, or until the diagnostic closes",
        job="campaigns.purge",
    ),
    Retention(
        ANSWERS,
        "Invitation personnelle à répondre : adresse e-mail, lien chiffré, lien utilisé ou non",
        "les pilotes du diagnostic",
        "jusqu'à la clôture du diagnostic (seuls les totaux restent)",
        "Personal invitation to answer: email address, hashed link, whether it was used",
        "until the diagnostic closes (only the counts stay)",
        job="campaigns.purge",
    ),
    Retention(
        ANSWERS,
        "Réponses anonymes et réponses ouvertes, datées du jour de la clôture",
        "toute l'équipe, en résultats collectifs au-dessus du seuil",
        "tant que la structure garde le diagnostic",
        "Anonymous answers and open answers, dated the closing day",
        "as long as the organisation keeps the diagnostic",
    ),
    Retention(
        ANSWERS,
        "Document préparé (rapport en PDF, charte en PDF ou DOCX)",
        "les membres de la structure",
        "{} après la demande",
        "Prepared documents (PDF report, charter in PDF or DOCX)",
        "{} after it was asked for",
        job="reports.purge",
        reads="reperes.reports.models.DOCUMENT_LIFETIME",
    ),
    Retention(
        ANSWERS,
        "Autodiagnostic de maturité commencé et jamais terminé (réponses, notes, noms)",
        "les membres de la structure",
        "{} après avoir été commencé",
        "Maturity self-diagnostic started and never finished (answers, notes, names)",
        "{} after it was started",
        job="maturity.purge",
        reads="reperes.maturity.actions.DRAFT_RETENTION_DAYS",
    ),
    # Mail
    Retention(
        MAIL,
        "Courriel en file d'envoi (adresse, objet, lien) : effacé dès qu'il est parti ; "
        "s'il n'a pas pu partir, gardé pour l'administration technique",
        "l'administration technique de l'instance",
        "{} après l'échec",
        "Queued mail (address, subject, link): erased once sent; a failed one is kept",
        "{} after the failure",
        job="lib.purge",
        reads="reperes.lib.jobs.TASK_RESULTS_DAYS",
    ),
    Retention(
        MAIL,
        "Clé d'un courriel envoyé, pour ne pas l'envoyer deux fois (ni adresse, ni objet)",
        "personne",
        "{} après l'envoi",
        "Key of a sent mail, so that it is not sent twice (no address, no subject)",
        "{} after sending",
        job="lib.purge",
        reads="reperes.lib.jobs.MAIL_KEYS_DAYS",
        setting="MAIL_KEYS_DAYS",
    ),
    Retention(
        MAIL,
        "Nombre de courriels envoyés par jour, par structure, compte ou adresse chiffrée",
        "personne",
        "{} après le jour compté",
        "Daily mail counts per organisation, account or hashed address",
        "{} after the day counted",
        job="lib.forget_counters",
        reads="reperes.lib.limits.MAIL_COUNTERS_DAYS",
    ),
    Retention(
        MAIL,
        "Exécutions des tâches planifiées (nom de la tâche, heure, résumé ; aucune donnée personnelle)",
        "l'administration technique de l'instance",
        "{}",
        "Runs of the scheduled jobs (job, time, summary; no personal data)",
        "{}",
        job="lib.purge",
        reads="reperes.lib.jobs.SCHEDULED_RUNS_DAYS",
    ),
    # Programmes and events
    Retention(
        PROGRAMMES,
        "Travaux d'intersession, notes de suivi, choix des dates, questions à l'expert·e, "
        "motivation de la candidature",
        "l'équipe d'animation de la cohorte",
        "{} après le dernier atelier",
        "Intersession work, facilitators' notes, date choices, questions for the expert, motivation",
        "{} after the cohort's last workshop",
        job="programmes.purge",
        reads="reperes.programmes.actions.WORK_RETENTION_DAYS",
    ),
    Retention(
        PROGRAMMES,
        "Participant·es et présences aux ateliers (feuilles d'émargement, attestations)",
        "l'équipe d'animation de la cohorte",
        "{} après le dernier atelier",
        "Participants and attendance at workshops (attendance sheets, certificates)",
        "{} after the cohort's last workshop",
        job="programmes.purge",
        reads="reperes.programmes.actions.ATTENDANCE_RETENTION_DAYS",
    ),
    Retention(
        PROGRAMMES,
        "Inscriptions aux événements du réseau : nom, structure, région",
        "l'équipe du réseau",
        "{} après la dernière séance",
        "Registrations to network events: name, organisation, region",
        "{} after the event's last session",
        job="programmes.purge",
        reads="reperes.programmes.actions.REGISTRATION_RETENTION_DAYS",
    ),
    Retention(
        PROGRAMMES,
        "Membres et comptes rendus des comités de pilotage d'un programme",
        "l'équipe du réseau",
        "{} après la réunion (la date et la région restent)",
        "Members and minutes of steering committees",
        "{} after the meeting (date and region stay)",
        job="evaluation.purge",
        reads="reperes.evaluation.actions.COMMITTEE_RECORDS_YEARS",
        unit=YEARS,
    ),
    # Networks, requests, listings, cases
    Retention(
        NETWORK,
        "Demande d'accompagnement : personne à contacter, situation, historique, suivi",
        "l'équipe d'accompagnement du réseau, la structure",
        "{} après la clôture (thèmes, région, taille, dates et issue restent pour les chiffres)",
        "Accompaniment request: contact person, situation, timeline, follow-up log",
        "{} after closing (themes, region, size band, dates, outcome stay for the figures)",
        job="requests.purge",
        reads="reperes.requests.actions.RETENTION_DAYS",
    ),
    Retention(
        NETWORK,
        "Personne à contacter d'une offre du catalogue : nom, adresse, téléphone",
        "les membres du réseau",
        "{} après la fin de l'offre ou son archivage",
        "Contact person of a catalogue offer: name, email, phone",
        "{} after the offer ended or was archived",
        job="offers.forget_contacts",
        reads="reperes.offers.actions.CONTACT_RETENTION_DAYS",
    ),
    Retention(
        NETWORK,
        "Annonce terminée, retirée ou refusée, avec ses demandes de mise en lien et signalements",
        "la structure, la personne chargée de mise en lien",
        "{} après sa fin, son retrait ou son refus",
        "Listing ended, withdrawn or refused, with its requests and reports",
        "{} after it ended, was withdrawn or refused",
        job="listings.purge",
        reads="reperes.listings.jobs.ENDED_LISTINGS_KEPT",
    ),
    Retention(
        NETWORK,
        "Demande de mise en lien : structure, compte, message, réponses",
        "les deux structures, la personne chargée de mise en lien",
        "{} après la réponse ou la mise en lien",
        "Request to be put in touch: organisation, account, message, answers",
        "{} after it was declined or the introduction made",
        job="listings.purge",
        reads="reperes.listings.jobs.CONTACTS_KEPT",
    ),
    Retention(
        NETWORK,
        "Signalement d'une annonce",
        "la personne chargée de mise en lien",
        "{} après son traitement",
        "Report about a listing",
        "{} after it was handled",
        job="listings.purge",
        reads="reperes.listings.jobs.REPORTS_KEPT",
    ),
    Retention(
        NETWORK,
        "Dossier de mise en lien resté ouvert sans aucune activité",
        "la personne chargée de mise en lien, les deux structures",
        "clos comme abandonné après {}, puis les délais ci-dessous",
        "Sharing case left open without any activity",
        "closed as abandoned after {}, then the periods below",
        job="matchmaking.purge",
        reads="reperes.matchmaking.actions.CLOSE_IDLE_CASES_AFTER",
    ),
    Retention(
        NETWORK,
        "Dossier de mise en lien : identité et qualification de la personne prêtée, textes, "
        "journal (les documents de prêt ne peuvent plus être produits)",
        "la personne chargée de mise en lien, les deux structures",
        "{} après la clôture du dossier",
        "Sharing case: lent employee's identity and qualification, texts, journal (the lending "
        "documents can no longer be generated)",
        "{} after the case closed",
        job="matchmaking.purge",
        reads="reperes.matchmaking.actions.ERASE_PERSONAL_DATA_AFTER",
    ),
    Retention(
        NETWORK,
        "Dossier de mise en lien : catégorie, structures, dates, volumes, issue, satisfaction",
        "la personne chargée de mise en lien, les chiffres du réseau",
        "{} après la clôture du dossier, puis supprimé",
        "Sharing case: category, organisations, dates, volumes, outcome, satisfaction",
        "{} after the case closed, then deleted",
        job="matchmaking.purge",
        reads="reperes.matchmaking.actions.DELETE_CASES_AFTER",
    ),
    Retention(
        NETWORK,
        "Personne à qui une structure confie une enquête du réseau, brouillons jamais envoyés",
        "les pilotes de la structure",
        "jusqu'à la clôture de l'enquête",
        "Colleague a survey was handed to, drafts never sent",
        "until the survey closes",
        job="surveys.daily",
    ),
    Retention(
        NETWORK,
        "Enquête d'un réseau et réponses des structures",
        "l'équipe du réseau, en chiffres au-dessus du seuil sauf enquête nominative",
        "{} après la clôture",
        "Network survey and the organisations' answers",
        "{} after closing",
        job="surveys.daily",
        reads="reperes.surveys.actions.RETENTION_YEARS",
        unit=YEARS,
    ),
    Retention(
        NETWORK,
        "Publications de l'observatoire et chiffres internes par structure (jamais affichés)",
        "l'équipe du réseau",
        "{} après la publication",
        "Observatory releases and their internal per-organisation facts (never shown)",
        "{} after the release",
        job="observatory.quarterly_release",
        reads="reperes.observatory.actions.RETENTION_YEARS",
        unit=YEARS,
    ),
    Retention(
        NETWORK,
        "Demande de publication de l'observatoire dont la préparation a échoué (nom de la "
        "personne qui l'a demandée)",
        "l'équipe du réseau",
        "{} après la demande",
        "Observatory release request that failed (name of the person who asked)",
        "{} after the request",
        job="observatory.quarterly_release",
        reads="reperes.observatory.actions.FAILED_REQUEST_DAYS",
    ),
]


def by_topic():
    """[(topic, [entries])] in the order of the registry, for the privacy page."""
    topics = {}
    for entry in REGISTRY:
        topics.setdefault(entry.topic, []).append(entry)
    return list(topics.items())


def _cell(text):
    return text.replace("|", "\\|")


def markdown_table():
    """The table of docs/operations.md (« Retention periods »), in English."""
    lines = ["| data | kept | job | constant or setting |", "|---|---|---|---|"]
    for entry in REGISTRY:
        job = f"`{entry.job}`" if entry.job else "—"
        constant = f"`{entry.constant}`" if entry.constant else "—"
        lines.append(f"| {_cell(entry.data_en)} | {_cell(entry.period_in_english)} | {job} | {constant} |")
    return "\n".join(lines) + "\n"
