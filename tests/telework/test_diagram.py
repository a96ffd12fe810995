import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reperes.action_plans.models import Action
from reperes.lib.svg import diagram
from reperes.telework.models import InformationFlow
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def url(org):
    return reverse("telework:diagram", args=[org.slug])


def test_flows_are_placed_by_form_and_drawn(client, alice, org_a):
    client.force_login(alice)
    client.post(
        url(org_a),
        {
            "name": "Planning de la semaine",
            "current_x": "-5",
            "current_y": "5",
            "target_x": "-5",
            "target_y": "-5",
        },
    )
    client.post(
        url(org_a),
        {"name": "Compte rendu du CA", "current_x": "5", "current_y": "-5", "target_x": "", "target_y": ""},
    )
    client.post(
        url(org_a),
        {"name": "Agenda partagé", "current_x": "0", "current_y": "0", "target_x": "3", "target_y": ""},
    )
    assert InformationFlow.objects.count() == 3
    shared = InformationFlow.objects.get(name="Agenda partagé")
    assert (shared.target_x, shared.target_y) == (3, 0)  # the other axis stays where it was
    page = page_text(client.get(url(org_a)))
    assert page.count('marker-end="url(#arrow)"') == 2
    assert "Demain : tout pour le travail quotidien ; en accès libre" in page


def test_a_flow_outside_the_axes_is_refused(client, alice, org_a):
    client.force_login(alice)
    response = client.post(url(org_a), {"name": "Hors cadre", "current_x": "9", "current_y": "0"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not InformationFlow.objects.exists()
    flow = InformationFlow(organisation=org_a, name="x", current_x=6, current_y=0)
    with pytest.raises(ValidationError):
        flow.full_clean()


def test_a_move_becomes_an_action(client, alice, org_a):
    flow = InformationFlow.objects.create(
        organisation=org_a, name="Planning", current_x=-5, current_y=5, target_x=-5, target_y=-5
    )
    client.force_login(alice)
    response = client.post(reverse("telework:flow_to_action", args=[org_a.slug, flow.pk]))
    action = Action.objects.get()
    assert response["Location"] == action.get_absolute_url()
    assert "Planning" in action.title and action.fiche == "gestion-information"
    still = InformationFlow.objects.create(organisation=org_a, name="Fixe", current_x=0, current_y=0)
    refused = page_text(
        client.post(reverse("telework:flow_to_action", args=[org_a.slug, still.pk]), follow=True)
    )
    assert "ne bouge pas" in refused


def test_member_sees_but_cannot_place(client, bob, org_a):
    client.force_login(bob)
    assert client.get(url(org_a)).status_code == 200
    assert client.post(url(org_a), {"name": "x", "current_x": "0", "current_y": "0"}).status_code == 404


def test_diagram_geometry_maps_the_corners():
    chart = diagram([("a", (-5, 5), (5, -5))], size=400, margin=50)
    item = chart["items"][0]
    assert (item["now"].x, item["now"].y) == (50, 50)
    assert (item["then"].x, item["then"].y) == (450, 450)
