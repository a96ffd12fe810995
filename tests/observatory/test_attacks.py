"""Attacks on the observatory by a curious insider (../shared/THREATS.md): an analyst, a
facilitator who sees some organisations' results, a member organisation's lead. Each test
performs the attack and checks that it teaches nothing the rules forbid."""

from datetime import date, timedelta

import numpy as np
import pytest
from django.conf import settings
from scipy.optimize import linprog

from reperes.observatory import disclosure, tables
from reperes.observatory.actions import publish_release
from reperes.observatory.facts import facts_from_rows
from reperes.observatory.models import Release, ReleaseFacts, ReleaseTable
from reperes.observatory.panels import benchmark
from reperes.organisations.models import NetworkMembership, NetworkRole
from reperes.results.models import StoredResults
from reperes.sharing.models import ResultShare
from tests.accounts.factories import UserFactory
from tests.observatory.helpers import closed_campaign, member, populate
from tests.organisations.factories import NetworkFactory

TODAY = date(2026, 7, 1)


@pytest.fixture
def net(db):
    return NetworkFactory(slug="obs-attaque", scope="national")


def publish(network, today=TODAY):
    return publish_release(network, kind=Release.Kind.SCHEDULED, today=today)


# ---------------------------------------------------------------------------------------------
# Differencing across the tables of a release: every table is protected on its own; the reader
# holds all of them. The responses of an organisation appear in the participation tables by
# region, size, sector, legal form and year, and in the two-way table region × size with its
# margins: a linear programme over one unknown per organisation (its responses), with every
# figure shown in any of these tables as an equation, must leave every hidden figure at least k
# wide.

RESPONSE_TABLES = {
    "participation-region": "responses",
    "participation-size-band": "responses",
    "participation-sector": "responses",
    "participation-legal-form": "responses",
    "participation-programme": "responses",
    "participation-period": "responses",
    "reponses-region-taille": None,  # every inner cell is a count of responses
}


def _figures_of_release(release, k):
    """[(organisations, shown value or None, label)] of every responses figure of the release,
    with the organisations behind it (as the strongest reader knows who sits where)."""
    facts = facts_from_rows(ReleaseFacts.objects.filter(release=release))
    specs = {spec.key: spec for spec in tables.catalogue()}
    figures = []
    for key, measure in RESPONSE_TABLES.items():
        stored = ReleaseTable.objects.get(release=release, key=key)
        cells, _sent = tables.contributions(specs[key], facts, k=k)
        rows = [row["code"] for row in stored.rows]
        columns = [column["code"] for column in stored.columns]
        data = stored.data
        members = {key_: {c.organisation for c in contributions} for key_, contributions in cells.items()}

        def add(orgs, cell, label):
            if cell is None or not orgs:
                return
            shown = cell["why"] in ("", "empty")
            figures.append((frozenset(orgs), cell["v"] if shown else None, label))

        for i, row in enumerate(rows):
            for j, column in enumerate(columns):
                if measure is not None and column != measure:
                    continue
                add(members.get((row, column), set()), data["cells"][i][j], f"{key} {row}/{column}")
            if data.get("row_totals"):
                orgs = set().union(*(members.get((row, c), set()) for c in columns))
                add(orgs, data["row_totals"][i], f"{key} total {row}")
        for j, column in enumerate(columns):
            if measure is not None and column != measure:
                continue
            if data.get("column_totals"):
                orgs = set().union(*(members.get((r, column), set()) for r in rows))
                add(orgs, data["column_totals"][j], f"{key} total {column}")
        if data.get("total"):
            orgs = set().union(*members.values())
            add(orgs, data["total"], f"{key} total")
    return figures


