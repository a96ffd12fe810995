"""The demo network's listings, built through the actions the pages call: twenty offers and
needs of every category from the demo's organisations, most published, one awaiting the
matchmaker's review, one sent back, two past their end date; a request to be put in touch
waiting to be forwarded, and one both sides accepted, for which a case is still to open.
Places, rooms and vehicles are invented. Running it again adds nothing."""

from datetime import timedelta

from django.utils import timezone

from reperes.listings import actions
from reperes.listings.models import Listing
from reperes.organisations.models import Organisation

C, K = Listing.Category, Listing.Kind
F, Co = Listing.Frequency, Listing.Conditions

# organisation slug, lead, kind, category, title, description, region, town, frequency,
# conditions, conditions detail, availability, state
LISTINGS = [
    ("jardins-du-lien", "alice", K.OFFER, C.PREMISES, "Salle de réunion le vendredi",
     "Une salle de douze places avec écran et tableau blanc, au rez-de-chaussée, accessible en "
     "fauteuil. Café et thé sur place.", "52", "Nantes", F.REGULAR, Co.FREE, "", "le vendredi", "published"),
    ("jardins-du-lien", "alice", K.OFFER, C.EQUIPMENT, "Utilitaire 9 places le week-end",
     "Un minibus de 9 places, permis B, pour des sorties ou des déménagements. Carburant à la charge "
     "de l'emprunteur.", "52", "Nantes", F.REGULAR, Co.AT_COST, "carburant et kilomètres",
     "samedi et dimanche", "published"),
    ("jardins-du-lien", "alice", K.NEED, C.SKILLS, "Aide pour la paie et les contrats aidés",
     "Notre encadrante technique fait la paie seule depuis un départ. Nous cherchons une personne "
     "qui connaisse les contrats aidés pour deux demi-journées de transmission.", "52", "Nantes", F.ONCE,
     Co.SHARED_COST, "", "en janvier", "published"),
    ("jardins-du-lien", "alice", K.OFFER, C.SERVICES, "Plants et paniers pour vos événements",
     "Nos jardins préparent des paniers de légumes de saison et des plants pour vos fêtes et "
     "assemblées générales.", "52", "Rezé", F.ONCE, Co.AT_COST, "", "d'avril à octobre", "submitted"),
    ("bois-et-compagnie", "dave", K.OFFER, C.EQUIPMENT, "Outillage de menuiserie à prêter",
     "Scie à panneaux, raboteuse et perceuses, prêtées avec une courte prise en main par un "
     "compagnon de l'atelier.", "76", "Toulouse", F.REGULAR, Co.FREE, "", "en semaine", "published"),
    ("bois-et-compagnie", "dave", K.OFFER, C.SKILLS, "Une journée de conseil en sécurité d'atelier",
     "Notre animateur sécurité peut passer une journée dans votre atelier pour repérer les risques "
     "et proposer des améliorations simples.", "76", "Toulouse", F.ONCE, Co.AT_COST,
     "salaire et frais refacturés", "", "published"),
    ("bois-et-compagnie", "dave", K.OFFER, C.STAFF_LENDING, "Menuisier·ère disponible deux mois",
     "Faute de commandes cet hiver, un poste de menuisier qualifié (poseur, dix ans de métier) peut "
     "être prêté à une structure qui en a besoin. La personne a été consultée ; son nom sera donné "
     "une fois son accord écrit recueilli.", "76", "Toulouse", F.CONTINUOUS, Co.AT_COST,
     "salaire, charges et frais refacturés sans marge", "janvier et février", "published"),
    ("bois-et-compagnie", "dave", K.NEED, C.SHARED_JOB, "Chargé·e de prévention à temps partagé",
     "Nous cherchons deux ou trois structures pour partager un poste de chargé·e de prévention des "
     "risques, par un groupement d'employeurs.", "76", "Albi", F.CONTINUOUS, Co.SHARED_COST, "", "",
     "published"),
    ("bois-et-compagnie", "dave", K.OFFER, C.PREMISES, "Espace de stockage 40 m²",
     "Un local sec et fermé dans notre atelier, accès par quai de chargement.", "76", "Toulouse",
     F.CONTINUOUS, Co.SHARED_COST, "loyer partagé au prorata", "", "sent_back"),
    ("rouletaboules", "emma", K.OFFER, C.SERVICES, "Réparation de vélos de service",
     "Notre atelier répare et entretient les vélos de vos salarié·es et de vos tournées.", "53",
     "Rennes", F.REGULAR, Co.AT_COST, "pièces et main-d'œuvre", "mardi et jeudi", "published"),
    ("rouletaboules", "emma", K.NEED, C.PREMISES, "Bureau partagé deux jours par semaine",
     "Nos deux salariées administratives cherchent un bureau calme deux jours par semaine près de la "
     "gare.", "53", "Rennes", F.REGULAR, Co.SHARED_COST, "", "lundi et mardi", "published"),
    ("rouletaboules", "emma", K.NEED, C.EQUIPMENT, "Ordinateurs portables reconditionnés",
     "Trois ordinateurs portables pour le télétravail de l'équipe, même anciens.", "53", "Rennes",
     F.ONCE, Co.AT_COST, "", "", "expired"),
    ("paniers-de-la-touvre", "julien", K.OFFER, C.PREMISES, "Chambre froide à partager",
     "Une chambre froide de 12 m³ dont nous n'utilisons que la moitié.", "75", "Angoulême",
     F.CONTINUOUS, Co.SHARED_COST, "électricité partagée", "", "published"),
    ("paniers-de-la-touvre", "julien", K.NEED, C.SKILLS, "Un regard sur notre communication",
     "Une personne qui connaisse la communication associative pour relire notre site et nos "
     "affiches, une demi-journée.", "75", "Angoulême", F.ONCE, Co.FREE, "", "", "published"),
    ("paniers-de-la-touvre", "julien", K.OFFER, C.SHARED_JOB, "Comptable à temps partagé",
     "Notre comptable (trois jours chez nous) peut travailler deux jours par mois pour une autre "
     "structure, par une convention de mise à disposition.", "75", "Angoulême", F.REGULAR, Co.AT_COST,
     "", "deux jours par mois", "published"),
    ("entraide-d-oc", "lucie", K.OFFER, C.SKILLS, "Formation aux premiers secours",
     "Nos deux formateurs SST peuvent former jusqu'à dix salarié·es d'une autre structure.", "76",
     "Montpellier", F.ONCE, Co.AT_COST, "frais des formateurs", "au printemps", "published"),
    ("entraide-d-oc", "lucie", K.OFFER, C.PREMISES, "Amphithéâtre de 80 places",
     "Pour vos assemblées générales : amphithéâtre sonorisé, accessible, avec parking.", "76",
     "Montpellier", F.ONCE, Co.FREE, "", "en soirée et le samedi", "published"),
    ("entraide-d-oc", "lucie", K.NEED, C.SERVICES, "Traduction en langue des signes",
     "Pour rendre nos réunions d'équipe accessibles à un collègue sourd, une fois par mois.", "76",
     "Montpellier", F.REGULAR, Co.AT_COST, "", "", "published"),
    ("ateliers-de-l-aber", "maelle", K.OFFER, C.EQUIPMENT, "Vidéoprojecteur et sonorisation",
     "Un vidéoprojecteur, un écran et deux micros, prêtés pour vos événements.", "53", "Brest",
     F.ONCE, Co.FREE, "", "", "published"),
    ("ateliers-de-l-aber", "maelle", K.NEED, C.STAFF_LENDING, "Renfort d'un·e encadrant·e technique",
     "Pendant un congé maternité, nous cherchons un·e encadrant·e technique d'atelier d'insertion "
     "prêté·e par une autre structure, à prix coûtant.", "53", "Brest", F.CONTINUOUS, Co.AT_COST,
     "", "de mars à juillet", "expired"),
]  # fmt: skip


