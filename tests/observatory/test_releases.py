"""Publishing releases: bounded queries, nothing below the thresholds, withdrawals, requests."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reperes.lib.actions import ActionRefused
from reperes.observatory import disclosure
from reperes.observatory.actions import publish_release, request_release
from reperes.observatory.models import Release, ReleaseFacts, ReleaseTable
from reperes.organisations.models import NetworkMembership, NetworkRole
from reperes.sharing.models import ResultShare
from tests.accounts.factories import UserFactory
from tests.observatory.helpers import closed_campaign, member, populate
from tests.organisations.factories import NetworkFactory

TODAY = date(2026, 7, 1)
SCHEDULED = Release.Kind.SCHEDULED


@pytest.fixture
def net(db):
    return NetworkFactory(slug="obs", scope="national")


def publish(network, today=TODAY):
    return publish_release(network, kind=SCHEDULED, today=today)


def cell_of(table, row, column):
    rows = [r["code"] for r in table.rows]
    columns = [c["code"] for c in table.columns]
    return table.data["cells"][rows.index(row)][columns.index(column)]


def every_cell(table):
    data = table.data
    yield from (cell for line in data["cells"] for cell in line)
    yield from (cell for cell in data["row_totals"] or [] if cell)
    yield from (cell for cell in data["column_totals"] or [] if cell)
    if data["total"]:
        yield data["total"]


def test_query_count_does_not_grow_with_organisations(net):
    populate(net, 10, seed=1)
    publish(net, today=TODAY - timedelta(days=1))  # both measured releases have a previous one
    with CaptureQueriesContext(connection) as small:
        publish(net)
    populate(net, 20, seed=2)
    with CaptureQueriesContext(connection) as large:
        publish(net, today=TODAY + timedelta(days=1))
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) < 40


def test_no_stored_figure_rests_on_too_few_organisations(net, settings):
    populate(net, 30, seed=3)
    # A few sharing cases and small teams, so that known and small organisations are exercised.
    shared = member(net, region="53", employees=30)
    campaign = closed_campaign(shared, closed_on=date(2026, 2, 1), respondents=12)
    ResultShare.objects.create(organisation=shared, campaign=campaign, network=net)
    small = member(net, region="52", employees=5)
    closed_campaign(small, closed_on=date(2026, 2, 1), respondents=settings.ANONYMITY_THRESHOLD - 1)

    release = publish(net)

    assert release.organisations == 32
    tables = list(ReleaseTable.objects.filter(release=release))
    assert len(tables) > 15
    team_minimum, per_org_minimum = disclosure.MIN_ORGANISATIONS[disclosure.TEAM], 5
    shown_anywhere = 0
    for table in tables:
        minimum = (
            per_org_minimum
            if table.figure in ("maturity", "actions", "charters", "requests", "cases")
            else team_minimum
        )
        for cell in every_cell(table):
            if cell["why"] == "":
                shown_anywhere += 1
                assert cell["n"] >= minimum, (table.key, cell)
                assert cell["v"] is not None
            else:
                assert cell["v"] is None or cell["why"] == "empty", (table.key, cell)
    assert shown_anywhere > 20
    # The small team never enters any figure; the shared organisation's figures are protected
    # net of it.
    facts = {row.organisation_id: row for row in ReleaseFacts.objects.filter(release=release)}
    assert "qvt-numerique" not in facts[small.pk].figures["instruments"]


def test_hidden_cells_say_why(net):
    populate(net, 12, seed=4)
    table = ReleaseTable.objects.get(release=publish(net), key="qvt-region-taille")
    hidden = [cell for row in table.grid() for cell in row["cells"] if not cell["shown"]]
    assert hidden
    assert all(cell["explanation"] and cell["value"] is None for cell in hidden)


def test_a_withdrawn_organisation_stays_in_the_past_release_and_leaves_the_next(net):
    organisations = populate(net, 12, seed=5)
    first = publish(net)
    leaving = organisations[0]
    leaving.shares_statistics = False
    leaving.save()

    second = publish(net, today=TODAY + timedelta(days=92))

    assert first.organisations == 12 and second.organisations == 11
    assert ReleaseFacts.objects.filter(release=first, organisation=leaving).exists()
    assert not ReleaseFacts.objects.filter(release=second, organisation=leaving).exists()
    first_total = ReleaseTable.objects.get(release=first, key="participation-region").data["column_totals"]
    assert first_total[0] == {"v": 12, "n": 12, "w": first_total[0]["w"], "why": ""}
    second_total = ReleaseTable.objects.get(release=second, key="participation-region").data["column_totals"]
    # One organisation fewer than the previous release: shown only if it would not reveal it.
    assert second_total[0]["why"] == "difference" or second_total[0]["n"] == 11


def test_an_organisation_that_does_not_share_is_never_counted(net):
    populate(net, 10, seed=6)
    silent = member(net, shares=False, region="53")
    closed_campaign(silent, closed_on=date(2026, 2, 1), respondents=40, score=5.0)

    release = publish(net)

    assert release.organisations == 10
    assert not ReleaseFacts.objects.filter(organisation=silent).exists()
    total = ReleaseTable.objects.get(release=release, key="participation-region").data["column_totals"][1]
    assert total["v"] == sum(row.figures["years"]["2026"]["responses"] for row in release.facts.all())


def test_a_period_without_data_gives_empty_cells(net):
    member(net)
    release = publish(net)
    for table in ReleaseTable.objects.filter(release=release):
        for cell in every_cell(table):
            if table.figure == "charters":  # every contributor counts there, with or without one
                assert cell["why"] in ("empty", "too_few"), (table.key, cell)
            else:
                assert cell["why"] == "empty", (table.key, cell)


def test_a_network_without_contributors_publishes_empty_tables(net):
    release = publish(net)
    assert release.organisations == 0
    assert ReleaseTable.objects.filter(release=release).count() > 15


def test_an_analyst_cannot_request_twice_in_a_month(net):
    analyst = UserFactory()
    NetworkMembership.objects.create(network=net, user=analyst, role=NetworkRole.ANALYST)
    populate(net, 3)

    release = request_release(net, by=analyst)

    assert release.kind == Release.Kind.REQUESTED and release.requested_by == analyst
    with pytest.raises(ActionRefused, match="moins d'un mois"):
        request_release(net, by=analyst)
    assert Release.objects.filter(network=net).count() == 1
    Release.objects.filter(pk=release.pk).update(published_on=timezone.localdate() - timedelta(days=31))
    assert request_release(net, by=analyst).number == 2


@pytest.fixture
def analyst(net):
    user = UserFactory()
    NetworkMembership.objects.create(network=net, user=user, role=NetworkRole.ANALYST)
    return user


# Tasks queued in the database, as with TASKS_BACKEND=database: a worker would run them.
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_requests():
    from django_tasks_db.models import DBTaskResult

    return [
        task.args_kwargs["args"]
        for task in DBTaskResult.objects.filter(task_path="reperes.observatory.actions.publish_requested")
    ]


def test_with_a_worker_the_request_waits_for_the_task_and_blocks_a_second_one(net, analyst, settings):
    from reperes.observatory import actions
    from reperes.observatory.models import ReleaseRequest

    settings.TASKS = DATABASE_QUEUE
    populate(net, 3)

    assert request_release(net, by=analyst) is None  # the worker has not run yet
    assert Release.objects.filter(network=net).count() == 0
    with pytest.raises(ActionRefused, match="en préparation"):
        request_release(net, by=analyst)
    [arguments] = queued_requests()
    assert ReleaseRequest.objects.get().status == "queued"

    # The worker runs it: published once, the request gone; a second run publishes nothing.
    assert actions.publish_requested.call(*arguments) == 1
    assert actions.publish_requested.call(*arguments) == "gone"
    release = Release.objects.get(network=net)
    assert release.kind == Release.Kind.REQUESTED and release.requested_by == analyst
    assert not ReleaseRequest.objects.exists()
    with pytest.raises(ActionRefused, match="moins d'un mois"):
        request_release(net, by=analyst)


def test_two_runs_of_the_task_at_once_publish_one_release(net, analyst, settings, monkeypatch):
    """A worker taken for dead has its task run again while the first run still computes: the
    second run publishes, and the first, when it comes to write, finds the request taken."""
    from reperes.observatory import actions

    settings.TASKS = DATABASE_QUEUE
    populate(net, 3)
    request_release(net, by=analyst)
    [arguments] = queued_requests()
    compute = actions._compute
    runs = []

    def computing_while_another_run_publishes(*args, **kwargs):
        computed = compute(*args, **kwargs)
        if not runs:
            runs.append("started")
            runs.append(actions.publish_requested.call(*arguments))  # the other run, meanwhile
        return computed

    monkeypatch.setattr(actions, "_compute", computing_while_another_run_publishes)
    assert actions.publish_requested.call(*arguments) == "gone"
    assert runs == ["started", 1]
    assert Release.objects.filter(network=net).count() == 1


def test_a_request_lost_for_more_than_a_day_no_longer_blocks(net, analyst, settings):
    from reperes.observatory.models import ReleaseRequest

    settings.TASKS = DATABASE_QUEUE
    ReleaseRequest.objects.create(
        network=net, requested_by=analyst, requested_on=timezone.localdate() - timedelta(days=2)
    )
    assert request_release(net, by=analyst) is None  # a new one is queued
    assert list(ReleaseRequest.objects.values_list("status", flat=True)) == ["queued"]


def test_a_failed_release_publishes_nothing_says_so_and_can_be_asked_again(
    net, analyst, monkeypatch, client_of, settings
):
    from django.urls import reverse

    from reperes.observatory import actions
    from reperes.observatory.models import ReleaseRequest

    settings.TASKS = DATABASE_QUEUE
    populate(net, 3)
    request_release(net, by=analyst)

    def broken(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(actions, "publish_release", broken)
    [arguments] = queued_requests()
    assert actions.publish_requested.call(*arguments) == "failed"
    assert not Release.objects.exists() and ReleaseRequest.objects.get().status == "failed"
    page = client_of(analyst).get(reverse("observatory:home", args=[net.slug]))
    assert "n'a pas pu être préparée" in page.content.decode()

    monkeypatch.undo()
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert request_release(net, by=analyst).number == 1  # no worker: published at once
    assert not ReleaseRequest.objects.exists()


def test_without_a_worker_a_failure_is_said_at_once(net, analyst, monkeypatch):
    from reperes.observatory import actions
    from reperes.observatory.models import ReleaseRequest

    def broken(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(actions, "publish_release", broken)
    populate(net, 3)
    with pytest.raises(ActionRefused, match="n'a pas pu être préparée"):
        request_release(net, by=analyst)
    assert not Release.objects.exists() and not ReleaseRequest.objects.exists()


def test_a_failed_request_is_forgotten_after_a_month(net, analyst):
    from reperes.observatory.actions import purge_old_releases
    from reperes.observatory.models import ReleaseRequest

    old = ReleaseRequest.objects.create(
        network=net, requested_by=analyst, requested_on=TODAY - timedelta(days=31), status="failed"
    )
    recent = ReleaseRequest.objects.create(
        network=net, requested_by=analyst, requested_on=TODAY - timedelta(days=5), status="failed"
    )
    purge_old_releases(TODAY)
    assert list(ReleaseRequest.objects.all()) == [recent] and old.pk != recent.pk


def test_the_quarterly_job_publishes_on_the_first_day_of_a_quarter_only(net):
    from reperes.observatory.jobs import quarterly_release

    populate(net, 2)
    quarterly_release(date(2026, 7, 2))
    assert not Release.objects.exists()
    quarterly_release(date(2026, 7, 1))
    quarterly_release(date(2026, 7, 1))  # run twice: one release
    assert Release.objects.filter(network=net, kind=SCHEDULED).count() == 1


def test_releases_older_than_five_years_are_purged(net):
    from reperes.observatory.actions import purge_old_releases

    old = publish(net, today=date(2020, 1, 1))
    recent = publish(net)
    purge_old_releases(date(2026, 1, 2))
    assert not Release.objects.filter(pk=old.pk).exists()
    assert Release.objects.filter(pk=recent.pk).exists()
