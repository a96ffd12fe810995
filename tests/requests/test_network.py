"""The network's side: the queue for facilitators and administrators, figures only for analysts,
nothing for anyone else; mails to the pilots at each step; figures that name no organisation."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reperes.campaigns.models import Answer, Response
from reperes.requests import actions
from reperes.requests.figures import request_figures
from reperes.requests.models import Entry, Request, Theme
from reperes.sharing.models import ResultShare
from tests.helpers import page_text
from tests.requests.conftest import ask
from tests.results.test_telework_results import close

pytestmark = pytest.mark.django_db


def handle_url(help_request, name="handle"):
    return reverse(f"requests:{name}", args=[help_request.network.slug, help_request.pk])


def test_facilitators_and_administrators_see_the_queue_analysts_only_figures(
    client_of, help_request, fiona, hugo, nina
):
    queue = reverse("requests:queue", args=[help_request.network.slug])
    figures = reverse("requests:figures", args=[help_request.network.slug])
    for person in (fiona, hugo):
        client = client_of(person)
        assert "Les Jardins du Lien" in page_text(client.get(queue))
        assert client.get(handle_url(help_request)).status_code == 200
        assert client.get(figures).status_code == 200
    client = client_of(nina)
    assert client.get(queue).status_code == 404
    assert client.get(handle_url(help_request)).status_code == 404
    text = page_text(client.get(figures))
    assert "Les Jardins du Lien" not in text and "Une association d'aide" not in text


def test_another_networks_facilitator_and_the_organisations_get_404(
    client_of, help_request, zoe, alice, dave
):
    for person in (zoe, alice, dave):
        client = client_of(person)
        for name in ("handle",):
            assert client.get(handle_url(help_request, name)).status_code == 404
        for name in ("take", "start", "close", "entry", "assign"):
            assert client.post(handle_url(help_request, name)).status_code == 404
        assert client.get(reverse("requests:queue", args=[help_request.network.slug])).status_code == 404
    # zoe, through her own network's address, finds nothing either
    client = client_of(zoe)
    assert client.get(reverse("requests:handle", args=["autre", help_request.pk])).status_code == 404
    assert client.post(reverse("requests:take", args=["autre", help_request.pk])).status_code == 404
    assert Request.objects.get().state == Request.State.NEW


def test_a_facilitator_takes_logs_a_meeting_and_closes(client_of, help_request, fiona, readiness):
    client = client_of(fiona)
    assert client.post(handle_url(help_request, "take")).status_code == 302
    share = ResultShare.objects.get()
    assert (
        client.get(reverse("sharing:received_detail", args=[help_request.network.slug, share.pk])).status_code
        == 200
    )
    response = client.post(
        handle_url(help_request, "entry"),
        {
            "kind": "meeting",
            "happened_on": timezone.localdate().isoformat(),
            "format": "video",
            "summary": "Convenu : inventaire des activités d'ici un mois.",
            "work": "inventory",
            "visibility": "shared",
        },
    )
    assert response.status_code == 302
    assert client.post(handle_url(help_request, "close"), {"outcome": ""}).status_code == 400
    assert client.post(handle_url(help_request, "close"), {"outcome": "accompanied"}).status_code == 302
    help_request.refresh_from_db()
    assert help_request.outcome == "accompanied"
    assert (
        client.get(reverse("sharing:received_detail", args=[help_request.network.slug, share.pk])).status_code
        == 404
    )


def test_another_facilitator_does_not_see_the_shared_results(client_of, help_request, fiona, fanny):
    actions.take_request(help_request, by=fiona)
    share = ResultShare.objects.get()
    client = client_of(fanny)
    assert (
        client.get(reverse("sharing:received_detail", args=[help_request.network.slug, share.pk])).status_code
        == 404
    )
    assert share.campaign.title not in page_text(
        client.get(reverse("sharing:received", args=[help_request.network.slug]))
    )


def test_tampered_follow_up_forms_lose_nothing(client_of, help_request, fiona):
    actions.take_request(help_request, by=fiona)
    client = client_of(fiona)
    data = {
        "kind": "meeting",
        "happened_on": timezone.localdate().isoformat(),
        "summary": "Ce qui a été convenu.",
        "visibility": "tout-le-monde",
    }
    response = client.post(handle_url(help_request, "entry"), data)
    assert response.status_code == 400
    assert response.context["entry_form"].data["summary"] == "Ce qui a été convenu."
    for tampered in (
        {"kind": "espion"},
        {"summary": "x" * 3001},
        {"link": "javascript:alert(1)"},
        {"work": "../admin"},
    ):
        assert (
            client.post(
                handle_url(help_request, "entry"), {**data, "visibility": "internal", **tampered}
            ).status_code
            == 400
        )
    assert not Entry.objects.exists()
    assert (
        client.post(handle_url(help_request, "assign"), {"facilitator": fiona.pk}).status_code == 404
    )  # not admin


def test_internal_notes_stay_in_the_network(client_of, help_request, fiona, alice):
    actions.take_request(help_request, by=fiona)
    for visibility, summary in (
        ("internal", "Note interne : structure fragile."),
        ("shared", "Compte rendu partagé."),
    ):
        actions.log_entry(
            help_request,
            kind="note",
            happened_on=timezone.localdate(),
            summary=summary,
            visibility=visibility,
            by=fiona,
        )
    text = page_text(client_of(alice).get(help_request.get_absolute_url()))
    assert "Compte rendu partagé." in text
    assert "Note interne" not in text


def test_pilots_are_told_at_each_step_and_only_pilots(
    help_request, fiona, alice, bob, carol, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.take_request(help_request, by=fiona)
    assert sorted(message.to[0] for message in mail.outbox) == ["alice@example.org", "carol@example.org"]
    assert "prise en charge" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.log_entry(
            help_request,
            kind="contact",
            happened_on=timezone.localdate(),
            summary="Appel.",
            visibility="internal",
            by=fiona,
        )
    assert {message.subject for message in mail.outbox} == {"Votre accompagnement a commencé"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.close_request(help_request, outcome="accompanied", by=fiona)
    subjects = sorted({message.subject for message in mail.outbox})
    assert "Votre demande d'accompagnement est close" in subjects
    # the contact person is invited, once, to the quarter's anonymous questionnaire
    help_request.refresh_from_db()
    assert help_request.satisfaction is not None
    assert list(help_request.satisfaction.invitations.values_list("email", flat=True)) == [
        "alice@example.org"
    ]
    assert all("bob@example.org" not in message.to for message in mail.outbox)


def test_every_closed_request_of_a_quarter_goes_to_one_questionnaire(
    eligible, org_b, network, alice, dave, fiona
):
    org_b.employees = 30
    first = ask(eligible, network, alice)
    second = ask(org_b, network, dave, contact_email="dave@example.org")
    for help_request in (first, second):
        actions.take_request(help_request, by=fiona)
        actions.close_request(help_request, outcome="oriented", note="Formation OPCO", by=fiona)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.satisfaction == second.satisfaction
    assert first.satisfaction.invitations.count() == 2
    # a request that was not accompanied asks nobody
    third = ask(eligible, network, alice, themes=[Theme.CHARTE])
    actions.take_request(third, by=fiona)
    actions.close_request(third, outcome="no_answer", by=fiona)
    third.refresh_from_db()
    assert third.satisfaction is None


def test_quarters():
    from datetime import date

    assert actions.quarter_bounds(date(2026, 12, 1)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert actions.quarter_bounds(date(2026, 2, 28)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert actions.quarter_label(date(2026, 1, 5)) == "1er trimestre 2026"
    assert actions.quarter_label(date(2026, 11, 5)) == "4e trimestre 2026"


def test_figures_hide_counts_below_the_threshold(eligible, network, alice, fiona, settings):
    k = settings.ANONYMITY_THRESHOLD
    help_request = ask(eligible, network, alice)
    figures = request_figures(network, k=k)
    assert figures["total"] == 1
    region = next(cell for cell in figures["regions"] if cell.count)
    assert not region.shown  # one request in a region is « moins de k »
    assert figures["days_to_first_contact"] is None  # a median over fewer than k requests is not given
    pratiques = next(cell for cell in figures["themes"] if cell.label == Theme.PRATIQUES.label)
    assert (pratiques.count, pratiques.shown) == (1, False)
    actions.take_request(help_request, by=fiona)
    assert request_figures(network, k=1)["days_to_first_contact"] is None  # taken is not contacted


def test_figures_count_per_theme_region_band_and_quarter(eligible, network, alice, settings):
    for theme in Theme.values:
        ask(eligible, network, alice, themes=[theme])
    figures = request_figures(network, k=1)
    assert [cell.count for cell in figures["themes"]] == [1] * 5
    assert sum(cell.count for cell in figures["regions"]) == 5
    assert sum(cell.count for cell in figures["size_bands"]) == 5
    assert sum(cell.count for cell in figures["quarters"]) == 5


def test_the_queue_costs_the_same_for_ten_requests(
    client_of, eligible, network, alice, fiona, django_assert_max_num_queries
):
    for theme in Theme.values:
        ask(eligible, network, alice, themes=[theme])
    client = client_of(fiona)
    url = reverse("requests:queue", args=[network.slug])
    client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url)
    with django_assert_max_num_queries(14):
        client.get(url + "?theme=charte&etat=new")


def test_purge_erases_people_and_texts_after_two_years_and_keeps_the_figures(help_request, fiona):
    from datetime import timedelta

    actions.take_request(help_request, by=fiona)
    actions.log_entry(
        help_request,
        kind="contact",
        happened_on=timezone.localdate(),
        summary="Appel.",
        visibility="internal",
        by=fiona,
    )
    actions.close_request(help_request, outcome="accompanied", by=fiona)
    assert actions.purge_closed_requests() == 0
    later = timezone.localdate() + timedelta(days=actions.RETENTION_DAYS + 1)
    assert actions.purge_closed_requests(today=later) == 1
    help_request.refresh_from_db()
    assert (help_request.contact_email, help_request.situation, help_request.problem) == ("", "", "")
    assert not help_request.entries.exists() and not help_request.steps.exists()
    assert (help_request.themes, help_request.outcome) == (["pratiques"], "accompanied")
    assert request_figures(help_request.network, k=1)["total"] == 1
    assert actions.purge_closed_requests(today=later) == 0


def answer(campaign, count):
    """`count` anonymous answers, as the invitation links would store them."""
    for number in range(count):
        response = Response.objects.create(
            campaign=campaign, submitted_on=timezone.localdate(), submission_key=f"avis-{number}"
        )
        Answer.objects.bulk_create(
            Answer(response=response, item_id=i, value="plutot-oui") for i in campaign.spec.item_ids
        )


def test_the_quarters_opinions_show_only_once_closed_and_from_k(
    client_of, help_request, fiona, nina, settings
):
    """Differencing over time: while the quarter's questionnaire is open, neither its figures nor
    its count show, whatever the number of answers; closed with fewer than k, nothing either."""
    actions.take_request(help_request, by=fiona)
    actions.close_request(help_request, outcome="accompanied", by=fiona)
    campaign = actions.satisfaction_campaign(help_request.network, by=fiona)
    figures_url = reverse("requests:figures", args=[help_request.network.slug])

    answer(campaign, settings.ANONYMITY_THRESHOLD)
    text = page_text(client_of(nina).get(figures_url))
    assert "encore ouvert" in text
    assert f"{settings.ANONYMITY_THRESHOLD} réponses." not in text and "Score sur 5" not in text
    close(campaign)
    text = page_text(client_of(nina).get(figures_url))
    assert "Score sur 5" in text


def test_fewer_than_k_opinions_show_nothing_after_closing(client_of, help_request, fiona, nina, settings):
    actions.take_request(help_request, by=fiona)
    actions.close_request(help_request, outcome="accompanied", by=fiona)
    campaign = actions.satisfaction_campaign(help_request.network, by=fiona)
    answer(campaign, 1)
    close(campaign)
    text = page_text(client_of(nina).get(reverse("requests:figures", args=[help_request.network.slug])))
    assert "rien n'est affiché" in text and "Score sur 5" not in text


def test_what_leaves_the_space_is_on_ce_que_nous_partageons(client_of, help_request, fiona, alice, bob):
    shares_url = reverse("sharing:shares", args=[help_request.organisation.slug])
    text = page_text(client_of(bob).get(shares_url))
    assert "Demandes d'accompagnement en cours" in text
    assert "sera partagé avec la personne qui prendra la demande" in text
    actions.take_request(help_request, by=fiona)
    text = page_text(client_of(alice).get(shares_url))
    assert (
        "Fiona, accompagnateur·rice du réseau « Réseau ESS test », pour votre demande d'accompagnement"
        in text
    )
    share = ResultShare.objects.get()
    client_of(alice).post(reverse("sharing:revoke", args=[help_request.organisation.slug, share.pk]))
    assert not ResultShare.objects.exists()
    assert (
        client_of(fiona)
        .get(reverse("sharing:received_detail", args=[help_request.network.slug, share.pk]))
        .status_code
        == 404
    )
