"""The demo network's past project for the programme evaluation: the LAB'QVT, a two-year
experiment (October 2019 – October 2021) run in five regions, with its key figures per region and
its national figures exactly as its closing report gives them, so that the key-figures page can be
compared with that report's table. The national figures are entered on their own: 51 posts on X
nationally while the regions' add up to 45. Texts are ours. Running it again adds nothing."""

from datetime import date, timedelta

from django.utils import timezone

from reperes.evaluation import actions
from reperes.evaluation.models import NATIONAL, GeneralIndicator, Indicator, Partner, Project, Qualifier

TITLE = "LAB'QVT 2019–2021"
GRAND_EST, PACA, BFC, NORMANDIE, BRETAGNE = "44", "93", "27", "28", "53"

# {region: {indicator: value}}; a tuple is (value, qualifier, words).
KEY_FIGURES = {
    GRAND_EST: {
        Indicator.PEOPLE: 3,
        Indicator.REGIONAL_COMMITTEES: 3,
        Indicator.AGENDA: 3,
        Indicator.TWEETS: 11,
        Indicator.LINKEDIN: 6,
        Indicator.ARTICLES: 8,
        Indicator.SURVEYS: 1,
        Indicator.UNIONS: 4,
    },
    PACA: {
        Indicator.PEOPLE: 6,
        Indicator.INTERVIEWS: 6,
        Indicator.PROVIDERS: 1,
        Indicator.REGIONAL_COMMITTEES: 2,
        Indicator.AGENDA: 4,
        Indicator.TWEETS: 15,
        Indicator.LINKEDIN: 6,
        Indicator.ARTICLES: 7,
        Indicator.MAILINGS: 1,
        Indicator.TOOLS: 2,  # a teaching video and a trainer's kit
        Indicator.SURVEYS: 1,
        Indicator.SURVEY_ANSWERS: 93,
        Indicator.PARTNERS: 6,
    },
    BFC: {
        Indicator.PEOPLE: 4,
        Indicator.PROVIDERS: 1,
        Indicator.REGIONAL_COMMITTEES: 10,
        Indicator.AGENDA: 6,
        Indicator.TWEETS: 11,
        Indicator.LINKEDIN: 6,
        Indicator.ARTICLES: 5,
        Indicator.SURVEYS: 1,
        Indicator.SURVEY_ANSWERS: 30,
        Indicator.PARTNERS: 2,
    },
    NORMANDIE: {
        Indicator.EVENTS: 4,
        Indicator.SPEAKERS: 28,
        Indicator.AUDIENCE: (400, Qualifier.ABOUT, ""),
        Indicator.HOURS: 12,
        Indicator.TWEETS: 8,
        Indicator.LINKEDIN: 4,
        Indicator.ARTICLES: 7,
        Indicator.UNIONS: 3,
    },
    NATIONAL: {
        Indicator.PEOPLE: (None, Qualifier.EXACT, "plusieurs dizaines"),
        Indicator.PROVIDERS: 2,
        Indicator.NATIONAL_COMMITTEES: 5,
        Indicator.REGIONAL_COMMITTEES: 20,
        Indicator.AGENDA: 11,
        Indicator.TWEETS: 51,
        Indicator.LINKEDIN: 30,
        Indicator.ARTICLES: 37,
        Indicator.SURVEYS: 2,
        Indicator.SURVEY_ANSWERS: (120, Qualifier.AT_LEAST, ""),
        Indicator.PARTNERS: 15,
    },
}

NATIONAL_COMMITTEE_MEMBERS = (
    "Administrateur·rices de l'union d'employeurs, équipe technique, délégué·es et référent·es régionaux "
    "du projet, organisations syndicales de salarié·es, agence nationale pour l'amélioration des "
    "conditions de travail, mutuelle partenaire."
)

COMMITTEES = [
    (
        NATIONAL,
        date(2020, 2, 18),
        NATIONAL_COMMITTEE_MEMBERS,
        "Lancement : les cinq expérimentations régionales.",
    ),
    (PACA, date(2020, 6, 10), "Union d'employeurs, CRESS, OPCO de l'ESS, DREETS, ARACT, AGEFIPH.", ""),
    (
        NATIONAL,
        date(2020, 6, 23),
        NATIONAL_COMMITTEE_MEMBERS,
        "Effets de la crise sanitaire sur le calendrier.",
    ),
    (
        PACA,
        date(2020, 9, 24),
        "Union d'employeurs, CRESS, OPCO de l'ESS, DREETS, ARACT, AGEFIPH.",
        "Audition des cabinets candidats et choix du prestataire de la formation.",
    ),
    (NATIONAL, date(2021, 1, 14), NATIONAL_COMMITTEE_MEMBERS, ""),
    (NATIONAL, date(2021, 6, 24), NATIONAL_COMMITTEE_MEMBERS, "Préparation de la restitution d'octobre."),
    (NATIONAL, date(2021, 11, 2), NATIONAL_COMMITTEE_MEMBERS, "Bilan et suites du projet."),
]