def _narrow_hidden_figures(figures, k):
    organisations = sorted(set().union(*(orgs for orgs, _v, _l in figures)))
    index = {org: n for n, org in enumerate(organisations)}
    equations, values = [], []
    for orgs, value, _label in figures:
        if value is not None:
            row = np.zeros(len(organisations))
            for org in orgs:
                row[index[org]] = 1
            equations.append(row)
            values.append(value)
    narrow = []
    seen = set()
    for orgs, value, label in figures:
        if value is not None or orgs in seen:
            continue
        seen.add(orgs)
        # Shown somewhere else with the same organisations: not hidden at all.
        public = next((v for o, v, _l in figures if o == orgs and v is not None), None)
        objective = np.zeros(len(organisations))
        for org in orgs:
            objective[index[org]] = 1
        bounds = [(k, None)] * len(organisations)  # every counted organisation has k responses
        low = linprog(objective, A_eq=np.array(equations), b_eq=values, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=np.array(equations), b_eq=values, bounds=bounds, method="highs")
        assert low.status == 0, low.message
        width = np.inf if high.status == 3 else (-high.fun - low.fun)
        if public is not None or width < k - 1e-6:
            narrow.append((label, len(orgs), public, low.fun, -high.fun if high.status != 3 else None))
    return narrow


def test_no_hidden_responses_figure_is_pinned_by_the_other_tables_of_the_release(net):
    k = settings.ANONYMITY_THRESHOLD
    populate(net, 23, seed=1)
    # Lone organisations: one in a region of its own, one of a rare legal form, one big team.
    big = member(net, region="93", employees=120, sector="animation")
    closed_campaign(big, closed_on=date(2026, 3, 1), respondents=40)
    for region, employees, legal_form in [("53", 260, "scic"), ("84", 8, "fondation")]:
        lone = member(net, region=region, employees=employees, legal_form=legal_form)
        closed_campaign(lone, closed_on=date(2026, 3, 1), respondents=9)

    release = publish(net)

    assert _narrow_hidden_figures(_figures_of_release(release, k), k) == []


# ---------------------------------------------------------------------------------------------
# Differencing over time: between two releases one organisation joins, one withdraws its
# agreement, one closes a new campaign. No figure shown in both releases may move by fewer
# organisations than the minimum.


def _cells_of_release(release, k):
    """{(table key, element): (shown, {organisation: (value, weight)})} of every figure."""
    facts = facts_from_rows(ReleaseFacts.objects.filter(release=release))
    specs = {spec.key: spec for spec in tables.catalogue()}
    found, rules = {}, {}
    for stored in ReleaseTable.objects.filter(release=release):
        spec = specs[stored.key]
        cells, _sent = tables.contributions(spec, facts, k=k)
        rows = [row["code"] for row in stored.rows]
        columns = [column["code"] for column in stored.columns]

        def merged(keys, cells=cells):
            per = {}
            for key in keys:
                for c in cells.get(key, []):
                    value, weight = per.get(c.organisation, (0, 0))
                    per[c.organisation] = (round(value + c.value, 6), weight + c.weight)
            return per

        def shown(cell):
            return bool(cell) and cell["why"] == ""

        data = stored.data
        for i, row in enumerate(rows):
            for j, column in enumerate(columns):
                found[(stored.key, row, column)] = (shown(data["cells"][i][j]), merged([(row, column)]))
            if data["row_totals"]:
                found[(stored.key, row, "*")] = (
                    shown(data["row_totals"][i]),
                    merged([(row, c) for c in columns]),
                )
        for j, column in enumerate(columns):
            if data["column_totals"]:
                found[(stored.key, "*", column)] = (
                    shown(data["column_totals"][j]),
                    merged([(r, column) for r in rows]),
                )
        if data["total"]:
            found[(stored.key, "*", "*")] = (shown(data["total"]), merged(cells))
        rules[stored.key] = spec.rule
    return found, rules


def _moved_by_too_few(first, second, rules):
    moved = []
    for key, (shown_now, now) in second.items():
        if key not in first or not shown_now:
            continue
        shown_before, before = first[key]
        if not shown_before:
            continue
        changed = {org for org in now.keys() | before.keys() if now.get(org) != before.get(org)}
        minimum = disclosure.MIN_ORGANISATIONS[rules[key[0]]]
        if 0 < len(changed) < minimum:
            moved.append((key, len(changed)))
    return moved


