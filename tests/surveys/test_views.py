"""The survey pages as each persona reaches them: preparing and conducting on the network's side,
answering without JavaScript on the organisation's side, and every bad input of the issue."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reperes.surveys import actions
from reperes.surveys.models import Recipient, Survey
from tests.helpers import page_text
from tests.organisations.factories import NetworkFactory, NetworkMembershipFactory
from tests.surveys.conftest import all_answers, answer, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def survey(network, hugo, version, today):
    return make_survey(network, hugo, today=today)


def answer_url(organisation, survey):
    return reverse("surveys:answer", args=[organisation.slug, survey.pk])


def test_an_analyst_prepares_and_opens_a_survey(client_of, network, nina, version, today):
    client = client_of(nina)
    response = client.get(reverse("surveys:create", args=[network.slug]))
    assert response.status_code == 200
    data = {
        "title": "Nos pratiques",
        "questionnaire_version": str(version.pk),
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=20)).isoformat(),
        "regions": ["52"],
    }
    response = client.post(reverse("surveys:create", args=[network.slug]), data)
    survey = Survey.objects.get()
    assert response.status_code == 302 and response.url == survey.get_absolute_url()
    assert not survey.attributed and survey.regions == ["52"]
    response = client.post(reverse("surveys:schedule", args=[network.slug, survey.pk]), follow=True)
    assert "L'enquête est ouverte" in page_text(response)
    survey.refresh_from_db()
    assert survey.is_open and survey.recipients.count() == 2


def test_a_facilitator_reads_but_does_not_conduct(client_of, network, fiona, survey):
    client = client_of(fiona)
    assert client.get(reverse("surveys:survey", args=[network.slug, survey.pk])).status_code == 200
    for name in ("remind", "close"):
        assert client.post(reverse(f"surveys:{name}", args=[network.slug, survey.pk])).status_code == 404
    assert client.get(reverse("surveys:create", args=[network.slug])).status_code == 404


def test_an_analyst_of_another_network_gets_a_404(client_of, survey):
    other = NetworkFactory(slug="ailleurs")
    stranger = NetworkMembershipFactory(network=other, role="analyst").user
    client = client_of(stranger)
    assert client.get(reverse("surveys:survey", args=[other.slug, survey.pk])).status_code == 404
    assert client.get(reverse("surveys:survey", args=[survey.network.slug, survey.pk])).status_code == 404


def test_a_pilot_answers_without_javascript_and_may_send_again(client_of, alice, org_a, survey):
    client = client_of(alice)
    page = client.get(answer_url(org_a, survey))
    assert page.status_code == 200
    text = page_text(page)
    assert "Enquête confidentielle" in text and "personne au réseau ne verra" in text
    data = {**all_answers(survey), "enquete-bonne-pratique": "Un café le lundi", "envoyer": "1"}
    response = client.post(answer_url(org_a, survey), data, follow=True)
    assert "La réponse de la structure est envoyée" in page_text(response)
    recipient = Recipient.objects.get(survey=survey, organisation=org_a)
    assert recipient.has_answered and recipient.texts == {"enquete-bonne-pratique": "Un café le lundi"}
    # Sent twice (a double submit, or a change of mind): still one answer, the last.
    data = {**all_answers(survey, "non"), "envoyer": "1"}
    client.post(answer_url(org_a, survey), data)
    client.post(answer_url(org_a, survey), data)
    assert Recipient.objects.filter(survey=survey, organisation=org_a).count() == 1
    recipient.refresh_from_db()
    assert set(recipient.answers.values()) == {"non"}


def test_an_incomplete_answer_is_kept_as_a_draft_with_a_french_message(client_of, alice, org_a, survey):
    client = client_of(alice)
    response = client.post(answer_url(org_a, survey), {"enquete-entretiens": "oui", "envoyer": "1"})
    text = page_text(response)
    assert "Il reste des questions sans réponse" in text and "enregistré en brouillon" in text
    recipient = Recipient.objects.get(survey=survey, organisation=org_a)
    assert recipient.state == Recipient.State.DRAFT and recipient.answers == {"enquete-entretiens": "oui"}


def test_tampered_and_oversized_answers_lose_nothing(client_of, alice, org_a, survey):
    client = client_of(alice)
    client.post(answer_url(org_a, survey), {"enquete-entretiens": "oui", "brouillon": "1"})
    response = client.post(answer_url(org_a, survey), {"enquete-entretiens": "peut-etre", "brouillon": "1"})
    assert response.status_code == 200 and "Choisissez parmi les réponses proposées" in page_text(response)
    response = client.post(
        answer_url(org_a, survey), {"enquete-bonne-pratique": "x" * 2001, "brouillon": "1"}
    )
    assert "2000 caractères au plus" in page_text(response)
    assert Recipient.objects.get(survey=survey, organisation=org_a).answers == {"enquete-entretiens": "oui"}


def test_a_closed_survey_takes_no_answer_and_says_so(client_of, alice, hugo, org_a, survey, today):
    actions.close_survey(survey, by=hugo, today=today)
    client = client_of(alice)
    response = client.post(answer_url(org_a, survey), {**all_answers(survey), "envoyer": "1"})
    assert response.status_code == 302
    assert response.url == reverse("surveys:org_results", args=[org_a.slug, survey.pk])
    assert not Recipient.objects.get(survey=survey, organisation=org_a).has_answered


def test_only_pilots_and_the_delegate_reach_the_questionnaire(client_of, alice, bob, dave, org_a, survey):
    assert client_of(bob).get(answer_url(org_a, survey)).status_code == 404
    assert client_of(dave).get(answer_url(org_a, survey)).status_code == 404  # another organisation
    client = client_of(alice)
    membership = bob.memberships.get()
    response = client.post(
        reverse("surveys:hand_over", args=[org_a.slug, survey.pk]), {"membership": str(membership.pk)}
    )
    assert response.status_code == 302
    assert client_of(bob).get(answer_url(org_a, survey)).status_code == 200
    assert client_of(bob).post(reverse("surveys:hand_over", args=[org_a.slug, survey.pk])).status_code == 404
    client_of(alice).post(reverse("surveys:take_back", args=[org_a.slug, survey.pk]))
    assert client_of(bob).get(answer_url(org_a, survey)).status_code == 404


def test_a_draft_survey_is_invisible_to_organisations(client_of, alice, org_a, network, hugo, version, today):
    draft = make_survey(network, hugo, today=today, open_=False)
    assert client_of(alice).get(answer_url(org_a, draft)).status_code == 404
    assert draft.title not in page_text(client_of(alice).get(reverse("surveys:inbox", args=[org_a.slug])))


def test_the_dashboard_shows_the_survey_waiting(client_of, alice, org_a, survey):
    response = client_of(alice).get(reverse("spaces:dashboard", args=[org_a.slug]))
    assert "Enquête de votre réseau" in page_text(response)
    assert answer_url(org_a, survey) in response.content.decode()


def test_the_answers_page_exists_only_for_an_attributed_survey(
    client_of, network, hugo, alice, org_a, survey, today
):
    assert client_of(hugo).get(reverse("surveys:answers", args=[network.slug, survey.pk])).status_code == 404
    named = make_survey(network, hugo, today=today, attributed=True, title="Nominative")
    answer(named, org_a, "oui", by=alice, today=today)
    page = client_of(alice).get(answer_url(org_a, named))
    assert "Enquête nominative" in page_text(page)
    response = client_of(hugo).get(reverse("surveys:answers", args=[network.slug, named.pk]))
    assert response.status_code == 200 and org_a.name in page_text(response)


def test_a_draft_can_be_edited_but_not_an_open_survey(client_of, network, hugo, survey, version, today):
    client = client_of(hugo)
    response = client.get(reverse("surveys:edit", args=[network.slug, survey.pk]), follow=True)
    assert "seule sa date de clôture" in page_text(response)
    response = client.post(
        reverse("surveys:postpone", args=[network.slug, survey.pk]),
        {"closes_on": (today + timedelta(days=90)).isoformat()},
        follow=True,
    )
    assert "La clôture est maintenant le" in page_text(response)
    response = client.post(
        reverse("surveys:postpone", args=[network.slug, survey.pk]), {"closes_on": "demain"}, follow=True
    )
    assert "Indiquez la nouvelle date de clôture" in page_text(response)


def test_results_wait_for_the_closing(
    client_of, network, hugo, nina, org_a, org_b, alice, dave, survey, today
):
    answer(survey, org_a, by=alice, today=today)
    page = " ".join(
        re.sub(
            r"<[^>]+>",
            " ",
            page_text(client_of(nina).get(reverse("surveys:survey", args=[network.slug, survey.pk]))),
        ).split()
    )
    assert "1 structure sur 2 a répondu" in page
    assert "Bonnes pratiques partagées" not in page and "Chaque tableau compte" not in page
    assert (
        client_of(nina).get(reverse("surveys:results_csv", args=[network.slug, survey.pk])).status_code == 404
    )
