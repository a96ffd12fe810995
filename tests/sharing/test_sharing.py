"""Sharing a campaign's results with facilitators: chosen by a pilot, shown on the campaign,
recorded, revocable at once; facilitators see only what was shared, through their own pages,
participation in steps of k while open, never free texts, never another organisation."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reperes.lib.actions import ActionRefused
from reperes.organisations.models import Affiliation, Event
from reperes.sharing import actions
from reperes.sharing.models import ResultShare
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.helpers import page_text
from tests.organisations.factories import NetworkFactory, NetworkMembershipFactory
from tests.results.test_telework_results import close, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def crisis(org_a):
    return CampaignFactory(
        organisation=org_a,
        questionnaire_version=questionnaire_version("teletravail-crise"),
        groups=["Direction", "Salarié·es"],
    )


@pytest.fixture
def shared(crisis, network, alice, fiona):
    return actions.share_results(crisis, network=network, by=alice)


def received_detail(share):
    return reverse("sharing:received_detail", args=[share.network.slug, share.pk])


def test_a_pilot_shares_from_the_campaign_page_and_it_is_recorded(client_of, alice, crisis, network, fiona):
    client = client_of(alice)
    page = page_text(client.get(crisis.get_absolute_url()))
    assert "Ces résultats restent dans l'équipe" in page

    form = client.get(reverse("sharing:share", args=[crisis.organisation.slug, crisis.pk]))
    assert "Jamais les réponses écrites" in page_text(form)
    response = client.post(
        reverse("sharing:share", args=[crisis.organisation.slug, crisis.pk]),
        {"audience": f"reseau-{network.pk}"},
    )

    assert response.status_code == 302
    share = ResultShare.objects.get()
    assert (share.campaign, share.network, share.cohort) == (crisis, network, None)
    assert Event.objects.filter(organisation=crisis.organisation, verb="sharing.results_shared").exists()
    assert "Réseau ESS test" in page_text(client.get(crisis.get_absolute_url()))


def test_a_member_who_is_not_a_pilot_cannot_share(client_of, bob, crisis, network):
    response = client_of(bob).post(
        reverse("sharing:share", args=[crisis.organisation.slug, crisis.pk]),
        {"audience": f"reseau-{network.pk}"},
    )
    assert response.status_code == 404
    assert not ResultShare.objects.exists()


def test_a_tampered_audience_is_refused_in_french(client_of, alice, crisis, network):
    other = NetworkFactory(name="Autre réseau")
    response = client_of(alice).post(
        reverse("sharing:share", args=[crisis.organisation.slug, crisis.pk]),
        {"audience": f"reseau-{other.pk}"},
    )
    assert response.status_code == 200
    assert "rechargez la page" in page_text(response)
    assert not ResultShare.objects.exists()


def test_sharing_with_a_network_the_organisation_is_not_in_is_refused(crisis, alice):
    with pytest.raises(ActionRefused):
        actions.share_results(crisis, network=NetworkFactory(), by=alice)


def test_sharing_twice_is_refused_once(shared, crisis, network, alice):
    with pytest.raises(ActionRefused, match="déjà partagé"):
        actions.share_results(crisis, network=network, by=alice)


def test_while_open_facilitators_see_participation_in_steps_of_k_never_results(
    client_of, shared, crisis, fiona
):
    for _ in range(7):
        submit(crisis, None)
    client = client_of(fiona)

    page = page_text(client.get(received_detail(shared)))

    assert "Au moins 5 réponses" in page
    assert "7" not in page.split("Participation")[1].split("personnes attendues")[0]
    assert "La carte de l'équipe" not in page
    submit(crisis, None)  # an eighth person answers: nothing moves
    assert page_text(client.get(received_detail(shared))).count("Au moins 5 réponses") == 1


def test_below_k_facilitators_see_only_that_it_is_below(client_of, shared, crisis, fiona):
    for _ in range(3):
        submit(crisis, None)
    assert "Moins de 5 réponses" in page_text(client_of(fiona).get(received_detail(shared)))


def test_after_close_facilitators_see_the_figures_but_never_the_free_texts(
    client_of, shared, crisis, fiona, bob
):
    for n in range(12):
        submit(crisis, None, texts={"crise-pistes": f"Idée secrète {n}"})
    close(crisis)

    page = page_text(client_of(fiona).get(received_detail(shared)))
    assert "La carte de l'équipe" in page
    assert "Idée secrète" not in page
    theme_id = crisis.spec.themes[0]["id"]
    theme = client_of(fiona).get(reverse("sharing:received_theme", args=["reseau", shared.pk, theme_id]))
    assert theme.status_code == 200
    # The team itself still reads them.
    assert "Idée secrète" in page_text(
        client_of(bob).get(reverse("results:detail", args=[crisis.organisation.slug, crisis.pk]))
    )


def test_revoking_removes_access_at_once(client_of, shared, crisis, alice, fiona):
    assert client_of(fiona).get(received_detail(shared)).status_code == 200

    response = client_of(alice).post(reverse("sharing:revoke", args=[crisis.organisation.slug, shared.pk]))
    assert response.status_code == 302

    assert client_of(fiona).get(received_detail(shared)).status_code == 404
    assert crisis.title not in page_text(client_of(fiona).get(reverse("sharing:received", args=["reseau"])))
    assert Event.objects.filter(verb="sharing.results_unshared").exists()


def test_leaving_the_network_ends_the_share_without_a_step(client_of, shared, crisis, network, fiona):
    Affiliation.objects.filter(network=network, organisation=crisis.organisation).delete()
    assert client_of(fiona).get(received_detail(shared)).status_code == 404


def test_analysts_administrators_and_other_networks_see_nothing(client_of, shared, nina, hugo, dave, bob):
    stranger = NetworkMembershipFactory(
        network=NetworkFactory(slug="ailleurs"), user=UserFactory(email="zoe@example.org"), role="facilitator"
    ).user
    url = received_detail(shared)
    assert client_of(nina).get(url).status_code == 404  # analyst: aggregates only, never one organisation
    assert client_of(hugo).get(url).status_code == 404  # administrator: not a facilitator
    assert client_of(dave).get(url).status_code == 404
    assert client_of(bob).get(url).status_code == 404
    assert client_of(stranger).get(url).status_code == 404
    assert (
        client_of(stranger).get(reverse("sharing:received_detail", args=["ailleurs", shared.pk])).status_code
        == 404
    )


def test_the_shares_page_lists_every_share_for_every_member_and_pilots_revoke(client_of, shared, bob, alice):
    page = page_text(client_of(bob).get(reverse("sharing:shares", args=[shared.organisation.slug])))
    assert "Ce que nous partageons" in page and shared.campaign.title in page and "Retirer" not in page
    assert "Retirer" in page_text(
        client_of(alice).get(reverse("sharing:shares", args=[shared.organisation.slug]))
    )


def test_a_member_cannot_revoke_and_another_organisation_cannot_either(client_of, shared, bob, dave):
    for user, slug in [(bob, shared.organisation.slug), (dave, "bois")]:
        response = client_of(user).post(reverse("sharing:revoke", args=[slug, shared.pk]))
        assert response.status_code == 404
    assert ResultShare.objects.filter(pk=shared.pk).exists()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shares=st.lists(st.booleans(), min_size=2, max_size=4))
def test_no_facilitator_page_shows_an_organisation_that_did_not_share(
    client_of, network, alice, fiona, shares
):
    """Property: for any set of organisations of the network, each sharing or not, the
    facilitator's list names exactly those that shared."""
    from tests.organisations.factories import MembershipFactory, OrganisationFactory

    ResultShare.objects.all().delete()
    names = {}
    for n, does_share in enumerate(shares):
        organisation = OrganisationFactory(name=f"Structure propriété {n} {id(shares)}")
        Affiliation.objects.get_or_create(network=network, organisation=organisation)
        lead = MembershipFactory(organisation=organisation, role="lead").user
        campaign = CampaignFactory(
            organisation=organisation, questionnaire_version=questionnaire_version("teletravail-crise")
        )
        if does_share:
            actions.share_results(campaign, network=network, by=lead)
        names[organisation.name] = does_share

    page = page_text(client_of(fiona).get(reverse("sharing:received", args=["reseau"])))
    for name, does_share in names.items():
        assert (name in page) == does_share


