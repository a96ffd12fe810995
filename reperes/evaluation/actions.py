"""Changes to a network's evaluation: each verb checks its rules, writes in one transaction and
records who did it. A region outside the network is refused here as well as in the forms."""

from django.db import transaction
from django.utils import timezone

from reperes.evaluation.models import (
    NATIONAL,
    Assessment,
    GeneralIndicator,
    Indicator,
    KeyFigure,
    Partner,
    Project,
    Qualifier,
    SteeringCommittee,
    region_label,
)
from reperes.lib.actions import ActionRefused
from reperes.organisations import reference
from reperes.organisations.models import Event, Network


def allowed_regions(network):
    """The places a network may enter figures for, as codes: a regional network its own region
    only; a national network the nation (NATIONAL) and every region."""
    if network.scope == Network.Scope.NATIONAL:
        return [NATIONAL] + [code for code, _ in reference.choices("regions")]
    return [network.region] if network.region else []


def region_choices(network):
    return [(code, region_label(code)) for code in allowed_regions(network)]


def _check_region(network, region):
    if region not in allowed_regions(network):
        raise ActionRefused(f"« {region_label(region) or region} » n'est pas dans le périmètre de ce réseau.")


def _check_dates(starts_on, ends_on):
    if ends_on and ends_on < starts_on:
        raise ActionRefused("La fin du projet ne peut pas précéder son début.")


def _check_links(network, cohorts, events):
    if any(cohort.network_id != network.pk for cohort in cohorts) or any(
        event.network_id != network.pk for event in events
    ):
        raise ActionRefused("Un projet ne peut suivre que les cohortes et les événements de son réseau.")


def _record(project, by, verb, description):
    Event.objects.create(
        network=project.network, actor=by, verb=verb, target=str(project.pk), description=description[:300]
    )


@transaction.atomic
def create_project(network, *, title, starts_on, by, ends_on=None, description="", cohorts=(), events=()):
    _check_dates(starts_on, ends_on)
    _check_links(network, cohorts, events)
    project = Project.objects.create(
        network=network,
        title=title,
        description=description,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=by,
    )
    project.cohorts.set(cohorts)
    project.events.set(events)
    _record(project, by, "evaluation.create_project", f"Projet évalué créé : {title}")
    return project


@transaction.atomic
def update_project(project, *, title, starts_on, by, ends_on=None, description="", cohorts=(), events=()):
    _check_dates(starts_on, ends_on)
    _check_links(project.network, cohorts, events)
    project.title, project.description = title, description
    project.starts_on, project.ends_on = starts_on, ends_on
    project.save()
    project.cohorts.set(cohorts)
    project.events.set(events)
    _record(project, by, "evaluation.update_project", f"Projet évalué modifié : {title}")
    return project


@transaction.atomic
def add_partner(project, *, name, kind, region, by, contribution=""):
    _check_region(project.network, region)
    partner = Partner.objects.create(
        project=project, name=name, kind=kind, region=region, contribution=contribution
    )
    _record(project, by, "evaluation.add_partner", f"{partner.get_kind_display()} ajouté : {name}")
    return partner


@transaction.atomic
def remove_partner(partner, *, by):
    _record(partner.project, by, "evaluation.remove_partner", f"Partenaire retiré : {partner.name}")
    partner.delete()


@transaction.atomic
def add_committee(project, *, region, held_on, by, members="", minutes=""):
    _check_region(project.network, region)
    committee = SteeringCommittee.objects.create(
        project=project, region=region, held_on=held_on, members=members, minutes=minutes
    )
    _record(project, by, "evaluation.add_committee", f"{committee} ajouté")
    return committee


@transaction.atomic
def remove_committee(committee, *, by):
    _record(committee.project, by, "evaluation.remove_committee", f"{committee} retiré")
    committee.delete()


@transaction.atomic
def set_key_figures(project, *, region, figures, by):
    """Enter the key figures of one place (a region, or the nation with NATIONAL).

    `figures` maps an Indicator to (value, qualifier, note): value a whole number ≥ 0 or None,
    note the figure in words when there is no number (« plusieurs dizaines »). An indicator with
    neither is removed. The national figures are entered, never computed from the regions."""
    _check_region(project.network, region)
    for indicator, (value, qualifier, _note) in figures.items():
        if indicator not in Indicator.values:
            raise ActionRefused(f"Indicateur inconnu : {indicator}.")
        if value is not None and value < 0:
            raise ActionRefused("Un chiffre clé ne peut pas être négatif.")
        if qualifier not in Qualifier.values:
            raise ActionRefused("Précision inconnue.")
    for indicator, (value, qualifier, note) in figures.items():
        if value is None and not note:
            KeyFigure.objects.filter(project=project, region=region, indicator=indicator).delete()
            continue
        KeyFigure.objects.update_or_create(
            project=project,
            region=region,
            indicator=indicator,
            defaults={"value": value, "qualifier": qualifier, "note": note, "updated_by": by},
        )
    _record(project, by, "evaluation.set_key_figures", f"Chiffres clés saisis : {region_label(region)}")


@transaction.atomic
def set_assessments(project, *, texts, by):
    """The network's words on the general indicators: {GeneralIndicator: text}; an empty text
    removes the assessment."""
    for indicator, text in texts.items():
        if indicator not in GeneralIndicator.values:
            raise ActionRefused(f"Indicateur inconnu : {indicator}.")
        if text.strip():
            Assessment.objects.update_or_create(
                project=project, indicator=indicator, defaults={"text": text.strip(), "updated_by": by}
            )
        else:
            Assessment.objects.filter(project=project, indicator=indicator).delete()
    _record(project, by, "evaluation.set_assessments", "Appréciations des indicateurs généraux saisies")


COMMITTEE_RECORDS_YEARS = 10


def forget_old_committee_records(*, today=None):
    """The members and minutes of steering committees held more than COMMITTEE_RECORDS_YEARS
    years ago are erased (they may name people); the date and the region stay, for the counts.
    Returns how many committees were emptied; running it again empties nothing more."""
    today = today or timezone.localdate()
    limit = today.replace(year=today.year - COMMITTEE_RECORDS_YEARS, day=min(today.day, 28))
    return (
        SteeringCommittee.objects.filter(held_on__lt=limit)
        .exclude(members="", minutes="")
        .update(members="", minutes="")
    )
