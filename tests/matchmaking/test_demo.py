"""The demo's sharing cases (reperes/demo/matchmaking.py) go through the real actions."""

import pytest

from reperes.demo.matchmaking import seed_cases
from reperes.matchmaking.documents import build, document_available
from reperes.matchmaking.models import Case
from reperes.organisations.models import Affiliation, Role
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_three_cases_at_different_steps_with_a_lending_and_its_documents(network, hugo):
    users = {"hugo": hugo}
    for slug, lead, has_cse in [
        ("jardins-du-lien", "alice", True),
        ("bois-et-compagnie", "dave", True),
        ("rouletaboules", "emma", False),
        ("paniers-de-la-touvre", "julien", True),
        ("entraide-d-oc", "lucie", True),
        ("ateliers-de-l-aber", "maelle", True),
    ]:
        organisation = OrganisationFactory(slug=slug, name=slug.replace("-", " ").title(), has_cse=has_cse)
        Affiliation.objects.create(network=network, organisation=organisation)
        users[lead] = MembershipFactory(organisation=organisation, user=UserFactory(), role=Role.LEAD).user

    cases = seed_cases(network, users)
    assert [case.step for case in cases] == [Case.Step.LEGAL, Case.Step.INTRODUCTION, Case.Step.CLOSED]
    lending = cases[0]
    assert lending.employee_name == "Camille Roux" and document_available(lending)
    assert [item.id for item in lending.missing_items()] == ["amendment", "lender-cse", "user-cse"]
    filename, content = build(lending, "convention")
    assert filename.endswith(".docx") and content.startswith(b"PK")
    assert seed_cases(network, users) == []  # idempotent
