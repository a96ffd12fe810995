"""Demo sharing cases (reperes.matchmaking), through the same actions as the pages: a staff
lending at the legal step with its documents, premises waiting for one agreement, and a skills
sharing done and closed with its follow-up. Idempotent: nothing is added once the network has
cases."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from reperes.matchmaking import actions
from reperes.matchmaking.models import Case
from reperes.organisations.models import Organisation


def seed_cases(network, users, *, today=None):
    """Three cases of `network`; `users` are seed_demo's personas (the matchmaker is « mia »
    when the demo has one, else the administrator « hugo »)."""
    if Case.objects.filter(network=network).exists():
        return []
    today = today or timezone.localdate()
    by = users.get("mia") or users["hugo"]
    org = {org.slug: org for org in Organisation.objects.filter(affiliations__network=network)}
    return [
        _staff_lending(network, org, users, by, today),
        _premises(network, org, users, by),
        _skills(network, org, users, by, today),
    ]


def _agree_and_introduce(case, users, need_lead, partner_lead, by):
    actions.record_agreement(case, organisation=case.organisation, by=users[need_lead])
    actions.record_agreement(case, organisation=case.partner, by=users[partner_lead])
    return actions.introduce(case, by=by)


def _staff_lending(network, org, users, by, today):
    """Bois & Compagnie lends a joiner to Les Jardins du Lien for the winter: at the legal
    step, the employee agreed and is named, the documents can be generated."""
    case = actions.create_case(
        network,
        organisation=org["jardins-du-lien"],
        category="staff_lending",
        title="Un·e menuisier·e pour l'atelier de réemploi",
        need="Notre atelier de réemploi de mobilier manque d'encadrement technique cet hiver.",
        by=by,
    )
    actions.record_diagnostic(
        case,
        sought="Un·e encadrant·e technique deux jours par semaine, de janvier à avril, pour les ateliers.",
        notes="Entretien avec Alice : l'équipe en insertion a besoin d'un geste métier, pas d'un formateur.",
        by=by,
    )
    actions.calibrate(
        case,
        by=by,
        shared_what="Encadrement technique de l'atelier de réemploi, deux jours par semaine",
        unit=Case.Unit.DAYS,
        planned_volume=Decimal("32"),
        starts_on=today + timedelta(days=20),
        ends_on=today + timedelta(days=130),
        cost_note="Salaire, charges et frais refacturés au mois, sans marge",
        roles="Bois & Compagnie garde l'employeur ; les Jardins du Lien organisent le travail sur place.",
        arrangement=Case.Arrangement.LENDING,
        lender_side=Case.Side.PARTNER,
        salary=Decimal("3520.00"),
        charges=Decimal("1480.00"),
        expenses=Decimal("240.00"),
        invoiced=Decimal("5240.00"),
        duties="Encadrer les ateliers de réparation et de transformation de mobilier",
        hours="Mardi et jeudi, 8 h 30 – 16 h 30",
        place="Atelier des Jardins du Lien",
        post_features="Port de charges, usage de machines à bois",
        trial_period="",
    )
    case = actions.choose_partner(case, partner=org["bois-et-compagnie"], by=by)
    case = _agree_and_introduce(case, users, "alice", "dave", by)
    for item in ("employee-agreement", "lending-agreement", "no-sanction", "return"):
        actions.tick_item(case, item_id=item, done=True, by=by)
    actions.set_employee(case, name="Camille Roux", qualification="Menuisière, coefficient 210", by=by)
    actions.add_note(
        case, text="Le CSE de Bois & Compagnie se réunit le 12 : consultation à l'ordre du jour.", by=by
    )
    return case


def _premises(network, org, users, by):
    """Rouletaboules looks for a meeting room; Les Ateliers de l'Aber agreed, Rouletaboules
    has not answered yet."""
    case = actions.create_case(
        network,
        organisation=org["rouletaboules"],
        category="premises",
        title="Une salle pour l'assemblée générale",
        need="Une salle de trente places un samedi de juin, accessible en fauteuil.",
        by=by,
    )
    actions.record_diagnostic(
        case, sought="Une salle accessible, un samedi, à prix coûtant.", notes="", by=by
    )
    actions.calibrate(
        case,
        by=by,
        shared_what="La grande salle des Ateliers de l'Aber",
        unit=Case.Unit.DAYS,
        planned_volume=Decimal("1"),
        cost_note="Ménage partagé",
        arrangement=Case.Arrangement.NONE,
    )
    case = actions.choose_partner(case, partner=org["ateliers-de-l-aber"], by=by)
    actions.record_agreement(case, organisation=case.partner, by=users["maelle"])
    return case


def _skills(network, org, users, by, today):
    """A payroll specialist of the Mutuelle helped Les Paniers de la Touvre set up their payroll:
    done and closed."""
    case = actions.create_case(
        network,
        organisation=org["paniers-de-la-touvre"],
        category="skills",
        title="Mettre en place la paie en interne",
        need="Nous reprenons la paie en interne et cherchons un appui pour le paramétrage.",
        by=by,
    )
    actions.record_diagnostic(
        case, sought="Un appui ponctuel d'une personne experte en paie.", notes="", by=by
    )
    actions.calibrate(
        case,
        by=by,
        shared_what="Trois demi-journées d'appui au paramétrage de la paie",
        unit=Case.Unit.HOURS,
        planned_volume=Decimal("12"),
        cost_note="Gratuit, dans le cadre de la coopération du réseau",
        arrangement=Case.Arrangement.NONE,
    )
    case = actions.choose_partner(case, partner=org["entraide-d-oc"], by=by)
    case = _agree_and_introduce(case, users, "julien", "lucie", by)
    actions.record_follow_up(
        case,
        happened=True,
        shared_from=today - timedelta(days=40),
        shared_until=today - timedelta(days=12),
        hours_shared=Decimal("14"),
        follow_up_note="Paie de novembre faite en interne sans erreur.",
        need_satisfaction=Case.Satisfaction.VERY,
        partner_satisfaction=Case.Satisfaction.SATISFIED,
        by=by,
    )
    return actions.close_case(case, outcome=Case.Outcome.DONE, by=by)
