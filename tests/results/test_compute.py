"""Results of a campaign read from the database: same figures as the paper calculation."""

import datetime
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reperes.campaigns.models import Answer, Campaign, CollectiveAnswer, RespondentGroup, Response
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire
from reperes.results.compute import build_results
from tests.results.reference import response_theme_scores

pytestmark = pytest.mark.django_db

VALUES = ["oui", "nsp", "non"]
keys = itertools.count()


@pytest.fixture
def version(db):
    load_definitions()
    return Questionnaire.objects.get(slug="qvt-numerique").latest_version()


@pytest.fixture
def make_campaign(org_a, alice, version):
    def make(groups=(), **fields):
        campaign = Campaign.objects.create(
            organisation=org_a,
            questionnaire_version=version,
            title="Diagnostic 2026",
            closes_on=datetime.date(2026, 6, 30),
            created_by=alice,
            state=Campaign.State.CLOSED,
            **fields,
        )
        for position, label in enumerate(groups):
            RespondentGroup.objects.create(campaign=campaign, label=label, position=position)
        return campaign

    return make


def respond(campaign, answers, group=None):
    """One anonymous response with its answers, as the answer pages store them."""
    response = Response.objects.create(
        campaign=campaign,
        group=group,
        submitted_on=datetime.date(2026, 6, 1),
        submission_key=f"key-{next(keys)}",
    )
    Answer.objects.bulk_create(
        Answer(response=response, item_id=item_id, value=value) for item_id, value in answers.items()
    )


def everywhere(spec, value, **themes):
    """Answers `value` to every statement, and « oui » to the first n statements of given themes."""
    answers = dict.fromkeys(spec.item_ids, value)
    for theme_id, oui in themes.items():
        for position in range(1, oui + 1):
            answers[f"{theme_id}-{position}"] = "oui"
    return answers


def paper_means(spec, responses):
    paper = [response_theme_scores(spec, answers) for answers in responses]
    return {theme["id"]: sum(s[theme["id"]] for s in paper) / len(paper) for theme in spec.themes}


def scores(themes):
    return {theme.id: theme.score for theme in themes}


def group_named(results, label):
    return next(group for group in results.groups if group.label == label)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_overall_scores_are_the_mean_of_each_response_paper_scores(make_campaign, version, data):
    spec = version.spec
    campaign = make_campaign(groups=["Direction", "Salarié·es", "Bénévoles"])
    groups = [None, *campaign.groups.all()]
    responses = data.draw(
        st.lists(
            st.tuples(
                st.sampled_from(groups),
                st.fixed_dictionaries({item_id: st.sampled_from(VALUES) for item_id in spec.item_ids}),
            ),
            min_size=1,
            max_size=12,
        )
    )
    for group, answers in responses:
        respond(campaign, answers, group)

    results = build_results(campaign, k=5)

    assert results.respondents == len(responses)
    expected = paper_means(spec, [answers for _, answers in responses])
    for theme in results.themes:
        assert abs(theme.score - expected[theme.id]) < 1e-9
    for shown in results.groups:
        mine = [answers for group, answers in responses if group is not None and group.label == shown.label]
        assert shown.size == len(mine)
        expected = paper_means(spec, mine)
        assert all(abs(theme.score - expected[theme.id]) < 1e-9 for theme in shown.themes)


def test_groups_below_k_are_hidden_and_flagged(make_campaign, version):
    spec = version.spec
    campaign = make_campaign(groups=["Direction", "Salarié·es", "Bénévoles"])
    direction, staff, volunteers = campaign.groups.all()
    for _ in range(2):
        respond(campaign, everywhere(spec, "oui"), direction)
    for _ in range(6):
        respond(campaign, everywhere(spec, "oui", temps=0), staff)
    for _ in range(6):
        respond(campaign, everywhere(spec, "nsp", temps=5), volunteers)
    for _ in range(3):  # « je préfère ne pas le dire »: 17 − 6 − 6 = 5, enough
        respond(campaign, everywhere(spec, "non"))

    results = build_results(campaign, k=5)

    assert results.respondents == 17
    assert [(group.label, group.size) for group in results.groups] == [("Salarié·es", 6), ("Bénévoles", 6)]
    assert results.hidden_groups is True
    assert results.group_chart is not None


def test_a_group_is_hidden_to_protect_a_small_one(make_campaign, version):
    spec = version.spec
    campaign = make_campaign(groups=["Direction", "Salarié·es", "Bénévoles"])
    direction, staff, volunteers = campaign.groups.all()
    for group, size in ((direction, 2), (staff, 5), (volunteers, 6)):
        for _ in range(size):
            respond(campaign, everywhere(spec, "oui"), group)

    results = build_results(campaign, k=5)

    assert [group.label for group in results.groups] == ["Bénévoles"]
    assert results.hidden_groups is True
    assert results.group_chart is None
    assert results.divergences == {}


