"""A closed survey's results by segment, under the rules of one answer per organisation: at least
5 organisations per figure, never all the same answer, secondary suppression; small segments
gathered; open answers quoted only with consent; and the attacks of a curious insider."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.urls import reverse

from reperes.surveys import actions
from reperes.surveys.models import Recipient
from reperes.surveys.results import OTHERS, question_tables, quotes, response_rates, segments
from tests.helpers import page_text
from tests.observatory.helpers import member
from tests.surveys.conftest import TODAY, answer, make_survey

pytestmark = pytest.mark.django_db

ITEM = "enquete-entretiens"


def table_of(tables, item_id=ITEM):
    return next(table for table in tables if table.item["id"] == item_id)


def shown_values(line):
    return [cell["value"] if cell["shown"] else "s" for cell in line["cells"]] + [
        line["total"]["value"] if line["total"]["shown"] else "s"
    ]


def closed_survey(network, hugo, answers_by_org, **fields):
    """answers_by_org: [(organisation, value of ITEM)]; every other statement « oui »."""
    survey = make_survey(network, hugo, **fields)
    for organisation, value in answers_by_org:
        answer(survey, organisation, "oui", **{ITEM: value})
    return actions.close_survey(survey, by=hugo, today=TODAY + timedelta(days=1))


def test_the_overall_distribution_shows_from_five_organisations(network, hugo, version):
    organisations = [member(network, region="53") for _ in range(6)]
    values = ["oui", "oui", "oui", "non", "non", "nsp"]
    survey = closed_survey(network, hugo, list(zip(organisations, values, strict=True)), regions=["53"])
    table = table_of(question_tables(survey, ""))
    (row,) = table.rows
    assert shown_values(row) == [3, 1, 2, 6]  # oui, nsp, non (the scale's order), total
    assert row["cells"][0]["percent"] == 50


def test_four_organisations_show_nothing(network, hugo, version):
    organisations = [member(network, region="53") for _ in range(4)]
    survey = closed_survey(
        network, hugo, list(zip(organisations, ["oui", "non", "nsp", "oui"], strict=True)), regions=["53"]
    )
    (row,) = table_of(question_tables(survey, "")).rows
    assert shown_values(row) == ["s", "s", "s", 4]  # how many answered is public (response rates)
    assert "trop peu de structures" in table_of(question_tables(survey, "")).notes[0]["explanation"]


def test_a_unanimous_segment_is_hidden(network, hugo, version):
    organisations = [member(network, region="53") for _ in range(6)]
    survey = closed_survey(network, hugo, [(org, "oui") for org in organisations], regions=["53"])
    table = table_of(question_tables(survey, ""))
    assert "s" in shown_values(table.rows[0])
    assert any("même réponse" in note["explanation"] for note in table.notes)


def test_small_segments_are_gathered_and_a_lone_one_cannot_be_subtracted(network, hugo, version):
    bretagne = [member(network, region="53") for _ in range(7)]
    normandie = [member(network, region="28") for _ in range(6)]
    lone = member(network, region="11")  # the only organisation of Île-de-France
    answers = [(org, "oui" if n % 2 else "non") for n, org in enumerate(bretagne)]
    answers += [(org, "nsp" if n % 3 else "oui") for n, org in enumerate(normandie)]
    answers += [(lone, "non")]
    survey = closed_survey(network, hugo, answers, regions=["53", "28", "11"])
    recipients = list(survey.recipients.filter(state=Recipient.State.SUBMITTED))
    rows = segments(recipients, "region")
    lone_row = rows[next(r.pk for r in recipients if r.organisation_id == lone.pk)]
    assert lone_row == OTHERS
    table = table_of(question_tables(survey, "region"))
    labels = [row["label"] for row in table.rows]
    assert labels == ["Bretagne", "Normandie", "Autres, regroupées"]
    others = table.rows[2]
    assert shown_values(others) == ["s", "s", "s", 1]
    # The attack: the overall figure minus the regions shown gives the lone organisation's
    # answer, unless another figure of each line is hidden too.
    totals = table.totals
    for column in range(3):
        column_cells = [
            table.rows[0]["cells"][column],
            table.rows[1]["cells"][column],
            totals["cells"][column],
        ]
        assert not all(cell["shown"] for cell in column_cells), column


def test_an_organisation_cannot_subtract_itself_from_what_it_reads(network, hugo, version, client_of):
    """Five organisations: the network sees the distribution; each of the five, who knows its own
    answer, would learn the other four's sum, so the figures it reads are hidden."""
    from tests.accounts.factories import UserFactory
    from tests.organisations.factories import MembershipFactory

    organisations = [member(network, region="53") for _ in range(5)]
    survey = closed_survey(
        network,
        hugo,
        list(zip(organisations, ["oui", "oui", "non", "non", "nsp"], strict=True)),
        regions=["53"],
    )
    (row,) = table_of(question_tables(survey, "")).rows
    assert shown_values(row) == [2, 1, 2, 5]
    (row,) = table_of(question_tables(survey, "", known=frozenset({organisations[0].pk}))).rows
    assert shown_values(row) == ["s", "s", "s", 5]
    lead = MembershipFactory(organisation=organisations[0], user=UserFactory(), role="lead").user
    page = client_of(lead).get(reverse("surveys:org_results", args=[organisations[0].slug, survey.pk]))
    assert page.status_code == 200
    assert "masqué" in page_text(page)


