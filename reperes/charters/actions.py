import datetime

from django.db import transaction

from reperes.charters import rules
from reperes.charters.library import get_library
from reperes.charters.models import (
    CharterClause,
    CharterSignature,
    CharterStatus,
    CharterVersion,
    ClauseComment,
    Instrument,
    TeleworkCharter,
)
from reperes.lib.actions import ActionRefused
from reperes.organisations.journal import record_event
from reperes.organisations.models import Role


@transaction.atomic
def create_charter(organisation, *, by, instrument, title, co_drafted=False, proposal=True):
    """A new draft. With `proposal`, it starts from the first wording of one clause per slot that
    applies to the organisation, so that the team edits rather than starts from a blank page."""
    charter = TeleworkCharter.objects.create(
        organisation=organisation,
        instrument=instrument,
        title=title,
        co_drafted=co_drafted,
        created_by=by,
        parameters={},
    )
    if proposal:
        library = get_library()
        for slot in library.slots.values():
            options = [c for c in library.clauses_for(slot.id) if c.applies_to(organisation)]
            if options:
                CharterClause.objects.create(
                    charter=charter, clause_id=options[0].id, wording_id=options[0].wordings[0].id
                )
    record_event(
        by=by,
        verb="telework.charter_created",
        target=charter.title,
        description=f"{by} a commencé « {charter.title} » ({charter.get_instrument_display().lower()}).",
        organisation=organisation,
    )
    return charter


@transaction.atomic
def delete_charter(charter, *, by):
    """A draft nobody has been consulted on may go; a text with archived versions stays."""
    if not charter.is_draft or charter.versions.exists():
        raise ActionRefused(
            "Ce texte a déjà été soumis ou adopté : son historique est conservé. "
            "Ouvrez plutôt une nouvelle version."
        )
    record_event(
        by=by,
        verb="telework.charter_deleted",
        target=charter.title,
        description=f"{by} a supprimé le brouillon « {charter.title} ».",
        organisation=charter.organisation,
    )
    charter.delete()


def _editable(charter):
    if not charter.is_draft:
        raise ActionRefused(
            "Le texte n'est plus un brouillon : ouvrez une nouvelle version pour le modifier."
        )


@transaction.atomic
def add_clause(charter, clause_id, *, by):
    _editable(charter)
    clause = get_library().clauses.get(clause_id)
    if clause is None:
        raise ActionRefused("Cette clause n'existe pas dans la bibliothèque.")
    row, created = CharterClause.objects.get_or_create(
        charter=charter, clause_id=clause.id, defaults={"wording_id": clause.wordings[0].id}
    )
    if created:
        record_event(
            by=by,
            verb="telework.clause_added",
            target=clause.title,
            description=f"{by} a ajouté la clause « {clause.title} » à « {charter.title} ».",
            organisation=charter.organisation,
        )
    return row


@transaction.atomic
def update_clause(row, *, wording_id, custom_text, by):
    charter = row.charter
    _editable(charter)
    clause = get_library().clauses.get(row.clause_id)
    if clause is None or wording_id not in {w.id for w in clause.wordings}:
        raise ActionRefused("Cette rédaction n'existe pas pour cette clause.")
    row.wording_id = wording_id
    row.custom_text = custom_text.strip()
    row.save(update_fields=["wording_id", "custom_text"])
    record_event(
        by=by,
        verb="telework.clause_updated",
        target=clause.title,
        description=f"{by} a modifié la clause « {clause.title} » de « {charter.title} ».",
        organisation=charter.organisation,
    )


@transaction.atomic
def remove_clause(row, *, by):
    _editable(row.charter)
    clause = get_library().clauses.get(row.clause_id)
    title = clause.title if clause else row.clause_id
    record_event(
        by=by,
        verb="telework.clause_removed",
        target=title,
        description=f"{by} a retiré la clause « {title} » de « {row.charter.title} ».",
        organisation=row.charter.organisation,
    )
    row.delete()


@transaction.atomic
def set_parameters(charter, values, *, by):
    _editable(charter)
    errors = rules.check_parameters(values)
    if errors:
        raise ActionRefused("Certains paramètres sont à corriger.")
    library = get_library()
    charter.parameters = {
        key: (int(values[key]) if parameter.type == "int" else str(values[key])[:5])
        for key, parameter in library.parameters.items()
        if key in values
    }
    charter.save(update_fields=["parameters", "updated_on"])
    record_event(
        by=by,
        verb="telework.charter_parameters_set",
        target=charter.title,
        description=f"{by} a réglé les paramètres de « {charter.title} ».",
        organisation=charter.organisation,
    )


@transaction.atomic
def comment_clause(row, *, by, text):
    text = text.strip()
    if not text:
        raise ActionRefused("Le commentaire est vide.")
    return ClauseComment.objects.create(charter_clause=row, author=by, text=text)


def _snapshot(charter, *, by):
    CharterVersion.objects.create(
        charter=charter,
        number=charter.version,
        status=charter.status,
        content=rules.document(charter),
        created_by=by,
    )