def seed_listings(network, users):
    """The demo's listings and two requests to be put in touch; `users` by demo key."""
    if Listing.objects.filter(network=network).exists():
        return
    today = timezone.localdate()
    matchmaker = users["mia"]
    organisations = {org.slug: org for org in Organisation.objects.filter(affiliations__network=network)}
    made = {}
    for n, (slug, lead, kind, category, title, description, region, town, frequency, conditions, detail,
            availability, state) in enumerate(LISTINGS):  # fmt: skip
        by = users[lead]
        listing = actions.create_listing(
            organisations[slug],
            network=network,
            by=by,
            kind=kind,
            category=category,
            title=title,
            description=description,
            region=region,
            town=town,
            starts_on=None,
            ends_on=today + timedelta(days=60 + 9 * n),
            availability=availability,
            frequency=frequency,
            conditions=conditions,
            conditions_detail=detail,
        )
        listing = actions.submit_listing(listing, by=by)
        if state == "sent_back":
            listing = actions.review_listing(
                listing,
                decision="send_back",
                comment="Pouvez-vous préciser les horaires d'accès au local et s'il est assuré ?",
                by=matchmaker,
            )
        elif state in ("published", "expired"):
            listing = actions.review_listing(listing, decision="publish", by=matchmaker)
        if state == "expired":
            # Published months ago and past its end date: the actions never set a past date.
            Listing.objects.filter(pk=listing.pk).update(
                published_on=today - timedelta(days=120), ends_on=today - timedelta(days=10)
            )
        made[title] = listing
    # A request waiting for the matchmaker, and one both organisations accepted.
    actions.ask_contact(
        made["Salle de réunion le vendredi"],
        organisation=organisations["rouletaboules"],
        message="Nous aimerions y tenir notre conseil d'administration, un vendredi par trimestre.",
        by=users["emma"],
    )
    contact = actions.ask_contact(
        made["Chambre froide à partager"],
        organisation=organisations["jardins-du-lien"],
        message="Nos récoltes d'été manquent de froid : la moitié de votre chambre froide nous irait.",
        by=users["alice"],
    )
    actions.forward_contact(contact, by=matchmaker)
    actions.answer_contact(contact, accept=True, by=users["julien"])  # a case is still to open
