"""Results stored once at closing (StoredResults) and read everywhere since: the stored figures
give the same results as the raw answers did, pages and exports of a closed campaign read no
answer row, and the figures can be stored again (command, migration) identically."""

import dataclasses
import datetime
import importlib
import io
import itertools
import random

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reperes.campaigns import actions
from reperes.campaigns.models import Answer, Campaign, CollectiveAnswer, PaperBatch, RespondentGroup, Response
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire
from reperes.results.compute import Results, build_results, live_figures
from reperes.results.models import StoredResults

pytestmark = pytest.mark.django_db

keys = itertools.count()
ANSWER_TABLE = '"campaigns_answer"'
STORED_FIELDS = [
    "respondents",
    "theme_scores",
    "determinant_scores",
    "distribution",
    "groups",
    "hidden_groups",
    "computed_on",
]
# Every field of Results but the campaign itself and the open answers, which only show once the
# campaign is closed (and are not stored).
COMPARED = [field.name for field in dataclasses.fields(Results) if not field.name.startswith("open")]


@pytest.fixture
def versions(db):
    load_definitions()
    return {
        slug: Questionnaire.objects.get(slug=slug).latest_version()
        for slug in ("qvt-numerique", "droit-deconnexion")
    }


def open_campaign(organisation, by, version, *, groups=(), mode=Campaign.Mode.INDIVIDUAL, **fields):
    campaign = Campaign.objects.create(
        organisation=organisation,
        questionnaire_version=version,
        title=f"Diagnostic {next(keys)}",
        closes_on=datetime.date(2026, 6, 30),
        opened_on=datetime.date(2026, 6, 1),
        created_by=by,
        state=Campaign.State.OPEN,
        mode=mode,
        **fields,
    )
    RespondentGroup.objects.bulk_create(
        RespondentGroup(campaign=campaign, label=label, position=position)
        for position, label in enumerate(groups)
    )
    return campaign


def add_responses(campaign, responses, *, batch=None):
    """responses: [(group or None, {item: value}, on paper)], written in bulk."""
    rows, answers = [], []
    for group, given_answers, paper in responses:
        response = Response(
            campaign=campaign,
            group=group,
            submitted_on=datetime.date(2026, 6, 2),
            submission_key=f"stored-{next(keys)}",
            source=Response.Source.PAPER if paper else Response.Source.LINK,
            paper_batch=batch if paper else None,
        )
        rows.append(response)
        answers.extend(Answer(response=response, item_id=i, value=v) for i, v in given_answers.items())
    Response.objects.bulk_create(rows)
    Answer.objects.bulk_create(answers)


def random_answers(spec, rng, *, skip=0.1):
    return {item_id: rng.choice(spec.values) for item_id in spec.item_ids if rng.random() > skip}


def results_fields(results):
    return {name: getattr(results, name) for name in COMPARED}


def stored_rows():
    return {row["campaign_id"]: row for row in StoredResults.objects.values("campaign_id", *STORED_FIELDS)}


