"""The demo network's catalogue of offers, built through the actions the staff's pages call: two
programmes or calls, three expert accompaniments (among them the free telework accompaniment for
organisations under 250 employees), a dozen trainings with their providers, formats, durations,
costs and training funds, the Bourgogne-Franche-Comté directory of HR support schemes, and one
offer that has expired (it shows on the staff's « Expirées » tab only).

Providers, people and addresses are invented; the schemes follow what such a regional directory
lists (advice, training advice, employment aid and subsidised contracts, management schemes,
contribution exemptions), in our own words. Running it again adds nothing."""

from datetime import timedelta

from django.utils import timezone

from reperes.offers import actions
from reperes.offers.models import Offer

PROGRAMME, EXPERT, TRAINING, HR_SCHEME = (
    Offer.Kind.PROGRAMME,
    Offer.Kind.EXPERT,
    Offer.Kind.TRAINING,
    Offer.Kind.HR_SCHEME,
)
ONSITE, REMOTE, MIXED = Offer.Format.ONSITE, Offer.Format.REMOTE, Offer.Format.MIXED
BFC = "27"
ESS_OPCOS = ["uniformation", "opco_sante", "afdas", "akto"]
TELEWORK_THEMES = ["activites", "pratiques", "hybride", "collectif", "charte"]


