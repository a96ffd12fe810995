"""The library's pages: the network's staff keep it, the members of its organisations read it,
everyone else gets 404. Files are checked by their content and served only as attachments."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reperes.resources import actions
from reperes.resources.models import Resource
from tests.helpers import page_text
from tests.lib.files import PDF_BYTES, PNG_BYTES, office_bytes
from tests.offers.factories import OfferFactory
from tests.organisations.factories import NetworkFactory
from tests.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db


def net_url(name, network, *args):
    return reverse(f"resources:{name}", args=[network.slug, *args])


def org_url(name, organisation, *args):
    return reverse(f"resources:{name}", args=[organisation.slug, *args])


def pdf(name="guide.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def form_data(**extra):
    return {
        "kind": "guide",
        "title": "Dialogue social et QVT",
        "summary": "Un guide **pratique** pour l'aide à domicile.",
        "published_on": "2021-07-20",
        "subjects": ["dialogue-social"],
        "author_name": "Hugo",
        **extra,
    }


@pytest.fixture
def guide(network, hugo):
    return actions.create_resource(
        network,
        by=hugo,
        upload=pdf("Guide dialogue social.pdf"),
        kind=Resource.Kind.GUIDE,
        title="Dialogue social et QVT",
        summary="Un guide.",
        subjects=["dialogue-social"],
    )


# The network's side


def test_staff_add_an_item_with_a_file_through_the_form(client_of, network, hugo):
    offer = OfferFactory(network=network, title="Former les élu·es du CSE")
    response = client_of(hugo).post(
        net_url("create", network), form_data(upload=pdf(), offers=[offer.pk], regions=["27"])
    )

    resource = Resource.objects.get()
    assert response.status_code == 302 and response["Location"] == net_url("resource", network, resource.pk)
    assert resource.file_name == "guide.pdf" and resource.regions == ["27"]
    assert list(resource.offers.all()) == [offer]
    page = page_text(client_of(hugo).get(response["Location"]))
    assert "Dialogue social et QVT" in page and "<strong>pratique</strong>" in page
    assert "Télécharger « guide.pdf »" in page and "Former les élu·es du CSE" in page


def test_the_form_explains_the_public_feed(client_of, network, fiona):
    page = page_text(client_of(fiona).get(net_url("create", network)))
    assert 'enctype="multipart/form-data"' in page
    assert "Le fil d'actualités se lit sans compte" in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (pdf(content=PDF_BYTES + b"0" * actions.MAX_FILE_BYTES), "dépasse 10 Mo"),
        (pdf("outil.exe", b"MZ\x90\x00", "application/x-msdownload"), "n'est pas un fichier accepté"),
        (pdf("guide.pdf", b"MZ\x90\x00\x03\x00 an executable"), "ne correspond pas à son extension"),
        (pdf("guide.pdf", b"<!DOCTYPE html><script>alert(1)</script>"), "ne correspond pas à son extension"),
        (pdf("image.svg", b"<svg onload='alert(1)'/>", "image/svg+xml"), "n'est pas un fichier accepté"),
    ],
    ids=["too large", "executable", "executable renamed", "html renamed", "svg"],
)
def test_a_refused_file_says_why_and_keeps_the_rest_of_the_form(client_of, network, hugo, upload, message):
    response = client_of(hugo).post(
        net_url("create", network), form_data(upload=upload, summary="Mon résumé tapé avec soin.")
    )

    assert response.status_code == 200 and not Resource.objects.exists()
    page = page_text(response)
    assert message in page and "Choisissez de nouveau un fichier." in page
    assert 'value="Dialogue social et QVT"' in page and "Mon résumé tapé avec soin." in page
    assert re.search(r'<input[^>]*value="dialogue-social"[^>]*checked', page)


def test_a_path_in_the_file_name_goes_nowhere(client_of, network, hugo, media):
    client_of(hugo).post(net_url("create", network), form_data(upload=pdf("../../../../etc/cron.d/x.pdf")))

    resource = Resource.objects.get()
    assert resource.file_name == "x.pdf"
    stored = Path(resource.file.path).resolve()
    assert stored.parent == (media / "resources").resolve()
    assert [path.name for path in media.rglob("*") if path.is_file()] == [stored.name]


def test_a_link_and_a_file_together_are_refused_by_the_form(client_of, network, hugo):
    response = client_of(hugo).post(
        net_url("create", network), form_data(upload=pdf(), link="https://example.org/guide")
    )
    assert response.status_code == 200 and "pas les deux" in page_text(response)
    assert not Resource.objects.exists()


def test_only_news_go_to_the_public_feed(client_of, network, hugo):
    response = client_of(hugo).post(net_url("create", network), form_data(public="on"))
    assert response.status_code == 200 and "Seules les actualités RH" in page_text(response)


def test_staff_edit_archive_and_restore(client_of, network, fiona, guide):
    client = client_of(fiona)
    edited = client.post(
        net_url("edit", network, guide.pk),
        form_data(title="Guide mis à jour", remove_file="on", link="https://example.org/guide"),
    )
    assert edited.status_code == 302
    guide.refresh_from_db()
    assert guide.title == "Guide mis à jour" and not guide.file and guide.link == "https://example.org/guide"

    assert client.post(net_url("archive", network, guide.pk)).status_code == 302
    assert "Archivées (1)" in page_text(client.get(net_url("library", network)))
    archived_page = page_text(client.get(net_url("resource", network, guide.pk)))
    assert "Cette ressource est archivée" in archived_page and "Remettre en ligne" in archived_page

    assert client.post(net_url("restore", network, guide.pk)).status_code == 302
    guide.refresh_from_db()
    assert not guide.is_archived


def test_editing_keeps_the_file_unless_asked(client_of, network, hugo, guide):
    client_of(hugo).post(net_url("edit", network, guide.pk), form_data(title="Nouveau titre"))
    guide.refresh_from_db()
    assert guide.title == "Nouveau titre" and guide.file_name == "Guide dialogue social.pdf"
    refused = client_of(hugo).post(net_url("edit", network, guide.pk), form_data(link="https://example.org"))
    assert refused.status_code == 200 and "retirez le fichier" in page_text(refused)


def test_the_list_filters_by_kind_theme_and_state(client_of, network, nina):
    ResourceFactory(
        network=network, kind="news", title="Actualité déconnexion", subjects=["temps-deconnexion"]
    )
    ResourceFactory(network=network, kind="guide", title="Guide déconnexion", subjects=["temps-deconnexion"])
    ResourceFactory(network=network, kind="guide", title="Guide recrutement", subjects=["emploi-rh"])
    ResourceFactory(network=network, title="Vieux guide", archived_at="2024-01-01T00:00Z")
    ResourceFactory(title="Guide d'un autre réseau")
    client = client_of(nina)

    page = page_text(client.get(net_url("library", network)))
    assert "3 ressources" in page and "Vieux guide" not in page and "autre réseau" not in page
    assert "Nouvelle ressource" not in page  # analysts read, staff keep
    by_kind = page_text(client.get(net_url("library", network) + "?kind=guide&subject=temps-deconnexion"))
    assert (
        "1 ressource" in by_kind and "Guide déconnexion" in by_kind and "Actualité déconnexion" not in by_kind
    )
    archived = page_text(client.get(net_url("library", network) + "?status=archived"))
    assert "Vieux guide" in archived and "Guide recrutement" not in archived
    odd = client.get(net_url("library", network) + "?kind=<script>&subject=%00&status=x")
    assert odd.status_code == 200 and "3 ressources" in page_text(odd)


def test_the_staff_list_makes_a_bounded_number_of_queries(
    client_of, network, hugo, django_assert_max_num_queries
):
    for n in range(30):
        ResourceFactory(network=network, subjects=["emploi-rh"], regions=["27"], title=f"Guide {n}")
    client = client_of(hugo)
    with django_assert_max_num_queries(12):
        response = client.get(net_url("library", network))
    assert "30 ressources" in page_text(response)


@pytest.mark.parametrize("name", ["library", "create"])
def test_other_people_get_404_on_the_network_side(client_of, network, alice, zoe, name):
    assert client_of(alice).get(net_url(name, network)).status_code == 404
    assert client_of(zoe).get(net_url(name, network)).status_code == 404


def test_an_analyst_may_not_change_the_library(client_of, network, nina, guide):
    client = client_of(nina)
    assert client.get(net_url("resource", network, guide.pk)).status_code == 200
    assert client.get(net_url("edit", network, guide.pk)).status_code == 404
    assert client.post(net_url("archive", network, guide.pk)).status_code == 404
    guide.refresh_from_db()
    assert not guide.is_archived


def test_another_networks_staff_get_404_on_an_item(client_of, network, zoe, guide):
    other = NetworkFactory(slug="autre-reseau-2")
    client = client_of(zoe)
    for name in ("resource", "edit", "file"):
        assert client.get(net_url(name, network, guide.pk)).status_code == 404
    assert client.post(net_url("archive", network, guide.pk)).status_code == 404
    # Through her own network's address, an item of another network is not found either.
    zoe_network = zoe.network_memberships.get().network
    assert client.get(net_url("resource", zoe_network, guide.pk)).status_code == 404
    assert other.pk


# Files


def test_a_download_is_an_attachment_of_its_checked_type(client_of, network, hugo, alice, org_a, guide):
    for user, url in [
        (hugo, net_url("file", network, guide.pk)),
        (alice, org_url("space_file", org_a, guide.pk)),
    ]:
        response = client_of(user).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Guide" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"


def test_an_image_is_downloaded_too_never_shown_inline(client_of, network, hugo, org_a, alice):
    resource = actions.create_resource(
        network,
        by=hugo,
        upload=SimpleUploadedFile("affiche.png", PNG_BYTES, content_type="text/html"),
        kind="tool",
        title="Affiche",
        summary="Une affiche.",
    )
    response = client_of(alice).get(org_url("space_file", org_a, resource.pk))
    assert response["Content-Type"] == "image/png"  # never the type the browser declared
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PNG_BYTES


def test_an_item_without_a_file_has_no_download(client_of, network, alice, org_a):
    resource = ResourceFactory(network=network, link="https://example.org")
    assert client_of(alice).get(org_url("space_file", org_a, resource.pk)).status_code == 404


def test_an_office_file_keeps_its_type(client_of, network, hugo):
    resource = actions.create_resource(
        network,
        by=hugo,
        upload=SimpleUploadedFile("inventaire.xlsx", office_bytes(".xlsx")),
        kind="tool",
        title="Inventaire",
        summary="Un tableur.",
    )
    response = client_of(hugo).get(net_url("file", network, resource.pk))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert b"".join(response.streaming_content).startswith(b"PK\x03\x04")


# The organisation's side


def test_a_member_reads_the_library_of_the_organisations_networks(client_of, network, org_a, bob):
    ResourceFactory(network=network, title="Guide pour tous", published_on=date(2021, 9, 1))
    ResourceFactory(network=network, title="Pour la Bourgogne", regions=["27"])
    ResourceFactory(network=network, title="Pour l'Île-de-France", regions=["11", "52"])
    ResourceFactory(network=network, title="Archivé", archived_at="2024-01-01T00:00Z")
    ResourceFactory(title="D'un autre réseau")

    page = page_text(client_of(bob).get(org_url("space_library", org_a)))

    assert "Guide pour tous" in page and "Pour l'Île-de-France" in page  # A is in region 52
    assert "Pour la Bourgogne" not in page and "Archivé" not in page and "autre réseau" not in page
    assert "2 ressources" in page


def test_members_filter_by_kind_and_theme(client_of, network, org_a, bob):
    ResourceFactory(network=network, kind="news", title="Nouvelle aide", subjects=["emploi-rh"])
    ResourceFactory(network=network, kind="replay", title="Replay conférence", subjects=["dialogue-social"])
    client = client_of(bob)
    assert "Nouvelle aide" not in page_text(client.get(org_url("space_library", org_a) + "?kind=replay"))
    themed = page_text(client.get(org_url("space_library", org_a) + "?subject=emploi-rh"))
    assert "Nouvelle aide" in themed and "Replay conférence" not in themed


def test_the_members_list_makes_a_bounded_number_of_queries(
    client_of, network, org_a, bob, django_assert_max_num_queries
):
    for n in range(30):
        ResourceFactory(network=network, title=f"Guide {n}", subjects=["emploi-rh"])
    client = client_of(bob)
    with django_assert_max_num_queries(10):
        response = client.get(org_url("space_library", org_a))
    assert "30 ressources" in page_text(response)


def test_a_member_reads_an_item_with_its_matching_offers(client_of, network, org_a, bob, hugo):
    open_to_a = OfferFactory(network=network, title="Formation ouverte")
    elsewhere = OfferFactory(network=network, title="Formation en Bretagne", regions=["53"])
    resource = actions.create_resource(
        network,
        by=hugo,
        offers=[open_to_a, elsewhere],
        kind="guide",
        title="Guide",
        summary="Lisez-le.",
        link="https://example.org/guide",
    )
    page = page_text(client_of(bob).get(org_url("space_resource", org_a, resource.pk)))
    assert "Formation ouverte" in page and "Formation en Bretagne" not in page
    assert 'href="https://example.org/guide"' in page


def test_an_archived_item_stays_reachable_with_a_notice(client_of, network, org_a, bob, hugo, guide):
    actions.archive_resource(guide, by=hugo)
    response = client_of(bob).get(org_url("space_resource", org_a, guide.pk))
    assert response.status_code == 200 and "a été archivée" in page_text(response)


def test_an_organisation_outside_the_network_gets_404(client_of, olga, guide):
    outside = olga.memberships.get().organisation
    client = client_of(olga)
    assert client.get(org_url("space_resource", outside, guide.pk)).status_code == 404
    assert client.get(org_url("space_file", outside, guide.pk)).status_code == 404
    assert "Dialogue social et QVT" not in page_text(client.get(org_url("space_library", outside)))


def test_other_people_get_404_on_the_organisation_side(client_of, org_a, dave, fiona, guide):
    for user in (dave, fiona):
        client = client_of(user)
        assert client.get(org_url("space_library", org_a)).status_code == 404
        assert client.get(org_url("space_resource", org_a, guide.pk)).status_code == 404
        assert client.get(org_url("space_file", org_a, guide.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, org_a, network, guide):
    for url in (org_url("space_file", org_a, guide.pk), net_url("file", network, guide.pk)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
