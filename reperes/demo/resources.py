"""The demo network's library, built through the actions the staff's pages call: the guides of a
regional QVT experiment (social dialogue and QVT in home care and integration; taking care of
one's staff in an ESS organisation; an employer kit), the inventory of HR tools for remote work
shown in the telework programme, syntheses and replays, HR news (some in the public feed) and
one archived item whose project has ended.

The facts come from the source documents in shared/seeds (004 and 000); every sentence is ours.
Addresses are invented (example.org). Running it again adds nothing."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reperes.demo.programmes import one_page_pdf
from reperes.offers.models import Offer
from reperes.resources import actions
from reperes.resources.models import Resource

GUIDE, NEWS, SYNTHESIS, REPLAY, TOOL, ARTICLE = (
    Resource.Kind.GUIDE,
    Resource.Kind.NEWS,
    Resource.Kind.SYNTHESIS,
    Resource.Kind.REPLAY,
    Resource.Kind.TOOL,
    Resource.Kind.ARTICLE,
)


def _pdf(name, lines):
    return SimpleUploadedFile(name, one_page_pdf(lines), content_type="application/pdf")


def _library(today):
    """Every item of the demo, as the fields create_resource takes (plus `offer_titles` and
    `archived`); dates of the news follow today's."""
    days = timedelta(days=1)
    return [
        # Guides and kits
        {
            "kind": GUIDE,
            "title": "Dialogue social et QVT dans l'aide à domicile et l'insertion",
            "summary": "Issu d'une expérimentation régionale menée avec les organisations syndicales, ce "
            "guide recense des pratiques de dialogue social repérées dans de petites associations d'aide "
            "à domicile et des structures d'insertion.\n\n"
            "Il avance en quatre temps :\n\n"
            "- passer de l'obligation de prévention à une démarche de qualité de vie au travail ;\n"
            "- agir sur la QVT par le dialogue social ;\n"
            "- faire vivre le dialogue professionnel au quotidien ;\n"
            "- savoir où trouver de l'aide pour aller plus loin.\n\n"
            "Pensé pour toutes les structures de l'ESS, pas seulement pour ces deux secteurs.",
            "published_on": today.replace(year=2021, month=7, day=20),
            "subjects": ["dialogue-social", "emploi-rh"],
            "upload": _pdf(
                "Guide dialogue social et QVT.pdf",
                [
                    "Dialogue social et QVT - aide a domicile et insertion",
                    "1. De la prevention a la qualite de vie au travail",
                    "2. Dialogue social et QVT : comment agir",
                    "3. Les outils du dialogue professionnel",
                    "4. Se faire accompagner",
                ],
            ),
            "offer_titles": ["Négocier le télétravail avec les représentant·es du personnel"],
        },
        {
            "kind": GUIDE,
            "title": "Prendre soin de ses collaborateurs dans une structure de l'ESS",
            "summary": "Un guide écrit après une enquête auprès d'employeurs de l'ESS, au sortir du premier "
            "confinement : les pratiques qui ont aidé les équipes à tenir, et celles qui ont manqué.\n\n"
            "Pour les petites structures d'abord, qui manquent souvent de temps et de personnes formées "
            "pour travailler la qualité de vie au travail.",
            "published_on": today.replace(year=2021, month=9, day=15),
            "subjects": ["emploi-rh", "collectif", "management-distance"],
            "link": "https://ressources.example.org/guide-prendre-soin-collaborateurs",
        },
        {
            "kind": GUIDE,
            "title": "Kit employeur : recruter, accueillir, fidéliser",
            "summary": "Un kit conçu en Bourgogne-Franche-Comté pour les structures de moins de vingt "
            "salarié·es : réfléchir à l'emploi sur son territoire, organiser la gestion des ressources "
            "humaines, rendre ses métiers plus attirants. Une courte vidéo tournée avec des employeurs "
            "l'accompagne.",
            "published_on": today.replace(year=2021, month=2, day=1),
            "subjects": ["emploi-rh", "metiers-competences"],
            "regions": ["27"],
            "link": "https://ressources.example.org/kit-employeur",
            "offer_titles": [
                "Kit employeur : recruter, accueillir, fidéliser",
                "Aides à l'embauche et contrats aidés",
            ],
        },
        # Tools
        {
            "kind": TOOL,
            "title": "Inventaire des outils RH pour organiser le travail à distance",
            "summary": "Présenté au deuxième atelier du parcours « Pour un télétravail de qualité » par un "
            "intervenant spécialiste de la prévention : les outils RH qui aident à organiser le travail à "
            "distance de façon efficace et responsable (charte, entretiens, suivi de la charge, règles de "
            "déconnexion).\n\n"
            "À lire avant d'ouvrir l'inventaire des activités télétravaillables de votre espace.",
            "published_on": today.replace(year=2021, month=10, day=19),
            "subjects": ["activites", "pratiques", "temps-deconnexion", "charte"],
            "upload": _pdf(
                "Inventaire outils RH travail a distance.pdf",
                [
                    "Inventaire des outils RH pour le travail a distance",
                    "- Une charte ou un accord, ecrit avec l'equipe",
                    "- Un entretien annuel qui parle de la charge de travail",
                    "- Des regles de deconnexion connues de tous",
                    "- Un suivi des activites teletravaillables",
                ],
            ),
            "offer_titles": ["Parcours « Pour un télétravail de qualité »"],
        },
        {
            "kind": TOOL,
            "title": "Répertoire régional des dispositifs RH",
            "summary": "Le répertoire tenu par la chambre régionale de l'ESS : appui-conseil, conseil en "
            "formation, aides à l'emploi et contrats aidés, dispositifs de gestion, exonérations. Ses "
            "fiches sont reprises une à une dans le catalogue d'offres du réseau : cette ressource y "
            "renvoie plutôt que de les recopier.",
            "published_on": today.replace(year=2021, month=1, day=15),
            "subjects": ["emploi-rh"],
            "regions": ["27"],
            "offer_titles": [
                "Appui-conseil RH pour les petites structures",
                "Conseil en formation de votre OPCO",
                "Dispositifs de gestion : partager un emploi, simplifier la paie",
                "Exonérations et réductions de cotisations",
            ],
        },
        # Syntheses and replays
        {
            "kind": SYNTHESIS,
            "title": "Conférence sociale régionale de l'ESS : la synthèse",
            "summary": "Quatre séances de travail entre employeurs et syndicats, sur huit mois, autour de "
            "quatre thèmes : les modèles économiques de l'ESS, la formation professionnelle, les "
            "conditions de travail et la transformation numérique.\n\n"
            "La synthèse retient quatre axes : consolider le modèle socio-économique, miser sur la "
            "formation pour rendre le secteur attirant, s'appuyer sur un dialogue social et professionnel "
            "de qualité, et former employeurs, élu·es et salarié·es à ces enjeux.",
            "published_on": today.replace(year=2021, month=10, day=1),
            "subjects": ["dialogue-social", "metiers-competences"],
            "regions": ["28"],
            "upload": _pdf(
                "Synthese conference sociale.pdf",
                [
                    "Conference sociale regionale de l'ESS - synthese",
                    "Axe 1 : le modele socio-economique",
                    "Axe 2 : la formation et l'attractivite",
                    "Axe 3 : un dialogue social de qualite",
                    "Axe 4 : former employeurs, elus et salaries",
                ],
            ),
        },
        {
            "kind": REPLAY,
            "title": "Replay : les quatre séances de la conférence sociale",
            "summary": "Près de douze heures d'échanges, suivies par quelque 400 personnes en direct ou en "
            "différé. Chaque séance se regarde à part.",
            "published_on": today.replace(year=2021, month=6, day=30),
            "subjects": ["dialogue-social"],
            "regions": ["28"],
            "link": "https://video.example.org/conference-sociale-ess",
        },
        {
            "kind": REPLAY,
            "title": "Replay : sensibiliser le CSE à la qualité de vie au travail",
            "summary": "Une web-conférence avec deux structures d'aide à domicile : comment elles ont mis "
            "la QVT à l'ordre du jour de leur comité social et économique, et ce que cela a changé.",
            "published_on": today.replace(year=2021, month=6, day=29),
            "subjects": ["dialogue-social"],
            "link": "https://video.example.org/cse-et-qvt",
        },
        {
            "kind": SYNTHESIS,
            "title": "Ce que l'enquête auprès des employeurs nous a appris",
            "summary": "Vingt-neuf structures, surtout des associations, ont répondu à l'enquête lancée "
            "après le premier confinement. Ce qui ressort : un manque d'outils RH, et des recrutements "
            "difficiles à cause de la pénibilité, de la distance et d'un manque de reconnaissance.",
            "published_on": today.replace(year=2020, month=11, day=30),
            "subjects": ["emploi-rh"],
            "archived": True,  # the experiment's site has closed: kept, out of the lists
        },
        # HR news
        {
            "kind": NEWS,
            "title": "Un accord sur le numérique signé dans l'ESS",
            "summary": "Employeurs et syndicats de l'ESS se sont entendus sur un accord qui traite du "
            "numérique au travail, télétravail et déconnexion compris. Des fiches pratiques doivent "
            "suivre ; nous les ajouterons ici.",
            "published_on": today - 12 * days,
            "subjects": ["charte", "temps-deconnexion", "dialogue-social"],
            "public": True,
        },
        {
            "kind": NEWS,
            "title": "Élections du CSE : préparer le calendrier",
            "summary": "Si le mandat de vos élu·es arrive à son terme dans l'année, c'est le moment de "
            "prévoir l'information du personnel et la négociation du protocole électoral. Notre "
            "permanence juridique répond à vos questions.",
            "published_on": today - 5 * days,
            "subjects": ["dialogue-social"],
            "public": True,
            "offer_titles": ["Permanence juridique : charte, accord et déconnexion"],
        },
        {
            "kind": NEWS,
            "title": "Nouvelle session du parcours télétravail",
            "summary": "Quatre demi-journées entre deux saisons, avec du travail entre les ateliers et un "
            "bilan six mois après. Les inscriptions se font depuis l'espace de votre structure.",
            "published_on": today - 2 * days,
            "subjects": ["activites", "pratiques", "hybride", "collectif", "charte"],
            "offer_titles": ["Parcours « Pour un télétravail de qualité »"],
        },
        {
            "kind": ARTICLE,
            "title": "Égalité professionnelle : un binôme dirigeant·e et salarié·e",
            "summary": "Retour sur un accompagnement collectif où chaque structure venait à deux, une "
            "personne de la direction et une personne salariée, pour travailler l'égalité entre les "
            "femmes et les hommes.",
            "published_on": today.replace(year=2021, month=5, day=10),
            "subjects": ["dialogue-social", "emploi-rh"],
            "regions": ["44"],
        },
    ]


def seed_resources(network, *, author, today=None):
    """The demo library of `network`, written by `author` (a member of its staff). Items whose
    title is already in the library are left alone. Returns the items created."""
    today = today or timezone.localdate()
    existing = set(Resource.objects.for_network(network).values_list("title", flat=True))
    offers = {offer.title: offer for offer in Offer.objects.for_network(network)}
    created = []
    for fields in _library(today):
        if fields["title"] in existing:
            continue
        fields = dict(fields)
        archived = fields.pop("archived", False)
        linked = [offers[title] for title in fields.pop("offer_titles", []) if title in offers]
        resource = actions.create_resource(network, by=author, offers=linked, **fields)
        if archived:
            resource = actions.archive_resource(resource, by=author)
        created.append(resource)
    return created