def _catalogue(today):
    """Every offer of the demo, as the fields create_offer takes; dates follow today's."""
    days = timedelta(days=1)
    return [
        # Programmes and calls
        {
            "kind": PROGRAMME,
            "title": "Parcours « Pour un télétravail de qualité »",
            "summary": "Quatre demi-journées en groupe pour organiser le travail à distance sans "
            "perdre la qualité de vie au travail.",
            "description": "Un parcours de **12 heures** en quatre ateliers, avec du travail entre "
            "deux séances :\n\n"
            "1. faire ensemble le point sur ce que le travail à distance a changé ;\n"
            "2. choisir ce qu'il faut changer, et repérer les formations utiles ;\n"
            "3. le cadre juridique, avec un·e conseiller·e prud'homal·e ;\n"
            "4. six mois après, le bilan.",
            "provider": "Réseau ESS démo, avec l'agence régionale des conditions de travail",
            "audience": "Un binôme par structure : une personne de la direction et une personne salariée",
            "format": ONSITE,
            "duration": "4 demi-journées (12 heures)",
            "cost": "Gratuit pour les adhérents",
            "subjects": [*TELEWORK_THEMES, "management-distance"],
            "contact_name": "Fiona Benali, accompagnatrice",
            "contact_email": "parcours@reseau-ess-demo.example",
            "starts_on": today - 30 * days,
            "ends_on": today + 150 * days,
        },
        {
            "kind": PROGRAMME,
            "title": "Appel à projets « Outils numériques choisis ensemble »",
            "summary": "Une aide pour remplacer un outil subi par un outil choisi avec l'équipe, "
            "de préférence libre.",
            "description": "Le réseau soutient une dizaine de projets par an : choix d'une suite "
            "collaborative, migration vers des logiciels libres, règles d'usage écrites avec "
            "l'équipe. Le dossier tient en deux pages.",
            "provider": "Réseau ESS démo",
            "cost": "Subvention de 1 000 à 5 000 €",
            "other_funding": "Fonds de dotation du réseau",
            "subjects": ["usages-outils", "inclusion-numerique", "outils-collaboratifs"],
            "max_employees": 249,
            "eligibility": "Structures adhérentes de moins de 250 salarié·es, à jour de cotisation. "
            "Dossier à déposer avant la date de fin de l'appel.",
            "contact_name": "Hugo Marchand",
            "contact_email": "appels@reseau-ess-demo.example",
            "starts_on": today - 10 * days,
            "ends_on": today + 75 * days,
        },
        # Expert accompaniment
        {
            "kind": EXPERT,
            "title": "Objectif télétravail : un·e expert·e à vos côtés",
            "summary": "Un accompagnement gratuit, par un·e expert·e, pour organiser le télétravail "
            "dans les structures de moins de 250 salarié·es.",
            "description": "Quelques rendez-vous avec un·e spécialiste de l'organisation du travail, "
            "sur le thème que vous choisissez : repérer avec l'équipe ce qui peut se faire à "
            "distance, améliorer les pratiques, articuler distance et présence sur site, garder le "
            "collectif, ou écrire une charte ou un accord.\n\n"
            "Vous pouvez en faire la demande depuis Repères.",
            "provider": "Agence régionale pour l'amélioration des conditions de travail",
            "format": MIXED,
            "duration": "2 à 4 rendez-vous",
            "cost": "Gratuit",
            "other_funding": "Financé par l'État",
            "subjects": TELEWORK_THEMES,
            "max_employees": 249,
            "eligibility": "Toute structure employeuse de moins de 250 salarié·es.",
            "contact_name": "Pôle accompagnement",
            "contact_email": "objectif-teletravail@aract-demo.example",
            "link": "https://aract-demo.example/objectif-teletravail",
        },
        {
            "kind": EXPERT,
            "title": "Diagnostic sécurité de votre informatique",
            "summary": "Une journée sur place pour faire le tour des sauvegardes, des mots de passe "
            "et des accès, et repartir avec une liste de priorités.",
            "provider": "Coopérative Octet Libre",
            "format": ONSITE,
            "duration": "1 jour, et un compte rendu écrit",
            "cost": "350 € ; la moitié prise en charge par le réseau",
            "subjects": ["securite-donnees", "equipement"],
            "size_bands": ["1-10", "11-49"],
            "contact_name": "Samir Haddad",
            "contact_email": "diagnostic@octet-libre.example",
            "contact_phone": "01 23 45 67 89",
        },
        {
            "kind": EXPERT,
            "title": "Permanence juridique : charte, accord et déconnexion",
            "summary": "Deux rendez-vous avec un·e juriste du droit du travail pour relire votre "
            "projet de charte ou d'accord.",
            "provider": "Cabinet Juris'ESS",
            "format": REMOTE,
            "duration": "2 rendez-vous d'1 h 30",
            "cost": "Gratuit pour les adhérents",
            "subjects": ["charte", "temps-deconnexion", "dialogue-social"],
            "contact_email": "permanence@juris-ess.example",
        },
        # Trainings
        *[
            {"kind": TRAINING, **training}
            for training in [
                {
                    "title": "Les bases du numérique au travail",
                    "summary": "Messagerie, dossiers partagés, visioconférence : prendre de "
                    "l'assurance avec les outils du quotidien.",
                    "provider": "Centre de formation Pas à Pas",
                    "audience": "Salarié·es et bénévoles peu à l'aise avec l'ordinateur",
                    "format": ONSITE,
                    "duration": "2 jours (14 heures)",
                    "cost": "420 € par personne",
                    "funders": ["uniformation", "akto", "opco_sante"],
                    "subjects": ["competences-numeriques", "metiers-competences"],
                },
                {
                    "title": "Travailler à plusieurs avec les outils collaboratifs",
                    "summary": "Documents partagés, agendas communs, messagerie d'équipe : choisir "
                    "et bien utiliser.",
                    "provider": "Coopérative Octet Libre",
                    "format": REMOTE,
                    "duration": "1 jour (7 heures)",
                    "cost": "250 € par personne",
                    "funders": ["uniformation", "afdas", "atlas"],
                    "subjects": ["outils-collaboratifs", "competences-numeriques"],
                },
                {
                    "title": "Manager une équipe à distance",
                    "summary": "Garder le lien, répartir le travail et repérer les signaux "
                    "d'alerte quand l'équipe n'est plus dans la même pièce.",
                    "provider": "Institut du management associatif",
                    "audience": "Dirigeant·es et encadrant·es, y compris bénévoles",
                    "format": MIXED,
                    "duration": "2 jours",
                    "cost": "690 € par personne",
                    "funders": ["uniformation", "opco_sante", "akto"],
                    "subjects": ["management-distance", "collectif", "pratiques"],
                },
                {
                    "title": "Animer des réunions hybrides",
                    "summary": "Une partie de l'équipe dans la salle, l'autre à l'écran : des "
                    "techniques pour que chacun·e ait sa place.",
                    "provider": "Centre de formation Pas à Pas",
                    "format": REMOTE,
                    "duration": "7 heures, en deux matinées",
                    "cost": "210 € par personne",
                    "funders": ["uniformation", "afdas"],
                    "subjects": ["hybride", "collectif", "outils-collaboratifs"],
                },
                {
                    "title": "Protéger les données de la structure",
                    "summary": "Sauvegardes, mots de passe, données personnelles : les gestes qui "
                    "évitent les mauvaises surprises.",
                    "provider": "Coopérative Octet Libre",
                    "format": ONSITE,
                    "duration": "1 jour",
                    "cost": "300 € par personne",
                    "funders": ["uniformation", "atlas", "opco_ep"],
                    "subjects": ["securite-donnees"],
                },
                {
                    "title": "Droit à la déconnexion : des règles d'équipe",
                    "summary": "Écrire ensemble quand on peut être joint·e, et comment signaler une "
                    "vraie urgence.",
                    "provider": "Cabinet Juris'ESS",
                    "format": REMOTE,
                    "duration": "3 h 30",
                    "cost": "120 € par personne",
                    "funders": ESS_OPCOS,
                    "subjects": ["temps-deconnexion", "charte"],
                },
                {
                    "title": "Prévenir l'isolement et la surcharge en télétravail",
                    "summary": "Repérer les risques du travail à distance et organiser la "
                    "prévention avec l'équipe.",
                    "provider": "Institut du management associatif",
                    "format": MIXED,
                    "duration": "2 jours",
                    "cost": "560 € par personne",
                    "funders": ["opco_sante", "uniformation"],
                    "subjects": ["pratiques", "collectif", "temps-deconnexion"],
                },
                {
                    "title": "Administrateur·rices bénévoles : piloter le virage numérique",
                    "summary": "Deux soirées pour les conseils d'administration : décider des "
                    "outils, de leurs règles et de leurs coûts.",
                    "provider": "Réseau ESS démo",
                    "audience": "Membres des conseils d'administration et bureaux",
                    "format": REMOTE,
                    "duration": "2 soirées de 2 heures",
                    "cost": "Gratuit",
                    "other_funding": "Pris en charge par le réseau",
                    "subjects": ["usages-outils", "management-distance"],
                },
                {
                    "title": "Un poste de travail confortable, au bureau comme à la maison",
                    "summary": "Écran, siège, lumière, pauses : les réglages qui évitent douleurs "
                    "et fatigue.",
                    "provider": "Ergonomie & Travail",
                    "format": REMOTE,
                    "duration": "3 heures",
                    "cost": "90 € par personne",
                    "funders": ["opco_sante", "uniformation", "akto"],
                    "subjects": ["equipement", "espaces-travail"],
                },
                {
                    "title": "Négocier le télétravail avec les représentant·es du personnel",
                    "summary": "Préparer et conduire la discussion qui mène à une charte ou à un accord.",
                    "provider": "Institut du management associatif",
                    "audience": "Binômes direction et représentant·es du personnel",
                    "format": ONSITE,
                    "duration": "1 jour",
                    "cost": "350 € par personne",
                    "funders": ["uniformation", "opco_sante"],
                    "subjects": ["dialogue-social", "charte"],
                },
                {
                    "title": "Les logiciels libres dans une petite association",
                    "summary": "Découvrir des outils libres pour la bureautique, le partage de "
                    "fichiers et les réunions, et ce que leur choix engage.",
                    "provider": "Coopérative Octet Libre",
                    "format": ONSITE,
                    "duration": "1 jour",
                    "cost": "180 € par personne",
                    "funders": ["uniformation", "afdas"],
                    "subjects": ["inclusion-numerique", "usages-outils"],
                    "size_bands": ["1-10", "11-49"],
                },
                {
                    "title": "Accompagner l'évolution des métiers",
                    "summary": "Entretiens professionnels et plan de développement des "
                    "compétences quand le numérique transforme les postes.",
                    "provider": "Centre de formation Pas à Pas",
                    "audience": "Dirigeant·es et personnes chargées des ressources humaines",
                    "format": MIXED,
                    "duration": "1 jour",
                    "cost": "320 € par personne",
                    "funders": ["uniformation", "akto", "afdas"],
                    "subjects": ["metiers-competences", "emploi-rh"],
                },
            ]
        ],
        # The regional directory of HR support schemes (Bourgogne-Franche-Comté)
        *[
            {"kind": HR_SCHEME, "regions": [BFC], **scheme}
            for scheme in [
                {
                    "title": "Appui-conseil RH pour les petites structures",
                    "summary": "Quelques jours d'un·e consultant·e pour mettre à plat "
                    "l'organisation du travail et la gestion du personnel, en grande partie "
                    "financés.",
                    "provider": "Services de l'État en région",
                    "duration": "Jusqu'à 10 jours de conseil",
                    "cost": "Reste à charge réduit",
                    "subjects": ["emploi-rh", "dialogue-social"],
                    "max_employees": 249,
                },
                {
                    "title": "Conseil en formation de votre OPCO",
                    "summary": "Un·e conseiller·e de l'opérateur de compétences aide à bâtir le "
                    "plan de formation et à trouver les financements.",
                    "provider": "Votre opérateur de compétences",
                    "cost": "Gratuit",
                    "funders": ESS_OPCOS,
                    "subjects": ["metiers-competences", "competences-numeriques"],
                },
                {
                    "title": "Aides à l'embauche et contrats aidés",
                    "summary": "Contrats aidés, aides à l'apprentissage, aides pour l'emploi des "
                    "personnes handicapées : ce qui allège le coût d'un recrutement.",
                    "provider": "Service public de l'emploi",
                    "cost": "Aide versée à l'employeur",
                    "subjects": ["emploi-rh"],
                    "eligibility": "Selon le contrat : public recruté, durée et temps de travail.",
                },
                {
                    "title": "Dispositifs de gestion : partager un emploi, simplifier la paie",
                    "summary": "Groupements d'employeurs et titres simplifiés pour déclarer et "
                    "payer : moins de gestion pour les plus petites structures.",
                    "provider": "Chambre régionale de l'ESS",
                    "cost": "Gratuit (information et orientation)",
                    "subjects": ["emploi-rh"],
                    "size_bands": ["1-10", "11-49"],
                },
                {
                    "title": "Exonérations et réductions de cotisations",
                    "summary": "Les allègements de cotisations patronales auxquels une structure "
                    "de l'ESS peut prétendre, selon ses embauches et son territoire.",
                    "provider": "Organismes de recouvrement",
                    "cost": "Baisse des cotisations",
                    "subjects": ["emploi-rh"],
                },
                {
                    "title": "Kit employeur : recruter, accueillir, fidéliser",
                    "summary": "Un kit de fiches pratiques pour mieux recruter, intégrer les "
                    "nouvelles personnes et donner envie de rester.",
                    "provider": "Réseau ESS démo, avec la chambre régionale de l'ESS",
                    "cost": "Gratuit, en téléchargement",
                    "subjects": ["emploi-rh", "collectif"],
                },
            ]
        ],
        # An offer past its end date: it has left the organisations' pages by itself.
        {
            "kind": TRAINING,
            "title": "Webinaire : le télétravail imposé par la crise",
            "summary": "Un webinaire de retour d'expérience sur le travail à distance imposé "
            "pendant la crise sanitaire.",
            "provider": "Réseau ESS démo",
            "format": REMOTE,
            "duration": "1 h 30",
            "cost": "Gratuit",
            "subjects": ["pratiques", "collectif"],
            "starts_on": today - 120 * days,
            "ends_on": today - 20 * days,
        },
    ]


def seed_offers(network, *, by, today=None):
    """The demo catalogue in `network`, created by `by` (a member of its staff). Offers whose
    title is already in the catalogue are left alone. Returns the offers created."""
    today = today or timezone.localdate()
    existing = set(Offer.objects.for_network(network).values_list("title", flat=True))
    return [
        actions.create_offer(network, by=by, **fields)
        for fields in _catalogue(today)
        if fields["title"] not in existing
    ]