def test_all_groups_shown_when_large_enough_and_empty_groups_are_not_hidden(make_campaign, version):
    spec = version.spec
    campaign = make_campaign(groups=["Direction", "Salarié·es", "Personne"])
    direction, staff, _ = campaign.groups.all()
    for _ in range(5):
        respond(campaign, everywhere(spec, "non", projet=4), direction)
    for _ in range(7):
        respond(campaign, everywhere(spec, "non", projet=1), staff)

    results = build_results(campaign, k=5)

    assert [group.label for group in results.groups] == ["Direction", "Salarié·es"]
    assert results.hidden_groups is False
    assert scores(group_named(results, "Direction").themes)["projet"] == 4
    assert scores(group_named(results, "Salarié·es").themes)["projet"] == 1


def test_divergences_between_shown_groups_are_flagged(make_campaign, version):
    spec = version.spec
    campaign = make_campaign(groups=["Direction", "Salarié·es"])
    direction, staff = campaign.groups.all()
    for _ in range(5):  # Direction: temps 4, information 3
        respond(campaign, everywhere(spec, "nsp", temps=4, information=3), direction)
    for person in range(5):  # Salarié·es: temps 2, information 2.2 (one person says 3)
        respond(campaign, everywhere(spec, "nsp", temps=2, information=3 if person == 0 else 2), staff)

    results = build_results(campaign, k=5)

    assert results.divergences == {"temps": ("Salarié·es", "Direction", 2)}
    rows = {row["theme"].id: row for row in results.theme_rows}
    assert rows["temps"]["groups"] == [4, 2]
    assert rows["temps"]["divergence"] == ("Salarié·es", "Direction", 2)
    assert rows["information"]["divergence"] is None


def test_priorities_and_strengths_come_from_the_overall_scores(make_campaign, version):
    spec = version.spec
    campaign = make_campaign()
    for _ in range(5):
        respond(campaign, everywhere(spec, "non", projet=5, information=4, temps=3, espaces=2, competences=1))

    results = build_results(campaign, k=5)

    assert [theme.id for theme in results.priorities] == ["management", "competences"]
    assert [theme.id for theme in results.strengths] == ["projet", "information"]
    assert results.tied == []
    assert results.groups == []


def test_collective_counts_follow_the_same_rule(make_campaign, version):
    spec = version.spec
    campaign = make_campaign(mode=Campaign.Mode.COLLECTIVE)
    hands = {"oui": 3, "nsp": 1, "non": 2}  # six people: 0.5 point per statement
    for item_id in spec.item_ids:
        counts = hands if item_id.startswith("projet-") else {"oui": 6, "nsp": 0, "non": "0"}
        CollectiveAnswer.objects.create(campaign=campaign, item_id=item_id, counts=counts)

    results = build_results(campaign, k=5)

    assert results.respondents == 6
    assert scores(results.themes) == {theme["id"]: 5 for theme in spec.themes} | {"projet": 2.5}
    assert [theme.id for theme in results.priorities][0] == "projet"
    assert results.groups == []


def test_collective_consensus_is_one_vote_per_statement(make_campaign, version):
    spec = version.spec
    campaign = make_campaign(
        mode=Campaign.Mode.COLLECTIVE, collective_method=Campaign.CollectiveMethod.CONSENSUS
    )
    answers = everywhere(spec, "non", projet=3, temps=5)
    answers["information-1"] = "nsp"
    for item_id, value in answers.items():
        CollectiveAnswer.objects.create(
            campaign=campaign,
            item_id=item_id,
            consensus=value,
            note="Avis partagés." if item_id == "projet-4" else "",
        )

    results = build_results(campaign, k=5)

    assert results.respondents == 1
    assert scores(results.themes) == response_theme_scores(spec, answers)
    assert results.collective_notes == {"projet-4": "Avis partagés."}


def test_collective_statements_not_yet_discussed_do_not_count(make_campaign, version):
    campaign = make_campaign(mode=Campaign.Mode.COLLECTIVE)
    CollectiveAnswer.objects.create(campaign=campaign, item_id="projet-1", counts={"oui": 4})
    CollectiveAnswer.objects.create(campaign=campaign, item_id="projet-2", counts={"non": 4})

    results = build_results(campaign, k=5)

    themes = {theme.id: theme for theme in results.themes}
    assert themes["projet"].score == 1
    assert themes["information"].score is None
