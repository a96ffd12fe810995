"""List and case pages read a bounded number of rows, however many cases."""

import pytest
from django.urls import reverse

from reperes.matchmaking import actions
from reperes.matchmaking.models import Case

pytestmark = pytest.mark.django_db


def test_the_list_does_not_grow_with_cases(at_step, client_of, network, mia, django_assert_max_num_queries):
    for step in (Case.Step.SEARCH, Case.Step.LEGAL, Case.Step.CLOSED):
        at_step(step)
    client = client_of(mia)
    url = reverse("matchmaking:cases", args=[network.slug])
    client.get(url)
    with django_assert_max_num_queries(10):
        assert client.get(url, {"etape": "tous"}).status_code == 200
    for _ in range(5):
        at_step(Case.Step.INTRODUCTION)
    with django_assert_max_num_queries(10):
        assert client.get(url, {"etape": "tous"}).status_code == 200


def test_the_case_pages_do_not_grow_with_the_journal(
    at_step, client_of, org_a, alice, mia, django_assert_max_num_queries
):
    case = at_step(Case.Step.LEGAL)
    for n in range(10):
        actions.add_note(case, text=f"Note {n}", by=mia)
    client = client_of(mia)
    with django_assert_max_num_queries(10):
        assert client.get(case.get_network_url()).status_code == 200
    client = client_of(alice)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("matchmaking:org_case", args=[org_a.slug, case.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("matchmaking:org_cases", args=[org_a.slug])).status_code == 200
