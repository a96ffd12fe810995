"""Charter actions run in one transaction and record the `by` they take (issue 10, point 4)."""

import datetime
from unittest import mock

import pytest

from reperes.charters import actions
from reperes.charters.library import get_library
from reperes.charters.models import CharterClause, Instrument
from reperes.lib.actions import ActionRefused

pytestmark = pytest.mark.django_db


@pytest.fixture
def charter(org_a, alice):
    return actions.create_charter(org_a, by=alice, instrument=Instrument.CHARTER, title="Télétravail")


def defaults():
    return {key: parameter.default for key, parameter in get_library().parameters.items()}


def test_set_parameters_records_who_set_them(alice, org_a, charter):
    actions.set_parameters(charter, defaults(), by=alice)
    event = org_a.events.get(verb="telework.charter_parameters_set")
    assert event.actor == alice and "Télétravail" in event.description


def test_refused_parameters_change_nothing_and_record_nothing(alice, org_a, charter):
    wrong = {key: "beaucoup" for key, p in get_library().parameters.items() if p.type == "int"}
    with pytest.raises(ActionRefused):
        actions.set_parameters(charter, {**defaults(), **wrong}, by=alice)
    charter.refresh_from_db()
    assert charter.parameters == {}
    assert not org_a.events.filter(verb="telework.charter_parameters_set").exists()


def test_record_opinion_records_who_noted_it(alice, org_a, charter):
    actions.submit_charter(charter, by=alice, on=datetime.date(2026, 11, 1))
    with pytest.raises(ActionRefused):
        actions.record_opinion(charter, on=datetime.date(2026, 10, 1), summary="", by=alice)
    assert not org_a.events.filter(verb="telework.charter_opinion").exists()
    actions.record_opinion(charter, on=datetime.date(2026, 11, 10), summary="Avis favorable.", by=alice)
    assert org_a.events.get(verb="telework.charter_opinion").actor == alice


def test_removing_a_clause_is_one_transaction_with_its_event(alice, charter):
    row = charter.clauses.first()
    with (
        mock.patch.object(CharterClause, "delete", side_effect=RuntimeError("panne")),
        pytest.raises(RuntimeError),
    ):
        actions.remove_clause(row, by=alice)
    assert not charter.organisation.events.filter(verb="telework.clause_removed").exists()
    assert CharterClause.objects.filter(pk=row.pk).exists()