# Stored = recomputed from the raw answers


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_stored_figures_give_the_results_the_raw_answers_gave(org_a, alice, versions, data):
    k = django_settings.ANONYMITY_THRESHOLD
    version = versions[data.draw(st.sampled_from(sorted(versions)), label="questionnaire")]
    spec = version.spec
    collective = data.draw(st.booleans(), label="collective")
    rng = random.Random(data.draw(st.integers(0, 2**32), label="seed"))
    if collective:
        campaign = open_campaign(org_a, alice, version, mode=Campaign.Mode.COLLECTIVE)
        items = data.draw(st.lists(st.sampled_from(spec.item_ids), unique=True, max_size=len(spec.item_ids)))
        CollectiveAnswer.objects.bulk_create(
            CollectiveAnswer(
                campaign=campaign,
                item_id=item_id,
                counts={} if consensus else {v: rng.randint(0, 6) for v in spec.values},
                consensus=rng.choice(spec.values) if consensus else "",
                note="Des avis partagés." if rng.random() < 0.3 else "",
            )
            for item_id in items
            for consensus in [rng.random() < 0.3]
        )
    else:
        # Groups of every size around the threshold, « ne pas le dire », and paper sheets that
        # count in the figures but not towards the threshold (their batch not attested).
        sizes = data.draw(st.lists(st.integers(0, 2 * k + 2), max_size=4), label="group sizes")
        outside = data.draw(st.integers(0, k + 1), label="in no group")
        campaign = open_campaign(org_a, alice, version, groups=[f"Collège {n}" for n in range(len(sizes))])
        batch = PaperBatch.objects.create(campaign=campaign, entered_by=alice, entered_by_name="Alice")
        groups = list(campaign.groups.all())
        responses = [
            (group, random_answers(spec, rng), rng.random() < 0.15)
            for group, size in zip(groups, sizes, strict=True)
            for _ in range(size)
        ]
        responses += [(None, random_answers(spec, rng), False) for _ in range(outside)]
        add_responses(campaign, responses, batch=batch)

    before = build_results(campaign, k=k)
    figures_before = live_figures(campaign, k=k)
    assert actions.close_campaign(campaign, by=alice) is True

    closed = Campaign.objects.select_related("questionnaire_version").get(pk=campaign.pk)
    stored = StoredResults.objects.get(campaign=closed)
    with CaptureQueriesContext(connection) as queries:
        after = build_results(closed, k=k)
    assert not [q for q in queries if ANSWER_TABLE in q["sql"]]
    assert results_fields(after) == results_fields(before)
    assert [(g.label, g.size) for g in after.groups] == [(g.label, g.size) for g in before.groups]
    assert {t.id: t.score for t in after.themes} == {t.id: t.score for t in before.themes}
    assert after.divergences == before.divergences
    assert after.hidden_groups == before.hidden_groups
    # The row holds what the observatory reads: the whole team and the groups shown.
    assert stored.respondents == before.respondents
    assert stored.theme_scores == {t.id: t.score for t in before.themes}
    assert stored.theme_scores == figures_before["theme_scores"]
    assert stored.determinant_scores == figures_before["determinant_scores"]
    assert [group["label"] for group in stored.groups] == [g.label for g in before.groups]
    for group, shown in zip(stored.groups, before.groups, strict=True):
        assert group["theme_scores"] == {t.id: t.score for t in shown.themes}
    assert stored.hidden_groups == before.hidden_groups
    assert stored.computed_on == timezone.localdate()


def test_a_campaign_below_the_threshold_stores_no_group(org_a, alice, versions):
    spec = versions["qvt-numerique"].spec
    campaign = open_campaign(org_a, alice, versions["qvt-numerique"], groups=["Direction", "Salarié·es"])
    direction, staff = campaign.groups.all()
    rng = random.Random(1)
    add_responses(campaign, [(direction, random_answers(spec, rng), False) for _ in range(2)])
    add_responses(campaign, [(staff, random_answers(spec, rng), False) for _ in range(2)])

    actions.close_campaign(campaign, by=alice)

    stored = StoredResults.objects.get(campaign=campaign)
    assert stored.respondents == 4
    assert stored.groups == []
    assert stored.hidden_groups is True
    assert not Campaign.objects.get(pk=campaign.pk).results_visible


# Reading: no answer row, and a cost that does not grow with the responses


def closed_campaign_with(org, by, version, responses):
    spec = version.spec
    campaign = open_campaign(org, by, version, groups=["Direction", "Salarié·es", "Bénévoles"])
    groups = list(campaign.groups.all())
    rng = random.Random(responses)
    add_responses(
        campaign, [(groups[n % 3], random_answers(spec, rng, skip=0), False) for n in range(responses)]
    )
    actions.close_campaign(campaign, by=by)
    return campaign


