"""Demo data for the network observatory: about sixty generated member organisations of the demo
network, in several regions, sizes and sectors, most of them agreeing to contribute, with closed
QVT diagnostics (answers created in bulk, then stored as the closing does), some answered twice,
maturity levels, charters and actions; and two releases, a quarter ago and today.

Called by seed_demo after the named organisations exist: `seed_observatory(network, users)`.
Generated rows go in with bulk_create (a few seconds); the stored results and the releases go
through the same functions as the real closing and publication. Idempotent: the generated
organisations are recognised by their slug prefix.
"""

import random
import secrets
from datetime import datetime, time, timedelta

from django.utils import timezone

from reperes.action_plans.models import Action, Status
from reperes.campaigns.models import Answer, Campaign, Response
from reperes.charters.models import CharterStatus, Instrument, TeleworkCharter
from reperes.instruments.models import Questionnaire
from reperes.maturity.models import Assessment
from reperes.observatory.actions import publish_release
from reperes.observatory.models import Release
from reperes.organisations import actions as organisation_actions
from reperes.organisations.models import Affiliation, Organisation
from reperes.requests.models import Request
from reperes.results.actions import store_results

PREFIX = "obs-"
COUNT = 60
# Regions weighted as a national network's members might be: most in six regions, a few
# elsewhere (their cells stay hidden: too few organisations).
REGIONS = [
    ("53", 14),
    ("52", 12),
    ("76", 12),
    ("84", 8),
    ("11", 6),
    ("75", 5),
    ("93", 2),
    ("44", 1),
    ("04", 1),
]
EMPLOYEES = [6, 9, 12, 15, 18, 24, 32, 45, 60, 85, 140]
SECTORS = [
    "animation",
    "insertion",
    "sanitaire_social",
    "aide_domicile",
    "culture",
    "environnement",
    "industrie_btp",
]
LEGAL_FORMS = ["association"] * 6 + ["scop", "scic", "mutuelle", "fondation"]
KINDS = {
    "animation": ["Centre social", "Maison des jeunes", "Association d'éducation populaire"],
    "insertion": ["Chantier d'insertion", "Ressourcerie", "Régie de quartier"],
    "sanitaire_social": ["Foyer", "Service d'accompagnement", "Maison d'accueil"],
    "aide_domicile": ["Aide à domicile", "Service de soins infirmiers"],
    "culture": ["Compagnie", "Scène", "Collectif artistique"],
    "environnement": ["Jardins", "Ferme collective", "Épicerie paysanne"],
    "industrie_btp": ["Atelier bois", "Coopérative du bâtiment", "Menuiserie"],
}
PLACES = [
    "de la Vilaine",
    "du Marais",
    "des Coteaux",
    "de l'Estuaire",
    "du Val",
    "des Tilleuls",
    "du Port",
    "de la Croix-Rousse",
    "des Monts",
    "du Lauragais",
    "des Deux Rives",
    "de la Garonne",
    "du Bocage",
    "des Faubourgs",
    "de la Presqu'île",
    "du Plateau",
    "de la Source",
    "des Halles",
    "du Littoral",
    "de la Vallée",
    "des Pins",
    "du Canal",
]
QVT = "qvt-numerique"
LEVELS = ["premiers-pas", "en-construction", "structure", "integre"]
LEVEL_SCORES = {"premiers-pas": 18.0, "en-construction": 41.0, "structure": 63.0, "integre": 82.0}


def _name(rng, sector, index):
    return f"{rng.choice(KINDS[sector])} {PLACES[index % len(PLACES)]}"


def _organisations(network, rng):
    existing = list(Organisation.objects.filter(slug__startswith=PREFIX).order_by("slug"))
    if existing:
        return existing
    region_pool = [code for code, weight in REGIONS for _ in range(weight)]
    rows = []
    for index in range(COUNT):
        sector = SECTORS[index % len(SECTORS)]
        employees = rng.choice(EMPLOYEES)
        # A cluster that the demo's named organisations can compare themselves with.
        if index < 4:
            region, employees, sector = "76", rng.choice([24, 32, 45]), "industrie_btp"
        elif index < 8:
            region, employees, sector = "52", rng.choice([7, 8, 9]), "insertion"
        else:
            region = rng.choice(region_pool)
        shares = rng.random() < 0.88
        rows.append(
            Organisation(
                slug=f"{PREFIX}{index + 1:03d}",
                name=_name(rng, sector, index),
                legal_form=rng.choice(LEGAL_FORMS),
                headcount=employees + rng.randint(0, 6),
                employees=employees,
                sector=sector,
                region=region,
                has_cse=employees >= 11,
                shares_statistics=shares,
                statistics_consent_on=timezone.localdate() - timedelta(days=rng.randint(200, 700))
                if shares
                else None,
            )
        )
    Organisation.objects.bulk_create(rows)
    organisations = list(Organisation.objects.filter(slug__startswith=PREFIX).order_by("slug"))
    Affiliation.objects.bulk_create([Affiliation(network=network, organisation=o) for o in organisations])
    return organisations


