"""Surveys of a network's organisations: a survey built with the actions, organisations of the
network in known regions and sizes, and answers given through the actions."""

from datetime import date, timedelta

import pytest

from reperes.surveys import actions
from reperes.surveys.models import Recipient
from tests.campaigns.factories import questionnaire_version
from tests.observatory.helpers import member

TODAY = date(2026, 6, 10)
SLUG = "enquete-pratiques-qvt"


def make_survey(network, by, *, today=TODAY, open_=True, **fields):
    fields = {
        "title": "Vos pratiques de QVT",
        "questionnaire_version": questionnaire_version(SLUG),
        "opens_on": today,
        "closes_on": today + timedelta(days=30),
        **fields,
    }
    survey = actions.create_survey(network, by=by, today=today, **fields)
    if open_:
        survey = actions.schedule_survey(survey, by=by, today=today)
    survey.refresh_from_db()
    return survey


def all_answers(survey, value="oui", **overrides):
    return {item_id: overrides.get(item_id, value) for item_id in survey.spec.item_ids}


def answer(
    survey, organisation, value="oui", *, by=None, texts=None, consent=False, today=TODAY, **overrides
):
    recipient = Recipient.objects.get(survey=survey, organisation=organisation)
    return actions.save_answer(
        recipient,
        answers=all_answers(survey, value, **overrides),
        texts=texts or {},
        quote_consent=consent,
        submit=True,
        by=by,
        today=today,
    )


@pytest.fixture
def version(db):
    return questionnaire_version(SLUG)


@pytest.fixture
def members(network, version):
    """Twelve more organisations: eight in Bretagne (53), four in Normandie (28)."""
    return [member(network, region="53", employees=15) for _ in range(8)] + [
        member(network, region="28", employees=60) for _ in range(4)
    ]
