"""While a request waits, what the organisation can already do: for each theme, the Repères
tools that work on it and the network's offers that serve it.

Also which request theme a weak theme of a team diagnostic calls for, so that the results page
can offer to ask for help on it with the theme already ticked.
"""

from dataclasses import dataclass

from django.urls import reverse

from reperes.offers.matching import matching_offers
from reperes.requests.models import Theme


@dataclass(frozen=True)
class Tool:
    url_name: str
    label: str
    text: str
    fiche: str = ""  # a fiche slug: the link goes to the fiche, not to the team space
    query: str = ""

    def url(self, organisation):
        if self.fiche:
            return reverse("fiches:detail", args=[self.fiche])
        return reverse(self.url_name, args=[organisation.slug]) + self.query


def _fiche(slug, label, text):
    return Tool("fiches:detail", label, text, fiche=slug)


TOOLS = {
    Theme.ACTIVITES: [
        Tool(
            "telework:inventory",
            "L'inventaire des activités",
            "Listez avec l'équipe les tâches de chaque poste et ce qu'il faudrait pour en faire "
            "une partie à distance : c'est la base de toute discussion sur le télétravail.",
        ),
    ],
    Theme.PRATIQUES: [
        Tool(
            "campaigns:create",
            "Le diagnostic « Télétravail : où en sommes-nous ? »",
            "Faites-le passer à l'équipe, anonymement : il montre ce qui tient et ce qui coince "
            "dans vos pratiques actuelles.",
            query="?questionnaire=teletravail-preparation",
        ),
        _fiche(
            "teletravail-charge-de-travail",
            "Fiche : organiser le travail à distance et suivre la charge",
            "Des repères pour répartir le travail, garder le contact et éviter la surcharge.",
        ),
        _fiche(
            "teletravail-acces-pour-toutes",
            "Fiche : un télétravail accessible à toutes et tous",
            "Pour que le télétravail ne laisse personne de côté.",
        ),
    ],
    Theme.HYBRIDE: [
        _fiche(
            "espaces-de-travail",
            "Fiche : organiser les espaces de travail",
            "Bureaux partagés, jours de présence, lieux calmes : penser le site avec le distanciel.",
        ),
        _fiche(
            "temps-de-travail",
            "Fiche : organiser le temps de travail",
            "Plages communes, horaires et droit à la déconnexion quand l'équipe est dispersée.",
        ),
    ],
    Theme.COLLECTIF: [
        _fiche(
            "teletravail-collectif",
            "Fiche : garder le collectif et prévenir l'isolement",
            "Rituels, temps de rencontre et attention aux personnes qui travaillent seules.",
        ),
        _fiche(
            "pratiques-manageriales",
            "Fiche : l'évolution des pratiques managériales",
            "Encadrer à distance : confiance, objectifs, disponibilité.",
        ),
    ],
    Theme.CHARTE: [
        Tool(
            "charters:list",
            "Le rédacteur de charte de télétravail",
            "Choisissez vos clauses une à une, discutez-les en équipe et publiez une charte "
            "datée, prête à présenter au CSE s'il y en a un.",
        ),
        _fiche(
            "teletravail-cadre-juridique",
            "Fiche : le cadre juridique du télétravail",
            "Charte, accord ou avenant : ce que la loi demande selon votre situation.",
        ),
    ],
}


def orientation(organisation, themes, *, offers_per_theme=3):
    """[{theme, label, tools: [(label, text, url)], offers: [Offer]}] for each theme, in the
    order of Theme."""
    guidance = []
    for code in [code for code in Theme.values if code in set(themes)]:
        guidance.append(
            {
                "theme": code,
                "label": Theme(code).label,
                "tools": [(tool.label, tool.text, tool.url(organisation)) for tool in TOOLS[code]],
                "offers": matching_offers(organisation, subjects=[code], limit=offers_per_theme),
            }
        )
    return guidance


# Weak themes of a team diagnostic ("<questionnaire>:<theme>") and the request theme each one
# calls for. Themes with no telework side (career paths…) call for none.
THEMES_FROM_RESULTS = {
    "teletravail-preparation:tt-activites": Theme.ACTIVITES,
    "teletravail-preparation:tt-organisation": Theme.PRATIQUES,
    "teletravail-preparation:tt-equipement": Theme.PRATIQUES,
    "teletravail-preparation:tt-outils": Theme.PRATIQUES,
    "teletravail-preparation:tt-charge": Theme.PRATIQUES,
    "teletravail-preparation:tt-lieux": Theme.HYBRIDE,
    "teletravail-preparation:tt-collectif": Theme.COLLECTIF,
    "teletravail-preparation:tt-cadre": Theme.CHARTE,
    "teletravail-crise:crise-decision": Theme.CHARTE,
    "teletravail-crise:crise-adaptation": Theme.PRATIQUES,
    "teletravail-crise:crise-moyens": Theme.PRATIQUES,
    "teletravail-crise:crise-communication": Theme.COLLECTIF,
    "teletravail-crise:crise-activite": Theme.ACTIVITES,
    "teletravail-crise:crise-outils": Theme.PRATIQUES,
    "qvt-numerique:information": Theme.PRATIQUES,
    "qvt-numerique:temps": Theme.HYBRIDE,
    "qvt-numerique:espaces": Theme.HYBRIDE,
    "qvt-numerique:management": Theme.COLLECTIF,
    "droit-deconnexion:dec-horaires": Theme.CHARTE,
    "droit-deconnexion:dec-messages": Theme.PRATIQUES,
    "droit-deconnexion:dec-urgences": Theme.CHARTE,
    "droit-deconnexion:dec-vigilance": Theme.COLLECTIF,
    "droit-deconnexion:dec-sensibilisation": Theme.PRATIQUES,
}


def request_themes_for(weak_themes):
    """The request themes the weak themes call for, weakest first, without repeats."""
    themes = [THEMES_FROM_RESULTS[key] for key in weak_themes if key in THEMES_FROM_RESULTS]
    return list(dict.fromkeys(themes))