def test_one_organisation_joining_withdrawing_or_closing_a_campaign_moves_no_figure(net, settings):
    k = settings.ANONYMITY_THRESHOLD
    organisations = populate(net, 24, seed=4)
    first = publish(net)
    first_cells, _rules = _cells_of_release(first, k)

    joining = member(net, region="53", employees=15, sector="animation")
    closed_campaign(joining, closed_on=date(2026, 8, 1), respondents=11, score=4.5)
    organisations[1].shares_statistics = False  # withdraws its agreement
    organisations[1].save()
    closed_campaign(organisations[2], closed_on=date(2026, 8, 2), respondents=14, score=1.0)

    second = publish(net, today=TODAY + timedelta(days=92))
    second_cells, rules = _cells_of_release(second, k)

    assert second.organisations == 24
    assert _moved_by_too_few(first_cells, second_cells, rules) == []
    # The attack had something to read: many figures are shown in both releases.
    assert sum(1 for shown, _per in second_cells.values() if shown) > 20


def test_an_analyst_publishing_in_a_loop_gets_one_release_a_month(net, client_of):
    populate(net, 6, seed=8)
    analyst = UserFactory(email="analyste@example.org")
    NetworkMembership.objects.create(network=net, user=analyst, role=NetworkRole.ANALYST)
    client = client_of(analyst)
    url = f"/r/{net.slug}/observatoire/publier/"
    for _ in range(5):
        assert client.post(url).status_code == 302
    assert Release.objects.filter(network=net).count() == 1
    # A GET never publishes.
    assert client.get(url).status_code == 405
    assert Release.objects.filter(network=net).count() == 1


# ---------------------------------------------------------------------------------------------
# A facilitator who sees some organisations' results individually subtracts them.


def test_a_facilitator_cannot_subtract_the_organisations_they_see(net):
    populate(net, 12, seed=9)  # regions 53, 52, 84, 11
    alone = []
    for _ in range(4):  # a region of four organisations, two of which share their results
        organisation = member(net, region="24", employees=15, sector="animation")
        alone.append(organisation)
        closed_campaign(organisation, closed_on=date(2026, 3, 1), respondents=10)
    for organisation in alone[:2]:
        campaign = organisation.campaigns.get()
        ResultShare.objects.create(organisation=organisation, campaign=campaign, network=net)

    release = publish(net)

    for key in ("participation-region", "qvt-region"):
        stored = ReleaseTable.objects.get(release=release, key=key)
        line = stored.data["cells"][[row["code"] for row in stored.rows].index("24")]
        # Four organisations, but only two that the facilitator does not see: nothing shown.
        assert all(cell["why"] != "" and cell["v"] is None for cell in line), key
        assert any(cell["why"] == "known" for cell in line), key


def test_an_analyst_cannot_pad_a_region_with_organisations_of_their_own(net):
    """Padding (THREATS.md) at the network's scale: the analyst is a member of two organisations
    of a small region, whose answers they know; with a third, real one, the region would reach 3
    organisations and its figure minus theirs would be the real one's."""
    from reperes.organisations.models import Membership, NetworkMembership, NetworkRole
    from tests.accounts.factories import UserFactory

    populate(net, 12, seed=9)  # regions 53, 52, 84, 11
    analyst = UserFactory()
    NetworkMembership.objects.create(network=net, user=analyst, role=NetworkRole.ANALYST)
    padded = []
    for _ in range(3):
        organisation = member(net, region="24", employees=15, sector="animation")
        padded.append(organisation)
        closed_campaign(organisation, closed_on=date(2026, 3, 1), respondents=10)
    for organisation in padded[:2]:
        Membership.objects.create(organisation=organisation, user=analyst, role="lead")

    release = publish(net)

    for key in ("participation-region", "qvt-region"):
        stored = ReleaseTable.objects.get(release=release, key=key)
        line = stored.data["cells"][[row["code"] for row in stored.rows].index("24")]
        assert all(cell["v"] is None for cell in line), key
        assert any(cell["why"] == "known" for cell in line), key


# ---------------------------------------------------------------------------------------------
# The member benchmark over time: a lead reads « structures comparables » at each release.