@transaction.atomic
def submit_charter(charter, *, by, on):
    """The draft goes to the staff representatives for their opinion."""
    _editable(charter)
    charter.status = CharterStatus.SUBMITTED
    charter.submitted_on = on
    charter.save()
    _snapshot(charter, by=by)
    record_event(
        by=by,
        verb="telework.charter_submitted",
        target=charter.title,
        description=f"{by} a soumis « {charter.title} » aux représentant·es du personnel.",
        organisation=charter.organisation,
    )


@transaction.atomic
def record_opinion(charter, *, on, summary, by):
    if charter.status != CharterStatus.SUBMITTED:
        raise ActionRefused("L'avis se consigne sur un texte soumis aux représentant·es du personnel.")
    if on < charter.submitted_on:
        raise ActionRefused("L'avis ne peut pas dater d'avant la soumission du texte.")
    charter.staff_opinion_on = on
    charter.staff_opinion = summary.strip()
    charter.save(update_fields=["staff_opinion_on", "staff_opinion", "updated_on"])
    record_event(
        by=by,
        verb="telework.charter_opinion",
        target=charter.title,
        description=f"{by} a consigné l'avis du personnel du {on:%d/%m/%Y} sur « {charter.title} ».",
        organisation=charter.organisation,
    )


def adoption_refusal(charter):
    """Why this charter may not be adopted yet, or "" when it may."""
    missing = rules.missing_contents(rules.covered_slots(charter.clauses.all()))
    if missing and rules.blocks_when_incomplete(charter.instrument):
        listed = " ; ".join(slot.label.lower() for slot in missing)
        return (
            f"Ce texte ({charter.get_instrument_display().lower()}) doit traiter les sept points de "
            f"l'article L1222-9 du Code du travail. Il manque : {listed}. Le brouillon est conservé."
        )
    organisation = charter.organisation
    if charter.instrument == Instrument.CHARTER and organisation.has_cse and not charter.staff_opinion_on:
        return "Une charte s'adopte après l'avis du CSE : soumettez-la et consignez la date de son avis."
    if charter.instrument == Instrument.RATIFIED and not charter.communicated_on:
        return "Indiquez d'abord la date à laquelle le projet a été communiqué à chaque salarié·e."
    return ""


@transaction.atomic
def adopt_charter(charter, *, by, on):
    refusal = adoption_refusal(charter)
    if refusal:
        raise ActionRefused(refusal)
    if charter.status == CharterStatus.ADOPTED:
        raise ActionRefused("Ce texte est déjà adopté.")
    if charter.instrument == Instrument.RATIFIED:
        earliest = charter.communicated_on + datetime.timedelta(days=rules.RATIFICATION_DELAY_DAYS)
        if on < earliest:
            raise ActionRefused(
                f"Le vote du personnel ne peut avoir lieu avant le {earliest:%d/%m/%Y}, 15 jours après la "
                "communication du projet."
            )
    charter.status = CharterStatus.ADOPTED
    charter.adopted_on = on
    charter.save()
    _snapshot(charter, by=by)
    record_event(
        by=by,
        verb="telework.charter_adopted",
        target=charter.title,
        description=f"{by} a enregistré l'adoption de « {charter.title} » le {on:%d/%m/%Y}.",
        organisation=charter.organisation,
    )


@transaction.atomic
def revise_charter(charter, *, by):
    """A new version, back to draft, from the adopted or submitted text."""
    if charter.is_draft:
        raise ActionRefused("Ce texte est déjà un brouillon.")
    charter.status = CharterStatus.DRAFT
    charter.version += 1
    charter.submitted_on = charter.staff_opinion_on = charter.adopted_on = None
    charter.staff_opinion = ""
    charter.save()
    record_event(
        by=by,
        verb="telework.charter_revised",
        target=charter.title,
        description=f"{by} a ouvert la version {charter.version} de « {charter.title} ».",
        organisation=charter.organisation,
    )


@transaction.atomic
def set_communicated(charter, *, on):
    if charter.instrument != Instrument.RATIFIED:
        raise ActionRefused("Cette date ne concerne que le projet d'accord soumis au personnel.")
    charter.communicated_on = on
    charter.save(update_fields=["communicated_on", "updated_on"])


@transaction.atomic
def sign_charter(charter, *, user, membership):
    """Co-signature of the adopted version by the lead and a staff representative."""
    if not charter.co_drafted:
        raise ActionRefused("Ce texte n'a pas été rédigé à deux : il n'appelle pas de cosignature.")
    if charter.status != CharterStatus.ADOPTED:
        raise ActionRefused("On cosigne un texte adopté.")
    if membership.role not in (Role.LEAD, Role.STAFF_REP):
        raise ActionRefused("Seul·es la ou le référent·e et les représentant·es du personnel cosignent.")
    signature, created = CharterSignature.objects.get_or_create(
        charter=charter,
        version=charter.version,
        role=membership.role,
        defaults={"user": user, "name": user.name or user.email},
    )
    if not created:
        raise ActionRefused(f"Ce texte est déjà signé pour ce rôle, par {signature.name}.")
    return signature
