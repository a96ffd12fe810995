"""Point 9 of issue 9: Repères cannot be used to send mail to strangers.

Invitations count against daily limits per organisation (tighter in its first week), per
account and per recipient address; the lead sees what is left; names that go into subjects
lose their control characters.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reperes.lib.limits import MailQuotaExceeded, mail_quota
from reperes.organisations import actions
from reperes.organisations.forms import NewAccountForm, OrganisationForm
from reperes.organisations.models import Invitation, Network, NetworkInvitation, Role
from tests.accounts.factories import UserFactory
from tests.helpers import force_login_verified, page_text
from tests.organisations.factories import MembershipFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def invite(client, organisation, email, role=Role.MEMBER):
    return client.post(
        reverse("organisations:members", args=[organisation.slug]), {"email": email, "role": role}
    )


def age(organisation, days):
    organisation.created_at = timezone.now() - timedelta(days=days)
    organisation.save(update_fields=["created_at"])


def test_fresh_lead_cannot_mail_strangers_past_the_new_organisation_quota(
    client, settings, django_capture_on_commit_callbacks
):
    # The attack: sign up, create an organisation, invite strangers as fast as possible.
    settings.MAIL_QUOTA_NEW_ORGANISATION_PER_DAY = 5
    spammer = UserFactory()
    client.force_login(spammer)
    client.post(
        reverse("organisations:create"),
        {
            "name": "Promo",
            "legal_form": "association",
            "headcount": 10,
            "sector": "animation",
            "region": "52",
        },
    )
    organisation = spammer.memberships.get().organisation
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(8):
            response = invite(client, organisation, f"inconnu{n}@example.org")
    assert len(mail.outbox) == 5
    assert Invitation.objects.count() == 5
    assert response.status_code == 200
    text = page_text(response)
    assert "Une structure créée il y a moins de 7 jours peut envoyer 5 e-mails par jour" in text
    assert "il en reste 0 aujourd'hui" in text
    assert not organisation.events.filter(target="inconnu7@example.org").exists()


def test_established_organisation_has_the_larger_quota(alice, org_a, settings):
    settings.MAIL_QUOTA_ORGANISATION_PER_DAY = 40
    settings.MAIL_QUOTA_NEW_ORGANISATION_PER_DAY = 2
    age(org_a, 8)
    for n in range(40):
        actions.invite_member(org_a, email=f"p{n}@example.org", role=Role.MEMBER, by=alice)
    with pytest.raises(MailQuotaExceeded) as refused:
        actions.invite_member(org_a, email="p40@example.org", role=Role.MEMBER, by=alice)
    assert "La structure peut envoyer 40 e-mails par jour" in str(refused.value)


def test_one_address_cannot_be_bombed_with_invitations(client, alice, org_a, settings):
    settings.MAIL_QUOTA_ADDRESS_PER_DAY = 3
    client.force_login(alice)
    for _ in range(3):
        assert invite(client, org_a, "cible@example.org").status_code == 302
    response = invite(client, org_a, "cible@example.org")
    assert "Cette adresse a déjà reçu plusieurs e-mails de Repères aujourd'hui" in page_text(response)
    assert Invitation.objects.count() == 3


def test_account_quota_holds_across_the_organisations_it_leads(alice, org_a, settings):
    settings.MAIL_QUOTA_ACCOUNT_PER_DAY = 3
    other = MembershipFactory(user=alice, role=Role.LEAD).organisation
    for n in range(2):
        actions.invite_member(org_a, email=f"a{n}@example.org", role=Role.MEMBER, by=alice)
    actions.invite_member(other, email="b@example.org", role=Role.MEMBER, by=alice)
    with pytest.raises(MailQuotaExceeded) as refused:
        actions.invite_member(other, email="c@example.org", role=Role.MEMBER, by=alice)
    assert "Votre compte" in str(refused.value)
    assert mail_quota(other)["used"] == 1


def test_members_page_shows_the_lead_what_is_left(client, alice, org_a, settings):
    settings.MAIL_QUOTA_NEW_ORGANISATION_PER_DAY = 30
    client.force_login(alice)
    invite(client, org_a, "recrue@example.org")
    text = page_text(client.get(reverse("organisations:members", args=[org_a.slug])))
    assert "Il reste 29 e-mails à envoyer aujourd'hui, sur 30" in text
    assert "plus basse pendant la première semaine" in text


def test_members_page_says_when_the_quota_is_spent(client, alice, org_a, settings):
    settings.MAIL_QUOTA_NEW_ORGANISATION_PER_DAY = 1
    client.force_login(alice)
    invite(client, org_a, "recrue@example.org")
    text = page_text(client.get(reverse("organisations:members", args=[org_a.slug])))
    assert "La structure a envoyé ses 1 e-mails du jour" in text or "ses 1 e-mail" in text


def test_member_does_not_see_the_quota(client, bob, org_a):
    client.force_login(bob)
    assert "à envoyer aujourd'hui" not in page_text(
        client.get(reverse("organisations:members", args=[org_a.slug]))
    )


def test_network_invitations_count_against_the_account(client, hugo, network, settings):
    settings.MAIL_QUOTA_ACCOUNT_PER_DAY = 2
    force_login_verified(client, hugo)
    url = reverse("networks:staff", args=[network.slug])
    for n in range(2):
        assert client.post(url, {"email": f"f{n}@example.org", "role": "facilitator"}).status_code == 302
    response = client.post(url, {"email": "f2@example.org", "role": "facilitator"})
    assert response.status_code == 200
    assert "Votre compte a atteint sa limite" in page_text(response)
    assert NetworkInvitation.objects.count() == 2


def test_network_invitations_to_one_address_are_limited(hugo, network, settings):
    settings.MAIL_QUOTA_ADDRESS_PER_DAY = 2
    for _ in range(2):
        actions.invite_to_network(network, email="x@example.org", role="analyst", by=hugo)
    with pytest.raises(MailQuotaExceeded):
        actions.invite_to_network(network, email="X@example.org", role="analyst", by=hugo)


# Control characters in names that become mail subjects


def test_carriage_return_in_an_organisation_name_no_longer_breaks_invitations(
    client, django_capture_on_commit_callbacks
):
    # A name saved before forms cleaned it (or through any other path): the mail still goes.
    organisation = OrganisationFactory(name="Les Jardins\r\nBcc: victime@example.org")
    lead = MembershipFactory(organisation=organisation, role=Role.LEAD).user
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, organisation, "recrue@example.org")
    assert response.status_code == 302
    [message] = mail.outbox
    assert "\r" not in message.subject and "\n" not in message.subject
    assert message.subject.endswith("vous invite sur Repères (Les Jardins")
    assert message.recipients() == ["recrue@example.org"]
    assert "victime" not in str(message.message()["Bcc"])


def test_organisation_form_strips_control_characters():
    form = OrganisationForm(
        {
            "name": " Les\rJardins\u202e\tdu\x07 Lien ",
            "legal_form": "association",
            "headcount": 10,
            "sector": "animation",
            "region": "52",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Les Jardins du Lien"


def test_organisation_name_of_control_characters_only_is_refused():
    form = OrganisationForm(
        {
            "name": "\r\n\x07",
            "legal_form": "association",
            "headcount": 10,
            "sector": "animation",
            "region": "52",
        }
    )
    assert not form.is_valid()
    assert "name" in form.errors


def test_new_account_name_is_one_line():
    form = NewAccountForm({"name": "Ana\r\nÏs", "password": "un mot de passe solide"}, email="a@example.org")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["name"] == "Ana Ïs"


def test_network_name_is_cleaned_by_the_model_for_the_admin():
    network = Network(name="Réseau\r\nSud", scope=Network.Scope.REGIONAL, region="52")
    network.full_clean(exclude=["slug", "join_code"])
    assert network.name == "Réseau Sud"


def test_organisation_name_is_cleaned_when_created_through_the_action():
    creator = UserFactory()
    organisation = actions.create_organisation(
        by=creator, name="A\rB", legal_form="association", headcount=3, sector="animation", region="52"
    )
    assert organisation.name == "A B"


def test_network_invitation_subject_survives_a_dirty_network_name(hugo, django_capture_on_commit_callbacks):
    network = NetworkFactory(name="Réseau\rX")
    with django_capture_on_commit_callbacks(execute=True):
        actions.invite_to_network(network, email="y@example.org", role="analyst", by=hugo)
    assert mail.outbox[0].subject == "Invitation à rejoindre « Réseau X » sur Repères"


def test_names_saved_before_are_cleaned_by_the_migration():
    from importlib import import_module

    from django.apps import apps

    organisation = OrganisationFactory(name="Les Jardins\r\ndu Lien")
    network = NetworkFactory(name="\u202eRéseau\tSud ")
    import_module("reperes.organisations.migrations.0002_single_line_names").clean_names(apps, None)
    organisation.refresh_from_db()
    network.refresh_from_db()
    assert (organisation.name, network.name) == ("Les Jardins du Lien", "Réseau Sud")