def _benchmark_means(organisation):
    found = benchmark(organisation)
    if found is None:
        return {}
    return {theme["id"]: (theme["mean"], theme["organisations"]) for theme in found["themes"]}


def test_the_benchmark_does_not_move_by_one_organisation_between_releases(net):
    own = member(net, employees=12, sector="animation", region="53")
    closed_campaign(own, closed_on=date(2026, 3, 1), respondents=8, score=2.0)
    for _ in range(3):
        other = member(net, employees=15, sector="animation", region="53")
        closed_campaign(other, closed_on=date(2026, 3, 1), respondents=10, score=3.0)
    publish(net)
    before = _benchmark_means(own)
    assert before, "three comparable others: the benchmark is shown"

    newcomer = member(net, employees=15, sector="animation", region="53")
    closed_campaign(newcomer, closed_on=date(2026, 8, 1), respondents=10, score=5.0)
    publish(net, today=TODAY + timedelta(days=92))
    after = _benchmark_means(own)

    # Shown both times with one organisation more would give the newcomer's scores:
    # (4 × 10 × mean after − 3 × 10 × mean before) / 10.
    assert after == {} or after == before


# ---------------------------------------------------------------------------------------------
# Reaching across tenants and tampered URLs.


def test_tampered_urls_reach_nothing_of_another_network(net, client_of):
    populate(net, 6, seed=10)
    mine = NetworkFactory(slug="mon-reseau")
    populate(mine, 6, seed=11)
    publish(net)
    publish(mine)
    analyst = UserFactory(email="analyste2@example.org")
    NetworkMembership.objects.create(network=mine, user=analyst, role=NetworkRole.ANALYST)
    facilitator = UserFactory(email="fac@example.org")
    NetworkMembership.objects.create(network=mine, user=facilitator, role=NetworkRole.FACILITATOR)
    client = client_of(analyst)
    assert client.get(f"/r/{mine.slug}/observatoire/1/").status_code == 200
    for url in [
        f"/r/{net.slug}/observatoire/",
        f"/r/{net.slug}/observatoire/1/",
        f"/r/{net.slug}/observatoire/1/participation-region/",
        f"/r/{net.slug}/observatoire/1/participation-region.csv",
        f"/r/{net.slug}/observatoire/1/participation-region.xlsx",
        f"/r/{net.slug}/observatoire/1/chiffres-cles.pdf",
        f"/r/{mine.slug}/observatoire/2/",
        f"/r/{mine.slug}/observatoire/99999999999999999999/",
        f"/r/{mine.slug}/observatoire/1/pas-un-tableau/",
        f"/r/{mine.slug}/observatoire/1/pas-un-tableau.csv",
        f"/r/{mine.slug}/observatoire/1/pas-un-tableau.xlsx",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/r/{net.slug}/observatoire/publier/").status_code == 404
    assert Release.objects.filter(network=net).count() == 1
    # A facilitator may read the observatory but not publish.
    facilitator_client = client_of(facilitator)
    assert facilitator_client.post(f"/r/{mine.slug}/observatoire/publier/").status_code in (403, 404)
    assert Release.objects.filter(network=mine).count() == 1


def test_filters_with_values_outside_the_release_and_huge_query_strings(net, client_of):
    populate(net, 6, seed=12)
    publish(net)
    analyst = UserFactory(email="analyste3@example.org")
    NetworkMembership.objects.create(network=net, user=analyst, role=NetworkRole.ANALYST)
    client = client_of(analyst)
    base = f"/r/{net.slug}/observatoire/1/"
    for query in [
        {"region": "75"},  # a region with no contributing organisation
        {"region": "53", "taille": "9999"},
        {"region": "x" * 20000},
        {"colonne": "9" * 5000, "comparer": "1"},
    ]:
        response = client.get(base, query)
        assert response.status_code == 200
        assert not response.context["readings"]
    assert client.get(base, {"secteur": ["zzz"] * 2000}).status_code == 200
    assert client.get(base + "participation-region/", {"colonne": "-1" * 3000}).status_code == 200


# ---------------------------------------------------------------------------------------------
# A database dump: what a release keeps, and the stored results.


def test_a_dump_of_the_release_holds_no_hidden_figure_and_nothing_finer_than_a_day(net):
    populate(net, 14, seed=13)
    lone = member(net, region="93", employees=300)
    closed_campaign(lone, closed_on=date(2026, 3, 1), respondents=33, score=4.9)
    release = publish(net)

    hidden = 0
    for stored in ReleaseTable.objects.filter(release=release):
        data = stored.data
        cells = [cell for line in data["cells"] for cell in line]
        cells += [cell for cell in (data["row_totals"] or []) + (data["column_totals"] or []) if cell]
        cells += [data["total"]] if data["total"] else []
        for cell in cells:
            if cell["why"] not in ("", "empty"):
                hidden += 1
                assert cell["v"] is None and cell["n"] is None and cell["w"] is None
    assert hidden

    # The facts kept for the next release: organisation-level figures, dates at most to the day.
    for model in (ReleaseFacts, StoredResults):
        for field in model._meta.concrete_fields:
            assert field.get_internal_type() != "DateTimeField", (model, field.name)
            assert field.name not in ("respondent", "user", "ip", "token", "email"), (model, field.name)

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                yield key
                yield from walk(item)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)
        else:
            yield value

    for row in ReleaseFacts.objects.filter(release=release):
        for item in walk(row.figures):
            if isinstance(item, str) and len(item) > 10 and item[:4].isdigit() and "-" in item:
                raise AssertionError(f"a time finer than the day: {item}")
    assert StoredResults.objects.filter(campaign__organisation=lone).get().computed_on == date(2026, 3, 1)