def test_results_never_move_once_closed(network, hugo, version):
    organisations = [member(network, region="53") for _ in range(6)]
    survey = closed_survey(
        network, hugo, list(zip(organisations, ["oui", "oui", "oui", "non", "non", "nsp"], strict=True))
    )
    before = [shown_values(row) for row in table_of(question_tables(survey, "region")).rows]
    # An organisation moves and another leaves the network: the segments are the opening day's.
    organisations[0].region = "11"
    organisations[0].save()
    organisations[1].affiliations.all().delete()
    after = [shown_values(row) for row in table_of(question_tables(survey, "region")).rows]
    assert before == after


def test_open_answers_are_quoted_only_with_consent(network, hugo, alice, dave, org_a, org_b, version):
    survey = make_survey(network, hugo)
    answer(survey, org_a, by=alice, texts={"enquete-bonne-pratique": "Le café du lundi"}, consent=True)
    answer(survey, org_b, by=dave, texts={"enquete-bonne-pratique": "Secret de fabrication"}, consent=False)
    actions.close_survey(survey, by=hugo, today=TODAY + timedelta(days=1))
    shown = [(q["organisation"].name, q["text"]) for entry in quotes(survey) for q in entry["quotes"]]
    assert shown == [(org_a.name, "Le café du lundi")]


def test_response_rates_by_segment(network, hugo, members, org_a, alice):
    survey = make_survey(network, hugo)
    answer(survey, members[0], by=None)
    answer(survey, members[8], by=None)
    rates, total = response_rates(survey, "region")
    by_label = {rate.label: (rate.answered, rate.targeted, rate.percent) for rate in rates}
    assert by_label["Bretagne"] == (1, 8, 12)
    assert by_label["Normandie"] == (1, 4, 25)
    assert (total.answered, total.targeted) == (2, 14)


def test_the_results_page_and_its_export_keep_hidden_figures_hidden(client_of, network, hugo, nina, version):
    organisations = [member(network, region="53") for _ in range(7)] + [member(network, region="28")]
    answers = [(org, ["oui", "non", "nsp"][n % 3]) for n, org in enumerate(organisations)]
    survey = closed_survey(network, hugo, answers, regions=["53", "28"])
    client = client_of(nina)
    page = client.get(reverse("surveys:survey", args=[network.slug, survey.pk]), {"par": "region"})
    assert page.status_code == 200 and "Autres, regroupées" in page_text(page)
    export = client.get(reverse("surveys:results_csv", args=[network.slug, survey.pk]), {"par": "region"})
    body = export.content.decode("utf-8-sig")
    lines = [line.split(";") for line in body.splitlines()]
    assert lines[0] == ["Question", "Région", "Réponse", "Structures"]
    others = [line for line in lines if line[1] == "Autres, regroupées"]
    assert others and all(line[3] == "masqué" for line in others if line[2] != "Total")
    assert {line[3] for line in others if line[2] == "Total"} == {"1"}  # public: the response rates
    # Asking for another breakdown changes the participation table only: the answers are
    # published by the one breakdown chosen before the survey opened.
    by_size = client.get(reverse("surveys:survey", args=[network.slug, survey.pk]), {"par": "size_band"})
    assert by_size.status_code == 200 and "Autres, regroupées" in page_text(by_size)
    assert "Par région" in page_text(by_size) and "Par taille" not in page_text(by_size)


