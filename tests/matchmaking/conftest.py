from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from reperes.listings.models import Contact, Listing
from reperes.matchmaking import actions
from reperes.matchmaking.models import Case
from reperes.organisations.models import NetworkRole
from tests.accounts.factories import UserFactory
from tests.organisations.factories import NetworkMembershipFactory

TODAY = timezone.localdate()

LENDING = {
    "shared_what": "Une animatrice d'atelier bois, deux jours par semaine",
    "unit": Case.Unit.DAYS,
    "planned_volume": Decimal("24"),
    "starts_on": TODAY + timedelta(days=30),
    "ends_on": TODAY + timedelta(days=120),
    "cost_note": "Salaire et charges refacturés chaque mois",
    "roles": "Bois & Compagnie encadre, les Jardins du Lien accueillent.",
    "arrangement": Case.Arrangement.LENDING,
    "lender_side": Case.Side.PARTNER,
    "salary": Decimal("2400.00"),
    "charges": Decimal("1000.00"),
    "expenses": Decimal("150.00"),
    "invoiced": Decimal("3550.00"),
    "duties": "Animer les ateliers de réparation de mobilier",
    "hours": "Mardi et jeudi, 9 h – 17 h",
    "place": "Atelier des Jardins du Lien, Nancy",
    "post_features": "Port de charges",
    "trial_period": "",
}


@pytest.fixture
def mia(network):
    """The network's matchmaker (« chargée de mise en lien »)."""
    return NetworkMembershipFactory(
        network=network, user=UserFactory(email="mia@example.org", name="Mia"), role=NetworkRole.MATCHMAKER
    ).user


def new_case(network, org, by, *, category=Listing.Category.STAFF_LENDING, **fields):
    return actions.create_case(
        network,
        organisation=org,
        category=category,
        title=fields.pop("title", "Animatrice d'atelier"),
        need=fields.pop("need", "Il nous faut quelqu'un pour les ateliers bois."),
        by=by,
    )


def case_at(step, network, org_a, org_b, mia, alice, dave, **calibration):
    """A staff lending case of org A (need) with org B (lender), taken to `step`."""
    case = new_case(network, org_a, mia)
    if step == Case.Step.DIAGNOSTIC:
        return case
    case = actions.record_diagnostic(case, sought="Une animatrice deux jours par semaine.", notes="", by=mia)
    if step == Case.Step.CALIBRATION:
        return case
    case = actions.calibrate(case, by=mia, **{**LENDING, **calibration})
    if step == Case.Step.SEARCH:
        return case
    case = actions.choose_partner(case, partner=org_b, by=mia)
    if step == Case.Step.INTRODUCTION:
        return case
    actions.record_agreement(case, organisation=org_a, by=alice)
    actions.record_agreement(case, organisation=org_b, by=dave)
    case = actions.introduce(case, by=mia)
    if step == Case.Step.LEGAL:
        return case
    for item in ("employee-agreement", "lending-agreement", "amendment", "no-sanction", "return"):
        actions.tick_item(case, item_id=item, done=True, by=mia)
    case = actions.complete_legal(case, by=mia)
    if step == Case.Step.FOLLOW_UP:
        return case
    case = actions.record_follow_up(
        case, happened=True, shared_from=TODAY, shared_until=TODAY, days_shared=Decimal("24"), by=mia
    )
    return actions.close_case(case, outcome=Case.Outcome.DONE, by=mia)


@pytest.fixture
def at_step(network, org_a, org_b, mia, alice, dave):
    def build(step, **calibration):
        return case_at(step, network, org_a, org_b, mia, alice, dave, **calibration)

    return build


def make_listing(network, organisation, by, **fields):
    values = {
        "kind": Listing.Kind.OFFER,
        "category": Listing.Category.STAFF_LENDING,
        "title": "Menuisier·e disponible deux jours par semaine",
        "description": "Notre atelier a moins de commandes cet hiver.",
        "region": "44",
        "town": "Nancy",
        "ends_on": TODAY + timedelta(days=90),
        "frequency": Listing.Frequency.REGULAR,
        "conditions": Listing.Conditions.AT_COST,
        "state": Listing.State.PUBLISHED,
        "published_on": TODAY,
        **fields,
    }
    return Listing.objects.create(network=network, organisation=organisation, author=by, **values)


@pytest.fixture
def contact(network, org_a, org_b, alice, dave):
    """Org A asks about org B's staff-lending offer; org B accepted."""
    listing = make_listing(network, org_b, dave)
    return Contact.objects.create(
        listing=listing,
        organisation=org_a,
        asked_by=alice,
        message="Nous cherchons quelqu'un pour nos ateliers.",
        state=Contact.State.ACCEPTED,
        answered_by=dave,
        answered_at=timezone.now(),
    )
