"""Asking for accompaniment: who may, what the form refuses, and what Repères offers at once."""

import pytest
from django.urls import reverse

from reperes.lib.actions import ActionRefused
from reperes.requests import actions
from reperes.requests.models import Request, Theme
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.helpers import page_text
from tests.requests.conftest import ask

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("employees", "eligible"),
    [(None, False), (0, True), (1, True), (11, True), (249, True), (250, False), (1200, False)],
)
def test_eligibility_table(org_a, employees, eligible):
    org_a.employees = employees
    assert (actions.reasons_not_eligible(org_a) == []) is eligible


def form_data(network, **extra):
    return {
        "network": network.pk,
        "themes": [Theme.PRATIQUES],
        "situation": "Douze salarié·es, deux sites.",
        "problem": "Les réunions à distance fatiguent l'équipe.",
        "contact_name": "Alice",
        "contact_email": "alice@example.org",
        **extra,
    }


def test_a_pilot_asks_from_a_weak_theme_and_is_oriented_at_once(
    client_of, alice, eligible, network, readiness
):
    client = client_of(alice)
    url = (
        reverse("requests:create", args=[eligible.slug])
        + f"?theme=pratiques&theme=charte&depuis={readiness.pk}"
    )
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["themes"] == ["pratiques", "charte"]
    assert form.initial["campaigns"] == [readiness.pk]

    response = client.post(url, form_data(network, themes=["pratiques", "charte"], campaigns=[readiness.pk]))
    help_request = Request.objects.get()
    assert response.status_code == 302 and response.url == help_request.get_absolute_url()
    assert help_request.themes == ["pratiques", "charte"]
    assert list(help_request.campaigns.all()) == [readiness]
    assert (help_request.region, help_request.employees) == (eligible.region, 9)

    text = page_text(client.get(help_request.get_absolute_url()))
    assert "En attendant, ce que vous pouvez déjà faire" in text
    assert "Le rédacteur de charte de télétravail" in text
    assert "seront visibles par la personne qui prendra la demande" in text


def test_the_number_of_employees_is_asked_when_unknown_and_saved(client_of, alice, org_a, network):
    client = client_of(alice)
    url = reverse("requests:create", args=[org_a.slug])
    assert "employees" in client.get(url).context["form"].fields
    response = client.post(url, form_data(network))  # no number: refused, nothing lost
    assert response.status_code == 200
    assert "Indiquez le nombre de salarié·es" in page_text(response)
    assert response.context["form"].data["situation"] == "Douze salarié·es, deux sites."
    client.post(url, form_data(network, employees="14"))
    org_a.refresh_from_db()
    assert org_a.employees == 14
    assert Request.objects.get().employees == 14


def test_250_employees_or_more_is_refused_with_where_else_to_turn(client_of, alice, org_a, network):
    org_a.employees = 250
    org_a.save()
    client = client_of(alice)
    text = page_text(client.get(reverse("requests:create", args=[org_a.slug])))
    assert "réservé aux structures de moins de 250 salarié·es ; votre profil en indique 250" in text
    assert "Vers qui vous tourner" in text and "OPCO" in text
    response = client.post(reverse("requests:create", args=[org_a.slug]), form_data(network))
    assert "Vers qui vous tourner" in page_text(response)
    assert not Request.objects.exists()


def test_an_unknown_count_given_as_250_is_refused_too(client_of, alice, org_a, network):
    response = client_of(alice).post(
        reverse("requests:create", args=[org_a.slug]), form_data(network, employees="300")
    )
    assert "Vers qui vous tourner" in page_text(response)
    assert not Request.objects.exists()


def test_a_request_without_a_theme_is_refused_and_keeps_the_text(client_of, alice, eligible, network):
    response = client_of(alice).post(
        reverse("requests:create", args=[eligible.slug]), form_data(network, themes=[])
    )
    assert response.status_code == 200
    assert "Choisissez au moins un thème" in page_text(response)
    assert response.context["form"].data["problem"] == "Les réunions à distance fatiguent l'équipe."
    with pytest.raises(ActionRefused, match="au moins un thème"):
        ask(eligible, network, None, themes=["inconnu"])


def test_a_second_open_request_on_the_same_theme_points_to_the_first(client_of, alice, eligible, network):
    first = ask(eligible, network, alice, themes=[Theme.PRATIQUES, Theme.COLLECTIF])
    client = client_of(alice)
    response = client.post(
        reverse("requests:create", args=[eligible.slug]), form_data(network, themes=["collectif"])
    )
    text = page_text(response)
    assert "Une demande est déjà en cours sur ce thème" in text
    assert first.get_absolute_url() in response.content.decode()
    assert Request.objects.count() == 1
    ask(eligible, network, alice, themes=[Theme.CHARTE])  # another theme is fine
    assert Request.objects.count() == 2