def test_the_results_page_of_a_closed_campaign_reads_no_answer_and_costs_the_same_whatever_its_size(
    client, bob, org_a, alice, versions, django_assert_max_num_queries
):
    small = closed_campaign_with(org_a, alice, versions["qvt-numerique"], 10)
    large = closed_campaign_with(org_a, alice, versions["qvt-numerique"], 60)
    client.force_login(bob)
    counts = {}
    for campaign in (small, large):
        url = reverse("results:detail", args=[org_a.slug, campaign.pk])
        client.get(url)  # sessions and caches warm
        with django_assert_max_num_queries(25), CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200
        assert "La carte de l'équipe" in page.content.decode()
        assert not [q["sql"] for q in queries if ANSWER_TABLE in q["sql"]]
        counts[campaign.pk] = len(queries)
    assert counts[small.pk] == counts[large.pk]


def test_theme_page_and_export_of_a_closed_campaign_read_no_answer(client, alice, org_a, versions):
    campaign = closed_campaign_with(org_a, alice, versions["qvt-numerique"], 12)
    client.force_login(alice)
    urls = [
        reverse("results:theme", args=[org_a.slug, campaign.pk, "temps"]),
        reverse("reports:results_export", args=[org_a.slug, campaign.pk, "csv"]),
    ]
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        assert not [q["sql"] for q in queries if ANSWER_TABLE in q["sql"]], url


def test_a_closed_campaign_without_stored_figures_still_shows_them_from_the_answers(org_a, alice, versions):
    campaign = closed_campaign_with(org_a, alice, versions["qvt-numerique"], 12)
    campaign = Campaign.objects.get(pk=campaign.pk)
    stored = build_results(campaign, k=5)
    StoredResults.objects.all().delete()

    with CaptureQueriesContext(connection) as queries:
        computed = build_results(campaign, k=5)

    assert [q for q in queries if ANSWER_TABLE in q["sql"]]
    assert results_fields(computed) == results_fields(stored)


def test_a_reader_with_a_higher_threshold_sees_fewer_groups_as_live_figures_would(org_a, alice, versions):
    spec = versions["qvt-numerique"].spec
    campaign = open_campaign(org_a, alice, versions["qvt-numerique"], groups=["Direction", "Salarié·es"])
    direction, staff = campaign.groups.all()
    rng = random.Random(7)
    add_responses(campaign, [(direction, random_answers(spec, rng), False) for _ in range(6)])
    add_responses(campaign, [(staff, random_answers(spec, rng), False) for _ in range(12)])
    actions.close_campaign(campaign, by=alice)
    campaign = Campaign.objects.get(pk=campaign.pk)
    from_stored = build_results(campaign, k=10)
    StoredResults.objects.all().delete()

    live = build_results(campaign, k=10)

    assert results_fields(from_stored) == results_fields(live)
    assert from_stored.groups == [] and from_stored.hidden_groups is True


# Storing once, again, and for campaigns closed before


def test_closing_twice_stores_once(org_a, alice, versions):
    campaign = closed_campaign_with(org_a, alice, versions["qvt-numerique"], 8)
    first = StoredResults.objects.get(campaign=campaign)

    assert actions.close_campaign(campaign, by=alice) is False

    assert StoredResults.objects.count() == 1
    assert StoredResults.objects.get(campaign=campaign).pk == first.pk


def test_an_open_campaign_has_no_stored_figures(org_a, alice, versions):
    campaign = open_campaign(org_a, alice, versions["qvt-numerique"])
    add_responses(campaign, [(None, {"temps-1": "oui"}, False)])
    assert not StoredResults.objects.exists()
    assert build_results(campaign, k=5).respondents == 1


def several_closed(org, by, versions):
    campaigns = [closed_campaign_with(org, by, versions["qvt-numerique"], n) for n in (6, 15)]
    campaigns.append(closed_campaign_with(org, by, versions["droit-deconnexion"], 9))
    meeting = open_campaign(org, by, versions["qvt-numerique"], mode=Campaign.Mode.COLLECTIVE)
    CollectiveAnswer.objects.create(campaign=meeting, item_id="temps-1", counts={"oui": 3, "non": 2})
    CollectiveAnswer.objects.create(campaign=meeting, item_id="temps-2", consensus="nsp")
    actions.close_campaign(meeting, by=by)
    open_campaign(org, by, versions["qvt-numerique"])  # never stored
    return [*campaigns, meeting]