def test_a_meeting_notes_stay_in_the_team_too(client_of, org_a, network, alice, fiona):
    """A diagnostic answered in a meeting shows its figures to facilitators, never the notes the
    group wrote beside each statement."""
    from reperes.campaigns.actions import record_collective_answers
    from reperes.campaigns.models import Campaign

    meeting = CampaignFactory(
        organisation=org_a,
        questionnaire_version=questionnaire_version("qvt-numerique"),
        mode=Campaign.Mode.COLLECTIVE,
    )
    item_id = meeting.spec.item_ids[0]
    record_collective_answers(
        meeting,
        by=alice,
        entries={item_id: {"counts": {"oui": 4, "non": 2}, "note": "Paul trouve que c'est faux"}},
    )
    share = actions.share_results(meeting, network=network, by=alice)

    page = page_text(client_of(fiona).get(received_detail(share)))
    theme_id = meeting.spec.themes[0]["id"]
    theme = page_text(
        client_of(fiona).get(reverse("sharing:received_theme", args=["reseau", share.pk, theme_id]))
    )
    assert "Paul trouve" not in page and "Paul trouve" not in theme
    team = reverse("results:theme", args=[org_a.slug, meeting.pk, theme_id])
    assert "Paul trouve" in page_text(client_of(alice).get(team))
