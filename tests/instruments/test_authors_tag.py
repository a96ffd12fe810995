"""Authors tag what they write with the QVT frameworks: an action born from a theme of a
diagnostic starts tagged with the determinants its statements touch; a library item is tagged by
the network's staff; a tampered tag is refused in French."""

import pytest
from django.urls import reverse

from reperes.action_plans.models import Action
from reperes.instruments.frameworks import author_choices, determinants_of, known_tags
from reperes.resources.models import Resource
from tests.action_plans.test_actions import data
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.helpers import page_text
from tests.resources.test_views import form_data

pytestmark = pytest.mark.django_db


def test_the_author_s_choices_are_the_six_determinants_and_the_five_domains():
    (labqvt, six), (anact, five) = author_choices()
    assert "LAB'QVT" in labqvt and len(six) == 6
    assert "Anact" in anact or "ANACT" in anact.upper()
    assert len(five) == 5
    assert {tag for tag, _ in six + five} <= known_tags()


def test_a_factor_counts_for_its_domain():
    assert determinants_of([{"determinants": ["labqvt:sante", "anact:autonomie"]}]) == [
        "labqvt:sante",
        "anact:contenu-travail",
    ]


def test_an_action_from_a_theme_starts_with_its_statements_determinants(client, alice, org_a):
    campaign = CampaignFactory(
        organisation=org_a, questionnaire_version=questionnaire_version("qvt-numerique")
    )
    expected = determinants_of(campaign.spec.theme("temps")["items"])
    assert "labqvt:sante" in expected
    client.force_login(alice)
    url = reverse("action_plans:create", args=[org_a.slug]) + f"?diagnostic={campaign.pk}&theme=temps"
    form = client.get(url).context["form"]
    assert form.initial["determinants"] == expected
    response = client.post(url, data(determinants=["labqvt:sante", "anact:articulation-temps"]))
    action = Action.objects.get()
    assert response["Location"] == action.get_absolute_url()
    assert action.determinants == ["labqvt:sante", "anact:articulation-temps"]
    page = page_text(client.get(action.get_absolute_url()))
    assert "Déterminants de la QVT" in page
    assert "Santé au travail" in page


def test_a_tampered_determinant_is_refused_and_nothing_is_lost(client, alice, org_a):
    client.force_login(alice)
    url = reverse("action_plans:create", args=[org_a.slug])
    response = client.post(url, data(determinants=["labqvt:inventé"]))
    assert response.status_code == 200
    assert "« labqvt:inventé » ne fait pas partie de la liste." in page_text(response)
    assert "Fixer des horaires de messagerie" in response.content.decode()
    assert not Action.objects.exists()


def test_the_network_s_staff_tag_a_library_item(client_of, network, hugo):
    client = client_of(hugo)
    response = client.post(
        reverse("resources:create", args=[network.slug]),
        form_data(
            link="https://example.org/guide", determinants=["labqvt:relations-climat", "anact:relations"]
        ),
    )
    resource = Resource.objects.get()
    assert response.status_code == 302
    assert resource.determinants == ["labqvt:relations-climat", "anact:relations"]
    page = page_text(client.get(reverse("resources:resource", args=[network.slug, resource.pk])))
    assert "Relations de travail et climat social" in page
    refused = client.post(
        reverse("resources:edit", args=[network.slug, resource.pk]),
        form_data(link="https://example.org/guide", determinants=["pas:un-tag"]),
    )
    assert "« pas:un-tag » ne fait pas partie de la liste." in page_text(refused)
    resource.refresh_from_db()
    assert resource.determinants == ["labqvt:relations-climat", "anact:relations"]
