import pytest

from reperes.requests import actions
from reperes.requests.models import Theme
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.organisations.factories import NetworkFactory, NetworkMembershipFactory


@pytest.fixture(autouse=True)
def _questionnaires(db):
    """The closing questionnaire, as `manage.py load_content` loads it."""
    questionnaire_version("satisfaction-accompagnement")


@pytest.fixture
def eligible(org_a, org_b):
    org_a.employees = 9
    org_a.save(update_fields=["employees"])
    org_b.employees = 30
    org_b.save(update_fields=["employees"])
    return org_a


@pytest.fixture
def readiness(org_a):
    return CampaignFactory(
        organisation=org_a, questionnaire_version=questionnaire_version("teletravail-preparation")
    )


@pytest.fixture
def fanny(network):
    """A second facilitator of the network."""
    return NetworkMembershipFactory(
        network=network, user=UserFactory(email="fanny@example.org", name="Fanny"), role="facilitator"
    ).user


@pytest.fixture
def zoe(db):
    """A facilitator of another network."""
    other = NetworkFactory(name="Autre réseau", slug="autre")
    return NetworkMembershipFactory(
        network=other, user=UserFactory(email="zoe@example.org", name="Zoé"), role="facilitator"
    ).user


def ask(organisation, network, by, *, themes=(Theme.PRATIQUES,), campaigns=(), **extra):
    fields = {
        "situation": "Une association d'aide à domicile, douze salarié·es.",
        "problem": "Nos outils de partage de documents ne suivent pas.",
        "contact_name": "Alice",
        "contact_email": "alice@example.org",
        **extra,
    }
    return actions.ask_for_accompaniment(
        organisation, network=network, themes=list(themes), campaigns=list(campaigns), by=by, **fields
    )


@pytest.fixture
def help_request(eligible, network, alice, readiness):
    return ask(eligible, network, alice, campaigns=[readiness])