def test_the_benchmark_comes_back_when_three_organisations_changed(net):
    own = member(net, employees=12, sector="animation", region="53")
    closed_campaign(own, closed_on=date(2026, 3, 1), respondents=8, score=2.0)
    for _ in range(3):
        other = member(net, employees=15, sector="animation", region="53")
        closed_campaign(other, closed_on=date(2026, 3, 1), respondents=10, score=3.0)
    publish(net)
    for _ in range(3):
        newcomer = member(net, employees=15, sector="animation", region="53")
        closed_campaign(newcomer, closed_on=date(2026, 8, 1), respondents=10, score=5.0)
    publish(net, today=TODAY + timedelta(days=92))
    # Three newcomers: the difference is the mean of three organisations, which the rules allow.
    assert set(_benchmark_means(own).values()) == {(4.0, 6)}


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_publish_one_release():
    import threading

    from django.db import connection, connections

    from reperes.lib.actions import ActionRefused
    from reperes.observatory.actions import request_release

    # PostgreSQL: the network row's lock; SQLite: its IMMEDIATE transactions, one writer at a time.
    assert connection.vendor in {"sqlite", "postgresql"}
    network = NetworkFactory(slug="obs-course")
    populate(network, 4, seed=14)
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        try:
            barrier.wait()
            request_release(network, by=None)
            outcomes.append("published")
        except ActionRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published", "refused"]
    assert Release.objects.filter(network=network).count() == 1


def test_a_lead_cannot_browse_comparable_groups_by_editing_its_profile(net):
    """A lead whose organisation does not contribute edits its sector (its profile is a filter)
    to read the group of its size band and sector, then the group of its size band and region:
    the four organisations of the sector minus the three of the region would be the fourth."""
    own = member(net, shares=False, employees=12, sector="animation", region="53")
    closed_campaign(own, closed_on=date(2026, 3, 1), respondents=8, score=2.0)
    for _ in range(3):
        other = member(net, employees=15, sector="animation", region="53")
        closed_campaign(other, closed_on=date(2026, 3, 1), respondents=10, score=3.0)
    elsewhere = member(net, employees=15, sector="animation", region="84")
    closed_campaign(elsewhere, closed_on=date(2026, 3, 1), respondents=10, score=5.0)
    publish(net)

    by_sector = _benchmark_means(own)
    own.sector = "culture"  # a sector with nobody: the benchmark falls back on the region
    own.save()
    by_region = _benchmark_means(own)

    # Both shown, the difference gives the organisation of region 84 (4 × 3.5 − 3 × 3 = 5).
    assert not (by_sector and by_region and by_sector != by_region)
    # The organisation does not contribute: it is not offered the others' figures at all.
    assert by_sector == by_region == {}
    assert benchmark(own) is None


