"""Every matchmaking URL as every persona, with the statuses proposed for the project's URL walk
(tests/test_url_walk.py): the matchmaker and the administrators on the network side, the
organisation's pilots on its side, a 404 for everyone else."""

import pytest
from django.db import transaction
from django.urls import get_resolver, reverse

from reperes.matchmaking import actions
from tests.accounts.factories import UserFactory
from tests.organisations.factories import NetworkFactory, NetworkMembershipFactory

PERSONAS = ["anonymous", "alice", "bob", "carol", "dave", "fiona", "nina", "hugo", "mia", "zoe"]


def network_page(admin=200, matchmaker=200):
    return {**dict.fromkeys(PERSONAS, 404), "anonymous": 302, "hugo": admin, "mia": matchmaker}


def org_a(lead=200, staff_rep=200, member=404):
    return {
        **dict.fromkeys(PERSONAS, 404),
        "anonymous": 302,
        "alice": lead,
        "carol": staff_rep,
        "bob": member,
    }


EXPECTED = {
    "matchmaking:cases": ("get", network_page()),
    "matchmaking:create": ("get", network_page()),
    "matchmaking:from_contact": ("post", network_page(admin=302, matchmaker=302)),
    "matchmaking:case": ("get", network_page()),
    "matchmaking:diagnostic": ("post", network_page(admin=400, matchmaker=400)),
    "matchmaking:calibration": ("post", network_page(admin=400, matchmaker=400)),
    "matchmaking:listing": ("post", network_page(admin=400, matchmaker=400)),
    "matchmaking:partner": ("post", network_page(admin=400, matchmaker=400)),
    "matchmaking:introduce": ("post", network_page(admin=302, matchmaker=302)),
    "matchmaking:tick": ("post", network_page(admin=302, matchmaker=302)),
    "matchmaking:employee": ("post", network_page(admin=400, matchmaker=400)),
    "matchmaking:complete_legal": ("post", network_page(admin=302, matchmaker=302)),
    "matchmaking:follow_up": ("post", network_page(admin=400, matchmaker=400)),
    "matchmaking:close": ("post", network_page(admin=400, matchmaker=400)),
    "matchmaking:note": ("post", network_page(admin=400, matchmaker=400)),
    "matchmaking:follow": ("post", network_page(admin=302, matchmaker=302)),
    "matchmaking:document": ("get", network_page()),
    "matchmaking:org_cases": ("get", org_a()),
    "matchmaking:org_case": ("get", org_a()),
    "matchmaking:org_agree": ("post", org_a(lead=302, staff_rep=302)),
    "matchmaking:org_document": ("get", org_a()),
}


def test_every_matchmaking_url_is_in_the_table():
    names = {
        f"matchmaking:{name}"
        for name in get_resolver().namespace_dict["matchmaking"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == set(EXPECTED)


@pytest.mark.django_db
def test_every_url_as_every_persona(client_of, personas, network, org_a, contact, mia):
    zoe = NetworkMembershipFactory(
        network=NetworkFactory(slug="autre-reseau"),
        user=UserFactory(email="zoe@example.org"),
        role="facilitator",
    ).user
    people = {**personas, "mia": mia, "zoe": zoe, "anonymous": None}
    case = actions.create_case(
        network,
        organisation=org_a,
        category="staff_lending",
        title="Prêt",
        need="Un besoin.",
        by=personas["hugo"],
    )
    values = {"case_id": case.pk, "contact_id": contact.pk, "kind": "convention"}
    wrong = []
    for name, (method, expected) in EXPECTED.items():
        slug = org_a.slug if name.split(":")[1].startswith("org_") else network.slug
        kwargs = {"slug": slug}
        route = reverse(name, kwargs={**kwargs, **_params(name, values)})
        for persona in PERSONAS:
            with transaction.atomic():
                response = getattr(client_of(people[persona]), method)(route)
                if response.status_code != expected[persona]:
                    wrong.append(f"{name} as {persona}: {response.status_code}, expected {expected[persona]}")
                transaction.set_rollback(True)
    assert not wrong, "\n".join(wrong)


def _params(name, values):
    short = name.split(":")[1]
    if short in ("cases", "create", "org_cases"):
        return {}
    if short == "from_contact":
        return {"contact_id": values["contact_id"]}
    if short in ("document", "org_document"):
        return {"case_id": values["case_id"], "kind": values["kind"]}
    return {"case_id": values["case_id"]}