def test_tampered_forms_are_refused(client_of, alice, eligible, network, org_b, readiness):
    other_network_campaign = CampaignFactory(
        organisation=org_b, questionnaire_version=questionnaire_version("teletravail-preparation")
    )
    draft = CampaignFactory(organisation=eligible, state="draft")
    client = client_of(alice)
    url = reverse("requests:create", args=[eligible.slug])
    for data in (
        form_data(network, themes=["piratage"]),
        form_data(network, campaigns=[other_network_campaign.pk]),
        form_data(network, campaigns=[draft.pk]),
        {**form_data(network), "network": "999999"},
        form_data(network, situation="x" * 3001),
        form_data(network, contact_email="pas-une-adresse"),
    ):
        response = client.post(url, data)
        assert response.status_code == 200, data
    assert not Request.objects.exists()
    client.post(url, form_data(network, contact_name="Alice\r\nBcc: tout@le.monde"))
    assert Request.objects.get().contact_name == "Alice Bcc: tout@le.monde"  # one line, for mail


def test_a_request_to_a_network_the_organisation_left_is_refused(eligible, network, alice):
    eligible.affiliations.all().delete()
    with pytest.raises(ActionRefused, match="ne fait pas partie"):
        ask(eligible, network, alice)


def test_without_a_network_the_page_says_how_to_join(client_of, alice, eligible, network):
    eligible.affiliations.all().delete()
    text = page_text(client_of(alice).get(reverse("requests:create", args=[eligible.slug])))
    assert "n'est rattachée à aucun réseau" in text


def test_members_see_the_state_pilots_the_details(client_of, bob, carol, help_request):
    slug = help_request.organisation.slug
    listing = page_text(client_of(bob).get(reverse("requests:list", args=[slug])))
    assert "Nouvelle" in listing
    assert client_of(bob).get(help_request.get_absolute_url()).status_code == 404
    assert client_of(bob).get(reverse("requests:create", args=[slug])).status_code == 404
    assert client_of(carol).get(help_request.get_absolute_url()).status_code == 200


def test_another_organisation_reaches_nothing(client_of, dave, help_request):
    client = client_of(dave)
    other = help_request.organisation.slug
    assert client.get(help_request.get_absolute_url()).status_code == 404
    assert client.get(reverse("requests:detail", args=["bois", help_request.pk])).status_code == 404
    assert client.post(reverse("requests:withdraw", args=["bois", help_request.pk])).status_code == 404
    assert client.get(reverse("requests:list", args=[other])).status_code == 404


def test_the_pilot_withdraws(client_of, alice, help_request):
    response = client_of(alice).post(
        reverse("requests:withdraw", args=[help_request.organisation.slug, help_request.pk])
    )
    assert response.status_code == 302
    help_request.refresh_from_db()
    assert help_request.outcome == Request.Outcome.WITHDRAWN
    again = client_of(alice).post(
        reverse("requests:withdraw", args=[help_request.organisation.slug, help_request.pk])
    )
    assert again.status_code == 302  # a double submit says it is closed, changes nothing
    assert help_request.steps.count() == 2


def test_the_dashboard_shows_the_state(client_of, alice, help_request, fiona):
    actions.take_request(help_request, by=fiona)
    text = page_text(client_of(alice).get(reverse("spaces:dashboard", args=[help_request.organisation.slug])))
    assert "prise en charge, suivie par Fiona" in text


def test_the_results_page_offers_to_ask_on_a_weak_theme(client_of, alice, eligible, network):
    from tests.results.test_telework_results import close, submit

    campaign = CampaignFactory(
        organisation=eligible, questionnaire_version=questionnaire_version("teletravail-preparation")
    )
    for _ in range(5):
        submit(campaign, None, "plutot-non")
    close(campaign)
    page = client_of(alice).get(reverse("results:panels", args=[eligible.slug, campaign.pk]))
    text = page_text(page)
    assert "Être accompagnés sur ces points" in text
    assert f"depuis={campaign.pk}" in page.content.decode()


def test_the_results_panel_points_to_the_open_request_instead(client_of, alice, eligible, network):
    from tests.results.test_telework_results import close, submit

    campaign = CampaignFactory(
        organisation=eligible, questionnaire_version=questionnaire_version("teletravail-preparation")
    )
    for _ in range(5):
        submit(campaign, None, "plutot-non")
    close(campaign)
    first = ask(eligible, network, alice, themes=[Theme.CHARTE])
    page = client_of(alice).get(reverse("results:panels", args=[eligible.slug, campaign.pk]))
    assert "porte déjà sur ces sujets" in page_text(page)
    assert first.get_absolute_url() in page.content.decode()