def test_an_analyst_cannot_pad_a_survey_with_organisations_of_their_own(
    client_of, network, hugo, nina, version
):
    """Padding (THREATS.md): the analyst belongs to five of the six organisations that answer,
    and knows their answers; the sixth one's answer would be the overall figure minus theirs."""
    from reperes.organisations.models import Membership

    organisations = [member(network, region="53") for _ in range(6)]
    for organisation in organisations[:5]:
        Membership.objects.create(organisation=organisation, user=nina, role="lead")
    answers = [(org, "oui") for org in organisations[:5]] + [(organisations[5], "non")]
    survey = closed_survey(network, hugo, answers, regions=["53"])
    client = client_of(nina)
    page = client.get(reverse("surveys:survey", args=[network.slug, survey.pk]))
    [table] = [t for t in page.context["tables"] if t.item["id"] == ITEM]
    (row,) = table.rows
    assert [cell["shown"] for cell in row["cells"]] == [False, False, False]
    export = client.get(reverse("surveys:results_csv", args=[network.slug, survey.pk]))
    lines = [line.split(";") for line in export.content.decode("utf-8-sig").splitlines()]
    mine = [line for line in lines if ITEM in line[0] or line[0] == table.item["text"]]
    assert mine and all(line[3] == "masqué" for line in mine if line[2] != "Total")
    # For a reader who knows none of them, the same answers are shown (six organisations, not
    # all alike): the analyst's five would have given the sixth away.
    (row,) = table_of(question_tables(survey, "")).rows
    assert shown_values(row) == [5, 0, 1, 6]


@pytest.mark.django_db(transaction=True)
def test_two_pilots_sending_at_once_make_one_answer(network, hugo, alice, carol, org_a, version):
    survey = make_survey(network, hugo)
    recipient = Recipient.objects.get(survey=survey, organisation=org_a)
    barrier = threading.Barrier(2)
    errors = []

    def send(value, by):
        try:
            barrier.wait()
            actions.save_answer(
                recipient,
                answers={item_id: value for item_id in survey.spec.item_ids},
                texts={},
                quote_consent=False,
                submit=True,
                by=by,
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=args) for args in (("oui", alice), ("non", carol))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = Recipient.objects.filter(survey=survey, organisation=org_a)
    assert rows.count() == 1
    (row,) = rows
    assert row.has_answered and len(set(row.answers.values())) == 1  # one whole answer, not a mix


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("breakdown", ["region", "size_band"])
def test_no_hidden_figure_is_pinned_by_the_shown_ones_and_the_response_rates(
    network, hugo, version, seed, breakdown
):
    """The reader holds every shown figure of a table and the number of organisations that
    answered in each segment (the response rates). A linear programme over the hidden cells
    (non-negative whole counts) must leave each of them free to move."""
    import random

    import numpy as np
    from scipy.optimize import linprog

    rng = random.Random(seed)
    regions = ["53", "28", "52", "84", "11", "93"]
    employees = [5, 15, 30, 70, 150]
    answers = []
    for n in range(40):
        organisation = member(
            network, region=rng.choice(regions[: 2 + n % 5]), employees=rng.choice(employees)
        )
        answers.append((organisation, rng.choice(["oui", "oui", "non", "nsp"])))
    survey = closed_survey(network, hugo, answers)
    hidden_seen = 0
    for table in question_tables(survey, breakdown):
        grid = [line["cells"] for line in table.rows]
        counts = [line["total"]["value"] for line in table.rows]
        hidden = [(i, j) for i, line in enumerate(grid) for j, cell in enumerate(line) if not cell["shown"]]
        if not hidden:
            continue
        hidden_seen += len(hidden)
        index = {cell: n for n, cell in enumerate(hidden)}
        equations, constants = [], []
        for i, line in enumerate(grid):  # each segment adds up to its public count
            row = np.zeros(len(hidden))
            known = 0
            for j, cell in enumerate(line):
                if cell["shown"]:
                    known += cell["value"] or 0
                else:
                    row[index[(i, j)]] = 1
            equations.append(row)
            constants.append(counts[i] - known)
        for j, total in enumerate(table.totals["cells"] if table.totals else []):
            if total["shown"]:  # a shown column total
                row = np.zeros(len(hidden))
                known = 0
                for i, line in enumerate(grid):
                    if line[j]["shown"]:
                        known += line[j]["value"] or 0
                    else:
                        row[index[(i, j)]] = 1
                equations.append(row)
                constants.append(total["value"] - known)
        for cell, n in index.items():
            objective = np.zeros(len(hidden))
            objective[n] = 1
            low = linprog(
                objective, A_eq=np.array(equations), b_eq=constants, bounds=(0, None), method="highs"
            )
            high = linprog(
                -objective, A_eq=np.array(equations), b_eq=constants, bounds=(0, None), method="highs"
            )
            assert low.status == 0
            assert -high.fun - low.fun >= 1 - 1e-6, (table.item["id"], cell, low.fun, -high.fun)
    assert hidden_seen  # the generated survey does hide figures


