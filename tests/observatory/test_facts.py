"""The facts of a release, computed from a small known data set and checked by hand."""

from datetime import UTC, date, datetime

import pytest

from reperes.action_plans.models import Action, Status
from reperes.charters.models import CharterStatus, TeleworkCharter
from reperes.observatory.facts import build_facts
from reperes.requests.models import Request
from tests.observatory.helpers import closed_campaign, maturity, member
from tests.organisations.factories import NetworkFactory

START, END = date(2024, 1, 1), date(2026, 6, 30)


@pytest.fixture
def net(db):
    return NetworkFactory(slug="obs")


def test_only_contributing_members_of_the_network_have_facts(net):
    sharing = member(net, region="53", sector="animation", legal_form="association", employees=12)
    member(net, shares=False)
    outsider = member(NetworkFactory(), shares=True)

    facts = build_facts(net, start=START, end=END, k=5)

    assert set(facts) == {sharing.pk}
    record = facts[sharing.pk]
    assert (record.region, record.sector, record.legal_form, record.size_band) == (
        "53",
        "animation",
        "association",
        "11-19",
    )
    assert outsider.pk not in facts


def test_campaigns_scores_change_and_rates_by_hand(net):
    org = member(net, employees=40)
    # Before the period: the T0 of the change, not counted in participation.
    closed_campaign(org, closed_on=date(2023, 5, 1), respondents=8, score=2.0)
    closed_campaign(
        org, closed_on=date(2025, 3, 1), respondents=6, score=3.0, invitations_sent=10, invitations_answered=6
    )
    # Under k: counted as a campaign run, no scores.
    closed_campaign(org, closed_on=date(2026, 2, 1), respondents=3, score=1.0)
    latest = closed_campaign(org, closed_on=date(2026, 4, 1), respondents=9, score=4.0)
    # After the period: ignored.
    closed_campaign(org, closed_on=date(2026, 8, 1), respondents=20, score=5.0)

    figures = build_facts(net, start=START, end=END, k=5)[org.pk].figures

    assert figures["years"] == {
        "2025": {"campaigns": 1, "responses": 6, "sent": 10, "answered": 6},
        "2026": {"campaigns": 2, "responses": 12, "sent": 0, "answered": 0},
    }
    qvt = figures["instruments"]["qvt-numerique"]
    assert qvt["respondents"] == 9
    assert qvt["closed_on"] == latest.closed_on.isoformat()
    assert set(qvt["scores"].values()) == {4.0}
    change = figures["change"]["qvt-numerique"]
    assert set(change["before"].values()) == {2.0}
    assert set(change["after"].values()) == {4.0}
    assert change["respondents"] == 8


def test_maturity_actions_charter_requests_and_programmes(net):
    org = member(net, employees=5)
    maturity(org, "premiers-pas", on=date(2025, 1, 1))
    maturity(org, "structure", on=date(2026, 1, 1))
    Action.objects.create(organisation=org, title="A", theme_id="temps")
    Action.objects.create(
        organisation=org, title="B", theme_id="temps", status=Status.DONE, done_on=date(2026, 1, 5)
    )
    Action.objects.create(organisation=org, title="C", theme_id="")  # no theme: not counted
    Action.objects.update(created_at=datetime(2026, 1, 2, 10, tzinfo=UTC))
    TeleworkCharter.objects.create(
        organisation=org, instrument="charter", status=CharterStatus.ADOPTED, adopted_on=date(2025, 9, 1)
    )
    for outcome in ["accompanied", "accompanied", "oriented"]:
        Request.objects.create(
            organisation=org,
            network=net,
            situation="…",
            contact_name="X",
            state=Request.State.CLOSED,
            outcome=outcome,
            closed_at=date(2026, 2, 1).isoformat() + "T10:00:00+01:00",
        )
    Request.objects.create(organisation=org, network=net, situation="…", contact_name="X")  # open

    figures = build_facts(net, start=START, end=END, k=5)[org.pk].figures

    assert figures["maturity"] == "structure"
    assert figures["actions"] == {"temps": {"opened": 2, "done": 1}}
    assert figures["charter"] is True
    assert figures["requests"] == {"accompanied": 2, "oriented": 1}
    assert figures["years"] == {}


def test_size_bands_follow_employees():
    from reperes.observatory.dimensions import size_band

    assert [size_band(n) for n in [None, 0, 1, 10, 11, 19, 20, 49, 50, 99, 100, 249, 250, 4000]] == [
        None,
        None,
        "1-10",
        "1-10",
        "11-19",
        "11-19",
        "20-49",
        "20-49",
        "50-99",
        "50-99",
        "100-249",
        "100-249",
        "250+",
        "250+",
    ]
