"""Demo data for the network's surveys of its member organisations: one closed survey with its
results (opened on 10 June, closing planned a month later and postponed to 23 October, as the
seed's Bourgogne-Franche-Comté survey was), and one open survey that some organisations have
answered and the named ones still have to.

Called by seed_demo after the observatory's generated organisations exist:
`seed_surveys(network, users)`. The surveys go through the same actions as the pages (create,
schedule, postpone, answer, close), with dates in the past passed as `today`. Idempotent: a
survey of the same title is not made twice.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

from reperes.instruments.models import Questionnaire
from reperes.surveys import actions
from reperes.surveys.models import Recipient, Survey

QUESTIONNAIRE = "enquete-pratiques-qvt"
CLOSED_TITLE = "Après la crise : vos pratiques et vos besoins"
OPEN_TITLE = "Qualité de vie au travail : où en sont les structures ?"

PRACTICES = [
    "Un point d'équipe de trente minutes chaque lundi, où l'on parle du travail de la semaine passée et pas "
    "seulement du planning.",
    "Les nouvelles personnes passent leur première semaine en binôme avec une personne de l'équipe.",
    "Une charte du télétravail écrite avec les salarié·es : deux jours au plus, des plages sans messages "
    "après 19 h.",
    "Un entretien annuel séparé de l'entretien professionnel, pour parler de la charge de travail.",
    "Des groupes d'échange entre intervenant·es à domicile, un jeudi par mois, payés comme du temps "
    "de travail.",
    "Un budget pour que chacun·e choisisse une formation courte dans l'année.",
]
EXPECTATIONS = [
    "Des exemples concrets d'autres structures de notre taille.",
    "Une formation commune pour la direction et les délégué·es du personnel.",
    "Un modèle d'accord sur le télétravail adapté aux petites associations.",
    "Des rencontres régulières entre structures du même département.",
]
# Chance of « oui » per theme: practices half in place, obstacles often felt, needs widely shared.
YES = {"enquete-pratiques": 0.5, "enquete-freins": 0.6, "enquete-besoins": 0.7}


def _answers(rng, spec):
    answers = {}
    for theme in spec.themes:
        for item in theme["items"]:
            roll = rng.random()
            chance = YES.get(theme["id"], 0.5)
            answers[item["id"]] = "oui" if roll < chance else ("nsp" if roll < chance + 0.1 else "non")
    return answers


def _answer(rng, recipient, *, by, today, quoted):
    spec = recipient.survey.spec
    texts = {}
    if quoted or rng.random() < 0.4:
        texts["enquete-bonne-pratique"] = rng.choice(PRACTICES)
    if rng.random() < 0.3:
        texts["enquete-attente"] = rng.choice(EXPECTATIONS)
    actions.save_answer(
        recipient,
        answers=_answers(rng, spec),
        texts=texts,
        quote_consent=quoted,
        submit=True,
        by=by,
        today=today,
    )


def seed_surveys(network, users):
    """The closed survey with its results and the open one. Returns them (closed, open)."""
    questionnaire = Questionnaire.objects.filter(slug=QUESTIONNAIRE).first()
    if questionnaire is None:
        return None, None
    version = questionnaire.latest_version()
    rng = random.Random(2020)
    today = timezone.localdate()
    analyst = users["nina"]

    closed = Survey.objects.filter(network=network, title=CLOSED_TITLE).first()
    if closed is None:
        opened_on = date(today.year if today >= date(today.year, 10, 24) else today.year - 1, 6, 10)
        closed = actions.create_survey(
            network,
            by=analyst,
            today=opened_on,
            title=CLOSED_TITLE,
            questionnaire_version=version,
            introduction=(
                "Après une année difficile, le réseau veut savoir ce que les structures ont mis en place "
                "pour leurs équipes, ce qui les freine et ce qu'elles attendent de lui."
            ),
            opens_on=opened_on,
            closes_on=opened_on + timedelta(days=30),
        )
        actions.schedule_survey(closed, by=analyst, today=opened_on)
        actions.postpone(
            closed, date(opened_on.year, 10, 23), by=analyst, today=opened_on + timedelta(days=25)
        )
        recipients = list(closed.recipients.select_related("organisation"))
        rng.shuffle(recipients)
        # About three organisations out of four answered, over the four months.
        for position, recipient in enumerate(recipients[: round(len(recipients) * 0.75)]):
            day = opened_on + timedelta(days=rng.randint(0, 130))
            _answer(rng, recipient, by=None, today=day, quoted=position % 5 == 0)
        actions.close_survey(closed, by=analyst, today=date(opened_on.year, 10, 24))

    current = Survey.objects.filter(network=network, title=OPEN_TITLE).first()
    if current is None:
        opened_on = today - timedelta(days=12)
        current = actions.create_survey(
            network,
            by=analyst,
            today=opened_on,
            title=OPEN_TITLE,
            questionnaire_version=version,
            introduction=(
                "Quinze questions, une réponse par structure. Vos réponses restent confidentielles : "
                "le réseau n'en verra que des chiffres par région, secteur ou taille, à la clôture."
            ),
            opens_on=opened_on,
            closes_on=today + timedelta(days=18),
        )
        actions.schedule_survey(current, by=analyst, today=opened_on)
        named = {"jardins-du-lien", "bois-et-compagnie", "rouletaboules", "paniers-de-la-touvre"}
        others = list(current.recipients.exclude(organisation__slug__in=named).select_related("organisation"))
        rng.shuffle(others)
        for recipient in others[: len(others) // 3]:
            _answer(
                rng, recipient, by=None, today=opened_on + timedelta(days=rng.randint(0, 11)), quoted=False
            )
        # Bois & Compagnie has begun: a draft.
        started = Recipient.objects.filter(survey=current, organisation__slug="bois-et-compagnie").first()
        if started is not None:
            actions.save_answer(
                started,
                answers={"enquete-entretiens": "oui", "enquete-consultation": "nsp"},
                texts={},
                quote_consent=False,
                submit=False,
                by=users.get("dave"),
                today=today,
            )
    return closed, current