def pinned_organisations(survey, breakdowns):
    """The (organisation, answer) pairs of the first statement that a reader holding its tables
    by `breakdowns`, and each organisation's segments (the network's directory), can pin: a
    linear programme with each organisation's answer as shares of one and every shown figure as
    an equation; pinned even in this relaxed programme means disclosed."""
    import numpy as np
    from scipy.optimize import linprog

    from reperes.surveys.results import _order

    recipients = list(survey.recipients.filter(state=Recipient.State.SUBMITTED))
    values = [choice["value"] for choice in survey.spec.scale["choices"]]
    index = {(r.pk, v): n for n, (r, v) in enumerate((r, v) for r in recipients for v in values)}
    equations, constants = [], []
    for recipient in recipients:  # one answer each
        row = np.zeros(len(index))
        for value in values:
            row[index[(recipient.pk, value)]] = 1
        equations.append(row)
        constants.append(1)
    for breakdown in breakdowns:
        table = table_of(question_tables(survey, breakdown))
        rows_of = segments(recipients, breakdown)
        codes = sorted(set(rows_of.values()), key=lambda code: _order(breakdown, code))
        lines = list(zip(codes, table.rows, strict=True))
        if table.totals:
            lines.append((None, table.totals))
        for code, line in lines:
            members = [r for r in recipients if code is None or rows_of[r.pk] == code]
            for value, cell in zip(values, line["cells"], strict=True):
                if cell["shown"] and cell["value"] is not None:
                    row = np.zeros(len(index))
                    for recipient in members:
                        row[index[(recipient.pk, value)]] = 1
                    equations.append(row)
                    constants.append(cell["value"])
    pinned = []
    for recipient in recipients:
        for value in values:
            objective = np.zeros(len(index))
            objective[index[(recipient.pk, value)]] = 1
            low = linprog(objective, A_eq=np.array(equations), b_eq=constants, bounds=(0, 1), method="highs")
            assert low.status == 0
            if low.fun > 1 - 1e-6:
                pinned.append((recipient.organisation.name, value))
    return pinned


def varied_survey(network, hugo, seed, **fields):
    import random

    rng = random.Random(seed)
    answers = []
    for _n in range(36):
        organisation = member(
            network,
            region=rng.choice(["53", "53", "28", "52", "84"]),
            employees=rng.choice([5, 15, 30, 70, 300]),
            sector=rng.choice(["animation", "insertion", "culture"]),
        )
        answers.append((organisation, rng.choice(["oui", "oui", "non", "nsp"])))
    return closed_survey(network, hugo, answers, **fields)


def test_crossing_two_breakdowns_would_pin_organisations_hence_one_per_survey(network, hugo, version):
    """Why a survey publishes its answers by one breakdown only: the same statement by region,
    by sector, by size and by legal form, each protected on its own, pins organisations."""
    survey = varied_survey(network, hugo, 4)
    assert pinned_organisations(survey, ["", "region", "sector", "size_band", "legal_form"])
    assert pinned_organisations(survey, [survey.breakdown]) == []


@pytest.mark.parametrize("seed", [4, 5, 6])
@pytest.mark.parametrize("breakdown", ["region", "sector", "size_band", "legal_form", ""])
def test_no_organisation_s_answer_is_pinned_by_what_a_survey_publishes(
    network, hugo, version, seed, breakdown
):
    """Everything a survey publishes about a statement: its table by the chosen breakdown and the
    line « Ensemble » (the same table's totals, also the overview's line)."""
    survey = varied_survey(network, hugo, seed, breakdown=breakdown)
    assert pinned_organisations(survey, [breakdown]) == []