def _value(spec, chance, draw):
    """An answer on the questionnaire's scale: « Oui » with probability `chance` on the QVT's
    oui / nsp / non; on a graded scale (accord, fréquence), one of the two best answers with
    that probability, else one of the two others."""
    if "oui" in spec.values:
        return "oui" if draw < chance else ("nsp" if draw < chance + 0.08 else "non")
    # Worst first, the neutral « je ne sais pas » left aside.
    graded = [choice["value"] for choice in spec.scale["choices"] if not choice.get("neutral")]
    ordered = sorted(graded, key=spec.points.get)
    if draw < chance:
        return ordered[-1] if draw < chance / 2 else ordered[-2]
    return ordered[0] if draw > (1 + chance) / 2 else ordered[min(1, len(ordered) - 1)]


def _campaign(organisation, version, *, closed_on, respondents, yes, rng, invitations=False):
    """A closed diagnostic whose answers are good with probability yes[theme]."""
    qvt = version.questionnaire.slug == QVT
    campaign = Campaign.objects.create(
        organisation=organisation,
        questionnaire_version=version,
        title="Diagnostic QVT et numérique" if qvt else version.questionnaire.title,
        state=Campaign.State.CLOSED,
        opened_on=closed_on - timedelta(days=21),
        opened_at=timezone.make_aware(datetime.combine(closed_on - timedelta(days=21), time(9))),
        closes_on=closed_on,
        closed_on=closed_on,
        expected_respondents=respondents + rng.randint(0, 6),
        invitations_sent=respondents + rng.randint(1, 8) if invitations else None,
        invitations_answered=respondents - rng.randint(0, 2) if invitations else None,
        closing_figures={
            "channels": {"withheld": respondents},
            "responses": respondents,
            "countable": respondents,
            "groups": {},
            "hidden_groups": False,
            "invitations_outside": 0,
        },
    )
    responses = [
        Response(
            campaign=campaign,
            submitted_on=closed_on,
            source=Response.Source.WITHHELD,
            submission_key=secrets.token_hex(16),
        )
        for _ in range(respondents)
    ]
    Response.objects.bulk_create(responses)
    answers = []
    for response in responses:
        for theme in version.spec.themes:
            chance = yes[theme["id"]]
            for item in theme["items"]:
                value = _value(version.spec, chance, rng.random())
                answers.append(Answer(response=response, item_id=item["id"], value=value))
    Answer.objects.bulk_create(answers, batch_size=2000)
    store_results(campaign)
    return campaign


# The other team questionnaires, answered by some organisations of the larger regions: their
# tables by region show a few regions and hide the others.
OTHER_INSTRUMENTS = ["teletravail-preparation", "droit-deconnexion", "teletravail-crise"]
LARGE_REGIONS = ("53", "52", "76", "84")


def _other_instruments(organisations, today, rng):
    versions = [Questionnaire.objects.get(slug=slug).latest_version() for slug in OTHER_INSTRUMENTS]
    for index, organisation in enumerate(organisations):
        if organisation.region not in LARGE_REGIONS or index % 4 == 3:
            continue
        version = versions[index % len(versions)]
        base = rng.uniform(0.35, 0.8)
        themes = [theme["id"] for theme in version.spec.themes]
        yes = {theme: min(0.95, max(0.05, base + rng.uniform(-0.2, 0.2))) for theme in themes}
        respondents = max(5, min(30, round(organisation.employees * rng.uniform(0.5, 0.8))))
        _campaign(
            organisation,
            version,
            closed_on=today - timedelta(days=rng.randint(30, 400)),
            respondents=respondents,
            yes=yes,
            rng=rng,
        )


def _closed_requests(network, organisations, today, rng, users):
    """Closed accompaniment requests of organisations of the larger regions, with their outcome:
    the observatory's requests table (one answer per organisation: 5 organisations a figure)."""
    outcomes = [Request.Outcome.ACCOMPANIED] * 3 + [Request.Outcome.ORIENTED, Request.Outcome.NOT_ELIGIBLE]
    made = []
    for index, organisation in enumerate(organisations):
        if organisation.region not in LARGE_REGIONS[:3] or index % 3 == 2:
            continue
        made.append(
            Request(
                organisation=organisation,
                network=network,
                themes=[rng.choice(["activites", "pratiques", "hybride", "collectif", "charte"])],
                situation="Demande de démonstration.",
                problem="Un besoin d'accompagnement sur le numérique.",
                contact_name="Contact de la structure",
                contact_email=f"contact@{organisation.slug}.example.org",
                state=Request.State.CLOSED,
                outcome=rng.choice(outcomes),
                closed_at=timezone.make_aware(
                    datetime.combine(today - timedelta(days=rng.randint(20, 300)), time(11))
                ),
                region=organisation.region,
                size_band=organisation.size_band,
                employees=organisation.employees,
                facilitator=users["fiona"],
            )
        )
    Request.objects.bulk_create(made)
    # Asked, then taken, some weeks before being closed (created_at is set on insert).
    for request in made:
        request.created_at = request.closed_at - timedelta(days=rng.randint(30, 90))
        request.taken_at = request.created_at + timedelta(days=rng.randint(1, 6))
    Request.objects.bulk_update(made, ["created_at", "taken_at"])