PARTNERS = [
    (
        "ANACT (fonds pour l'amélioration des conditions de travail)",
        Partner.Kind.FUNDER,
        NATIONAL,
        "appel à projets",
    ),
    ("Chorum", Partner.Kind.FUNDER, NATIONAL, "soutien du projet, baromètre QVT"),
    (
        "DREETS Grand Est",
        Partner.Kind.PARTNER,
        GRAND_EST,
        "relais de l'enquête par ses unités départementales",
    ),
    ("ARACT Grand Est", Partner.Kind.PARTNER, GRAND_EST, "co-animation des web conférences"),
    ("CRESS Provence-Alpes-Côte d'Azur", Partner.Kind.PARTNER, PACA, "comité de pilotage"),
    ("AGEFIPH", Partner.Kind.PARTNER, PACA, "comité de pilotage"),
    ("CRESS Bourgogne-Franche-Comté", Partner.Kind.PARTNER, BFC, "répertoire des dispositifs RH"),
    ("Conseil régional de Normandie", Partner.Kind.PARTNER, NORMANDIE, "conférence sociale régionale"),
    ("Région Bretagne", Partner.Kind.FUNDER, BRETAGNE, "parcours égalité professionnelle"),
]

ASSESSMENTS = {
    GeneralIndicator.BODIES: (
        "En Grand Est, l'espace régional de dialogue social, créé quelques mois avant le projet, s'est "
        "structuré autour de lui. Six espaces existaient au départ ; six autres se créent pour couvrir "
        "toute la métropole."
    ),
    GeneralIndicator.PROJECT_MODE: (
        "Cinq régions ont conduit chacune une expérimentation avec son propre comité de pilotage. La "
        "crise sanitaire a décalé les calendriers, mais les trois phases prévues (lancement, déploiement,"
        " capitalisation) ont été tenues, les rencontres passant à distance quand il le fallait."
    ),
    GeneralIndicator.OTHER_REGIONS: (
        "L'espace régional d'Auvergne-Rhône-Alpes a suivi la formation menée en Provence-Alpes-Côte "
        "d'Azur et envisage une démarche voisine, sous l'angle de la transition numérique."
    ),
    GeneralIndicator.PARTNERS: (
        "Une quinzaine de partenaires mobilisés selon les régions : agences régionales des conditions de "
        "travail, chambres régionales de l'ESS, OPCO, services de l'État, conseils régionaux. En "
        "Normandie, un accord avec la Région sur l'emploi et la formation a suivi la conférence sociale."
    ),
    GeneralIndicator.MOBILISATION: (
        "Les enquêtes ont bien mobilisé les adhérents là où elles sont parties tôt (93 structures en "
        "Provence-Alpes-Côte d'Azur), moins pendant la crise, quand les questionnaires se multipliaient. "
        "Les webinaires ont permis de garder le lien."
    ),
}


def seed_evaluation(network):
    """Enter the LAB'QVT as a past project of `network` (a national network), and the network's
    current programme as a project whose figures Repères computes from its cohorts and events
    (call it after seed_programmes). Returns the LAB'QVT."""
    _current_programme(network)
    project = Project.objects.filter(network=network, title=TITLE).first()
    if project is not None:
        return project
    project = actions.create_project(
        network,
        title=TITLE,
        starts_on=date(2019, 10, 1),
        ends_on=date(2021, 10, 31),
        description="Expérimentations régionales sur la qualité de vie au travail dans l'ESS, soutenues "
        "par un appel à projets national : Bretagne, Bourgogne-Franche-Comté, Grand Est, Normandie et "
        "Provence-Alpes-Côte d'Azur. Un projet passé, saisi pour comparer ses chiffres clés.",
        by=None,
    )
    for region, figures in KEY_FIGURES.items():
        entered = {}
        for indicator, figure in figures.items():
            entered[indicator.value] = figure if isinstance(figure, tuple) else (figure, Qualifier.EXACT, "")
        actions.set_key_figures(project, region=region, figures=entered, by=None)
    for region, held_on, members, minutes in COMMITTEES:
        actions.add_committee(
            project, region=region, held_on=held_on, members=members, minutes=minutes, by=None
        )
    for name, kind, region, contribution in PARTNERS:
        actions.add_partner(project, name=name, kind=kind, region=region, contribution=contribution, by=None)
    actions.set_assessments(project, texts={k.value: v for k, v in ASSESSMENTS.items()}, by=None)
    return project


CURRENT = "Accompagnement télétravail et QVT (en cours)"


def _current_programme(network):
    if Project.objects.filter(network=network, title=CURRENT).exists():
        return
    cohorts, events = list(network.cohorts.all()), list(network.network_events.all())
    starts_on = timezone.localdate() - timedelta(days=365)  # the demo's workshops and events fall within
    actions.create_project(
        network,
        title=CURRENT,
        starts_on=starts_on,
        description="Les cohortes et les événements du réseau de cette année : Repères en compte la "
        "participation, la satisfaction et les structures touchées.",
        cohorts=cohorts,
        events=events,
        by=None,
    )
