"""The agreement to contribute to the network's statistics: at creation, in the profile, and
what the answer page says."""

from django.urls import reverse

from reperes.campaigns.models import Campaign
from reperes.organisations.models import Event, Organisation
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CampaignFactory

PROFILE = {
    "name": "La Ressourcerie",
    "legal_form": "association",
    "headcount": "9",
    "employees": "7",
    "sector": "animation",
    "region": "53",
    "opco": "",
}


def test_creating_with_the_agreement_records_it_with_its_date(client, db):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("organisations:create"))
    assert "jamais une réponse" in page.content.decode()

    client.post(reverse("organisations:create"), {**PROFILE, "shares_statistics": "on"})

    organisation = Organisation.objects.get(name="La Ressourcerie")
    assert organisation.shares_statistics is True
    assert organisation.statistics_consent_on is not None
    assert (
        Event.objects.filter(organisation=organisation, verb="organisation.statistics_consent").count() == 1
    )


def test_creating_without_the_agreement_shares_nothing(client, db):
    client.force_login(UserFactory())
    client.post(reverse("organisations:create"), PROFILE)
    organisation = Organisation.objects.get(name="La Ressourcerie")
    assert organisation.shares_statistics is False
    assert organisation.statistics_consent_on is None
    assert not Event.objects.filter(verb="organisation.statistics_consent").exists()


def _profile_of(organisation, **changes):
    data = {
        "name": organisation.name,
        "legal_form": organisation.legal_form,
        "headcount": organisation.headcount,
        "employees": organisation.employees or "",
        "sector": organisation.sector,
        "region": organisation.region,
        "opco": organisation.opco,
    }
    return {**data, **changes}


def test_a_lead_gives_then_withdraws_the_agreement_in_the_profile(client_of, alice, org_a):
    client = client_of(alice)
    url = reverse("organisations:settings", args=[org_a.slug])

    client.post(url, _profile_of(org_a, shares_statistics="on"))
    org_a.refresh_from_db()
    assert org_a.shares_statistics is True

    client.post(url, _profile_of(org_a))  # unticked
    org_a.refresh_from_db()
    assert org_a.shares_statistics is False
    verbs = list(Event.objects.filter(organisation=org_a).values_list("verb", "description"))
    consent = [description for verb, description in verbs if verb == "organisation.statistics_consent"]
    assert len(consent) == 2
    assert any("retiré" in description for description in consent)
    # The agreement is not also listed as a profile change.
    assert not any(verb == "organisation.updated" for verb, _ in verbs)
    assert "retiré le" in client.get(url).content.decode()


def test_a_member_cannot_change_the_agreement(client_of, bob, org_a):
    response = client_of(bob).post(
        reverse("organisations:settings", args=[org_a.slug]), _profile_of(org_a, shares_statistics="on")
    )
    assert response.status_code == 404
    org_a.refresh_from_db()
    assert org_a.shares_statistics is False


def test_the_answer_page_says_whether_the_results_go_to_the_network(client, network, org_a):
    campaign = CampaignFactory(organisation=org_a, state=Campaign.State.OPEN)
    url = reverse("answer:intro", args=[campaign.share_id])

    assert "ne sont transmis à aucun réseau" in client.get(url).content.decode()

    Organisation.objects.filter(pk=org_a.pk).update(shares_statistics=True)
    page = client.get(url).content.decode()
    assert "comptent dans les statistiques de son réseau" in page
