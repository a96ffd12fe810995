"""« Structures comparables »: beside a team's closed QVT results, the scores of comparable
organisations from the latest release, only when at least 3 others pass the rules."""

from datetime import date

import pytest
from django.template.loader import render_to_string

from reperes.observatory.actions import publish_release
from reperes.observatory.models import Release
from reperes.observatory.panels import benchmark, results_panel
from tests.observatory.helpers import closed_campaign, member
from tests.organisations.factories import NetworkFactory

TODAY = date(2026, 7, 1)


@pytest.fixture
def net(db):
    return NetworkFactory(slug="obs")


def others(net, count, *, respondents=10, score=3.0, **dimensions):
    found = []
    for _ in range(count):
        organisation = member(net, **{"employees": 15, "sector": "animation", "region": "53", **dimensions})
        closed_campaign(organisation, closed_on=date(2026, 3, 1), respondents=respondents, score=score)
        found.append(organisation)
    return found


def own_campaign(net):
    organisation = member(net, employees=12, sector="animation", region="53")
    campaign = closed_campaign(organisation, closed_on=date(2026, 3, 1), respondents=8, score=2.0)
    return organisation, campaign


def publish(net, today=TODAY):
    return publish_release(net, kind=Release.Kind.SCHEDULED, today=today)


def test_shown_with_three_comparable_others(net):
    organisation, campaign = own_campaign(net)
    others(net, 2, score=3.0)
    others(net, 1, score=4.5, respondents=10)
    others(net, 5, score=1.0, employees=80)  # another size band: not comparable
    publish(net)

    panel = results_panel(organisation=organisation, campaign=campaign, weak_themes=[])

    assert panel["template"] == "observatory/panels/benchmark.html"
    assert panel["group"] == "du même secteur"
    assert len(panel["rows"]) == 6
    # (3.0 × 10 + 3.0 × 10 + 4.5 × 10) / 30: its own score (2.0, 8 answers) is left out.
    assert {row["comparable"] for row in panel["rows"]} == {3.5}
    assert {row["own"] for row in panel["rows"]} == {2.0}
    html = render_to_string(panel["template"], {"panel": panel})
    assert "Structures comparables" in html and "3,5" in html


def test_not_shown_with_fewer_than_three_others(net):
    organisation, campaign = own_campaign(net)
    others(net, 2)
    publish(net)

    panel = results_panel(organisation=organisation, campaign=campaign, weak_themes=[])

    assert panel["rows"] == []
    assert "pas encore assez de structures comparables" in render_to_string(
        panel["template"], {"panel": panel}
    )


def test_a_dominant_other_hides_the_group(net):
    organisation, campaign = own_campaign(net)
    others(net, 2, respondents=5)
    others(net, 1, respondents=100)  # 100 of 110 answers: above 85 %
    publish(net)

    found = benchmark(organisation)

    assert found["themes"] == []


def test_dominance_is_checked_without_the_organisation_itself(net):
    # With its own 8 answers the biggest other would weigh 60 / 78 = 77 %; without them,
    # 60 / 70 = 86 %: hidden, since the organisation knows its own contribution.
    organisation, campaign = own_campaign(net)
    others(net, 2, respondents=5)
    others(net, 1, respondents=60)
    publish(net)

    assert benchmark(organisation)["themes"] == []


def test_falls_back_to_the_same_region_when_the_sector_is_too_small(net):
    organisation, campaign = own_campaign(net)
    others(net, 3, sector="culture", score=4.0)  # same band and region, other sector
    publish(net)

    panel = results_panel(organisation=organisation, campaign=campaign, weak_themes=[])

    assert panel["group"] == "de la même région"
    assert {row["comparable"] for row in panel["rows"]} == {4.0}


def test_reads_the_latest_release_only(net):
    organisation, campaign = own_campaign(net)
    publish(net)  # nothing comparable yet
    others(net, 3, score=4.0)
    assert benchmark(organisation)["themes"] == []  # the live data are not read
    publish(net, today=TODAY.replace(month=10))
    assert {theme["mean"] for theme in benchmark(organisation)["themes"]} == {4.0}


def test_nothing_without_a_release_or_for_another_questionnaire(net):
    organisation, campaign = own_campaign(net)
    others(net, 3)
    assert results_panel(organisation=organisation, campaign=campaign, weak_themes=[]) is None
    publish(net)
    other = closed_campaign(organisation, closed_on=date(2026, 3, 2), respondents=8, slug="droit-deconnexion")
    assert results_panel(organisation=organisation, campaign=other, weak_themes=[]) is None