def seed_observatory(network, users):
    """Generated members with their figures, the named organisations' agreement, two releases.
    Returns the releases (previous, current)."""
    rng = random.Random(2026)
    today = timezone.localdate()
    # The named organisations of the demo agree too (their leads then see « structures
    # comparables » beside their results); Rouletaboules does not, to show both answer pages.
    for slug, lead in [
        ("jardins-du-lien", "alice"),
        ("bois-et-compagnie", "dave"),
        ("paniers-de-la-touvre", "julien"),
        ("ateliers-de-l-aber", "maelle"),
        ("entraide-d-oc", "lucie"),
    ]:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is not None and not organisation.shares_statistics:
            organisation_actions.set_statistics_consent(organisation, agree=True, by=users[lead])

    generated = not Organisation.objects.filter(slug__startswith=PREFIX).exists()
    organisations = _organisations(network, rng)
    if generated:
        version = Questionnaire.objects.get(slug=QVT).latest_version()
        maturity_version = Questionnaire.objects.get(slug="maturite-numerique").latest_version()
        themes = [theme["id"] for theme in version.spec.themes]
        charters, actions, assessments = [], [], []
        for index, organisation in enumerate(organisations):
            base = rng.uniform(0.3, 0.75)
            yes = {theme: min(0.95, max(0.05, base + rng.uniform(-0.2, 0.2))) for theme in themes}
            respondents = max(5, min(40, round(organisation.employees * rng.uniform(0.6, 0.9))))
            closed_on = today - timedelta(days=rng.randint(100, 600))
            if index % 4 == 0:  # answered twice: a first diagnostic a year before, lower
                earlier = {theme: max(0.05, chance - rng.uniform(0.05, 0.2)) for theme, chance in yes.items()}
                _campaign(
                    organisation,
                    version,
                    closed_on=closed_on - timedelta(days=rng.randint(330, 420)),
                    respondents=respondents,
                    yes=earlier,
                    rng=rng,
                )
            if (
                organisation.region in ("76", "52", "53") and index % 2 == 0
            ):  # closed since the previous release
                closed_on = today - timedelta(days=rng.randint(10, 80))
            _campaign(
                organisation,
                version,
                closed_on=closed_on,
                respondents=respondents,
                yes=yes,
                rng=rng,
                invitations=index % 3 != 2,
            )
            if index % 5 != 4:
                level = (
                    LEVELS[min(3, int(base * 5) - 1 + rng.choice([-1, 0, 0, 1]))] if base > 0.2 else LEVELS[0]
                )
                completed = timezone.now() - timedelta(days=rng.randint(120, 500))
                assessments.append(
                    Assessment(
                        organisation=organisation,
                        questionnaire_version=maturity_version,
                        state=Assessment.State.COMPLETED,
                        scores={"dimensions": {}, "overall": {"score": LEVEL_SCORES[level], "level": level}},
                        created_at=completed - timedelta(days=1),
                        completed_at=completed,
                    )
                )
            if index % 3 == 1:
                charters.append(
                    TeleworkCharter(
                        organisation=organisation,
                        instrument=rng.choice([Instrument.CHARTER, Instrument.AGREEMENT]),
                        status=CharterStatus.ADOPTED,
                        adopted_on=today - timedelta(days=rng.randint(120, 500)),
                    )
                )
            for theme in rng.sample(themes, rng.randint(1, 3)):
                done = rng.random() < 0.45
                actions.append(
                    Action(
                        organisation=organisation,
                        title="Action issue du diagnostic",
                        theme_id=theme,
                        status=Status.DONE if done else Status.IN_PROGRESS,
                        done_on=today - timedelta(days=rng.randint(100, 300)) if done else None,
                    )
                )
        _other_instruments(organisations, today, rng)
        _closed_requests(network, organisations, today, rng, users)
        Assessment.objects.bulk_create(assessments)
        TeleworkCharter.objects.bulk_create(charters)
        created = Action.objects.bulk_create(actions)
        Action.objects.filter(pk__in=[action.pk for action in created]).update(
            created_at=timezone.now() - timedelta(days=200)
        )

    releases = list(Release.objects.filter(network=network).order_by("number"))
    if not releases:
        releases = [
            publish_release(network, kind=Release.Kind.SCHEDULED, today=today - timedelta(days=91)),
            publish_release(network, kind=Release.Kind.SCHEDULED, today=today),
        ]
    return releases[-2:]