def test_rebuild_results_recreates_identical_rows(org_a, alice, versions):
    campaigns = several_closed(org_a, alice, versions)
    at_close = stored_rows()
    assert set(at_close) == {campaign.pk for campaign in campaigns}
    assert at_close[campaigns[-1].pk]["respondents"] == 5
    assert at_close[campaigns[-1].pk]["distribution"] == {
        "temps-1": {"oui": 3, "non": 2},
        "temps-2": {"nsp": 1},
    }

    StoredResults.objects.all().delete()
    call_command("rebuild_results", stdout=(out := io.StringIO()))

    assert stored_rows() == at_close
    assert "4 diagnostic(s)" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_rebuild_results_with_several_processes_stores_the_same_rows(org_a, alice, versions):
    """`--workers 2`: two processes read and count chunks side by side, this one writes."""
    campaigns = several_closed(org_a, alice, versions)
    at_close = stored_rows()
    StoredResults.objects.all().delete()
    from reperes.results.rebuild import rebuild_stored_results

    assert rebuild_stored_results(workers=2, chunk_size=1) == len(campaigns)
    assert stored_rows() == at_close


def test_rebuild_results_refuses_workers_inside_a_transaction(org_a, alice, versions):
    from reperes.results.rebuild import rebuild_stored_results

    several_closed(org_a, alice, versions)
    with pytest.raises(RuntimeError, match="uncommitted"):
        rebuild_stored_results(workers=2, chunk_size=1)


def test_rebuild_results_fills_the_missing_and_with_all_rewrites_every_row(org_a, alice, versions):
    campaigns = several_closed(org_a, alice, versions)
    at_close = stored_rows()
    StoredResults.objects.filter(campaign=campaigns[0]).update(respondents=999)
    StoredResults.objects.filter(campaign=campaigns[1]).delete()

    call_command("rebuild_results", stdout=io.StringIO())
    assert stored_rows()[campaigns[0].pk]["respondents"] == 999
    assert stored_rows()[campaigns[1].pk] == at_close[campaigns[1].pk]

    call_command("rebuild_results", "--all", stdout=io.StringIO())
    assert stored_rows() == at_close


def test_rebuild_costs_the_same_queries_for_more_campaigns(
    org_a, alice, versions, django_assert_max_num_queries
):
    from reperes.results.rebuild import rebuild_stored_results

    several_closed(org_a, alice, versions)
    with CaptureQueriesContext(connection) as few:
        rebuild_stored_results()
    several_closed(org_a, alice, versions)
    several_closed(org_a, alice, versions)
    with django_assert_max_num_queries(len(few)):
        assert rebuild_stored_results() == 12


def test_the_migration_stores_the_figures_of_campaigns_closed_before(org_a, alice, versions):
    several_closed(org_a, alice, versions)
    at_close = stored_rows()
    StoredResults.objects.all().delete()
    migration = importlib.import_module("reperes.results.migrations.0004_store_results_of_closed_campaigns")
    # The models as the next migration leaves them: the table has its later column already.
    state = MigrationExecutor(connection).loader.project_state(("results", "0005_determinant_scores"))

    migration.store(state.apps, None)

    assert stored_rows() == at_close


def test_the_migration_gives_campaigns_closed_before_their_scores_by_determinant(org_a, alice, versions):
    several_closed(org_a, alice, versions)
    at_close = stored_rows()
    assert any(row["determinant_scores"] for row in at_close.values())
    StoredResults.objects.update(determinant_scores={})
    migration = importlib.import_module("reperes.results.migrations.0005_determinant_scores")
    state = MigrationExecutor(connection).loader.project_state(("results", "0005_determinant_scores"))

    migration.store(state.apps, None)

    assert stored_rows() == at_close