def test_a_contributing_lead_s_benchmark_keeps_the_dimensions_of_the_release(net):
    own = member(net, employees=12, sector="animation", region="53")
    closed_campaign(own, closed_on=date(2026, 3, 1), respondents=8, score=2.0)
    for _ in range(3):
        other = member(net, employees=15, sector="animation", region="53")
        closed_campaign(other, closed_on=date(2026, 3, 1), respondents=10, score=3.0)
    publish(net)
    before = _benchmark_means(own)
    own.sector, own.region, own.employees = "culture", "84", 60
    own.save()
    assert _benchmark_means(own) == before != {}


QVT_ONE_WAY = ["qvt-region", "qvt-size-band", "qvt-sector", "qvt-legal-form", "qvt-programme"]
DETERMINANTS_ONE_WAY = [key.replace("qvt-", "determinants-") for key in QVT_ONE_WAY]


@pytest.mark.parametrize(
    "keys, theme",
    [(QVT_ONE_WAY, "projet"), (DETERMINANTS_ONE_WAY, "labqvt:management")],
    ids=["by-theme", "by-determinant"],
)
def test_no_lone_organisation_s_qvt_score_is_pinned_by_the_one_way_tables(net, keys, theme):
    k = settings.ANONYMITY_THRESHOLD
    populate(net, 23, seed=1)
    lone = member(net, region="93", employees=120, sector="animation")
    closed_campaign(lone, closed_on=date(2026, 3, 1), respondents=40, score=4.6)
    for region, employees, legal_form in [("53", 260, "scic"), ("84", 8, "fondation")]:
        other = member(net, region=region, employees=employees, legal_form=legal_form)
        closed_campaign(other, closed_on=date(2026, 3, 1), respondents=9)
    release = publish(net)

    facts = facts_from_rows(ReleaseFacts.objects.filter(release=release))
    specs = {spec.key: spec for spec in tables.catalogue()}
    # The reader knows each organisation's respondents (the responses tables give them, above).
    weights = {
        org: record.figures["instruments"]["qvt-numerique"]["respondents"]
        for org, record in facts.items()
        if "qvt-numerique" in record.figures["instruments"]
    }
    organisations = sorted(weights)
    index = {org: n for n, org in enumerate(organisations)}
    rows_, low_, high_ = [], [], []
    for key in keys:
        stored = ReleaseTable.objects.get(release=release, key=key)
        cells, _sent = tables.contributions(specs[key], facts, k=k)
        row_codes = [row["code"] for row in stored.rows]
        j = [column["code"] for column in stored.columns].index(theme)
        lines = [
            ({c.organisation for c in cells.get((r, theme), [])}, stored.data["cells"][i][j])
            for i, r in enumerate(row_codes)
        ]
        if stored.data["column_totals"]:
            everyone = {c.organisation for r in row_codes for c in cells.get((r, theme), [])}
            lines.append((everyone, stored.data["column_totals"][j]))
        for members, cell in lines:
            if members and cell and cell["why"] == "":
                equation = np.zeros(len(organisations))
                for org in members:
                    equation[index[org]] = 1
                rows_.append(equation)  # a mean rounded to 2 decimals, times its responses
                low_.append((cell["v"] - 0.005) * cell["w"])
                high_.append((cell["v"] + 0.005) * cell["w"])
    a_ub = np.vstack([np.array(rows_), -np.array(rows_)])
    b_ub = np.array(high_ + [-value for value in low_])
    bounds = [(0, 5 * weights[org]) for org in organisations]
    objective = np.zeros(len(organisations))
    objective[index[lone.pk]] = 1
    low = linprog(objective, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    high = linprog(-objective, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    # Its theme score, a figure resting on one organisation, must stay undetermined: at least
    # the protection margin of a sum (here its whole value) wide.
    assert (-high.fun - low.fun) / weights[lone.pk] >= 4.6 * 0.2
