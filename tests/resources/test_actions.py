"""The library's verbs: each writes the item and one line of the network's journal, checks an
uploaded file by its content, and never deletes an item."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from reperes.lib.actions import ActionRefused
from reperes.organisations.models import Event
from reperes.resources import actions
from reperes.resources.models import Resource
from tests.lib.files import PDF_BYTES, office_bytes
from tests.offers.factories import OfferFactory
from tests.organisations.factories import NetworkFactory

pytestmark = pytest.mark.django_db

FIELDS = {
    "kind": Resource.Kind.GUIDE,
    "title": "Prendre soin de ses collaborateurs",
    "summary": "Un guide pour les petites structures.",
    "subjects": ["emploi-rh"],
    "regions": ["27"],
}


def pdf(name="guide.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_staff_add_an_item_with_a_file_kept_under_a_random_name(network, hugo, media):
    resource = actions.create_resource(network, by=hugo, upload=pdf("../../Guide QVT.pdf"), **FIELDS)

    assert resource.author == hugo and resource.author_name == "Hugo"
    assert resource.file_name == "Guide QVT.pdf" and resource.file_type == "application/pdf"
    assert resource.file_size == len(PDF_BYTES)
    stored = Path(resource.file.path)
    assert stored.parent == media / "resources" and stored.suffix == ".pdf"
    assert "Guide" not in stored.name and len(stored.stem) == 32
    assert stored.read_bytes() == PDF_BYTES
    event = Event.objects.get(network=network)
    assert event.verb == "resources.created" and event.actor == hugo


def test_a_refused_file_writes_nothing(network, hugo, media):
    with pytest.raises(ActionRefused, match="ne correspond pas à son extension"):
        actions.create_resource(network, by=hugo, upload=pdf(content=b"<html><script></script>"), **FIELDS)
    assert not Resource.objects.exists() and not Event.objects.exists()


def test_a_file_written_before_a_failure_is_removed_again(network, hugo, media, monkeypatch):
    """The file is on the disk before the row is saved: when the rest fails and the transaction
    is rolled back, no file is left that nothing points to."""

    def fail(*args, **kwargs):
        raise RuntimeError("la base ne répond plus")

    resource = actions.create_resource(network, by=hugo, link="https://example.org/guide", **FIELDS)
    monkeypatch.setattr(actions, "_event", fail)
    with pytest.raises(RuntimeError):
        actions.create_resource(network, by=hugo, upload=pdf(), **FIELDS)
    assert list(Resource.objects.all()) == [resource]
    assert not any((media / "resources").glob("*"))

    with pytest.raises(RuntimeError):
        actions.update_resource(resource, by=hugo, link="", upload=pdf())
    assert not any((media / "resources").glob("*"))


def test_a_file_over_the_cap_is_refused(network, hugo):
    big = pdf(content=PDF_BYTES + b"0" * actions.MAX_FILE_BYTES)
    with pytest.raises(ActionRefused, match="dépasse 10 Mo"):
        actions.create_resource(network, by=hugo, upload=big, **FIELDS)


def test_a_link_and_a_file_together_are_refused(network, hugo):
    with pytest.raises(ActionRefused, match="un lien ou un fichier, pas les deux"):
        actions.create_resource(network, by=hugo, upload=pdf(), link="https://example.org/guide", **FIELDS)


def test_only_news_go_to_the_public_feed(network, hugo):
    with pytest.raises(ActionRefused, match="Seules les actualités RH"):
        actions.create_resource(network, by=hugo, public=True, **FIELDS)
    news = actions.create_resource(network, by=hugo, public=True, **{**FIELDS, "kind": Resource.Kind.NEWS})
    assert Resource.objects.public_news(network).get() == news


def test_unknown_codes_and_other_networks_offers_are_refused(network, hugo):
    with pytest.raises(ActionRefused, match="Valeur inconnue"):
        actions.create_resource(network, by=hugo, **{**FIELDS, "subjects": ["inconnu"]})
    with pytest.raises(ActionRefused, match="offres de son réseau"):
        actions.create_resource(network, by=hugo, offers=[OfferFactory(network=NetworkFactory())], **FIELDS)


def test_replacing_the_file_removes_the_old_one_once_committed(
    network, hugo, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resource = actions.create_resource(network, by=hugo, upload=pdf(), **FIELDS)
    old = Path(resource.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        resource = actions.update_resource(
            resource,
            by=hugo,
            upload=SimpleUploadedFile("kit.docx", office_bytes(".docx")),
            title="Kit employeur",
        )
    assert not old.exists() and Path(resource.file.path).exists()
    assert resource.file_name == "kit.docx" and resource.title == "Kit employeur"
    with django_capture_on_commit_callbacks(execute=True):
        resource = actions.update_resource(
            resource, by=hugo, remove_file=True, link="https://example.org/kit"
        )
    assert not resource.file and resource.file_name == "" and resource.link == "https://example.org/kit"
    assert list((media / "resources").iterdir()) == []


def test_linked_offers_are_kept_and_changed(network, hugo):
    first, second = OfferFactory(network=network), OfferFactory(network=network)
    resource = actions.create_resource(network, by=hugo, offers=[first], **FIELDS)
    assert list(resource.offers.all()) == [first]
    actions.update_resource(resource, by=hugo, offers=[second])
    assert list(resource.offers.all()) == [second]
    actions.update_resource(resource, by=hugo, title="Autre titre")  # offers=None: unchanged
    assert list(resource.offers.all()) == [second]


def test_archiving_keeps_the_item_and_restoring_brings_it_back(network, hugo):
    resource = actions.create_resource(network, by=hugo, **FIELDS)

    archived = actions.archive_resource(resource, by=hugo)
    assert archived.is_archived and Resource.objects.archived().get() == archived
    assert not Resource.objects.live().exists()
    assert actions.archive_resource(archived, by=hugo).archived_at == archived.archived_at  # twice: once

    restored = actions.restore_resource(archived, by=hugo)
    assert not restored.is_archived and Resource.objects.live().get() == restored
    verbs = list(Event.objects.filter(network=network).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["resources.created", "resources.archived", "resources.restored"]


def test_the_author_name_stays_when_the_account_goes(network, hugo):
    resource = actions.create_resource(network, by=hugo, **FIELDS)
    # What deleting the account does to the item (SET_NULL), without deleting the whole account.
    assert Resource._meta.get_field("author").remote_field.on_delete is models.SET_NULL
    Resource.objects.filter(pk=resource.pk).update(author=None)
    resource.refresh_from_db()
    assert resource.author is None and resource.author_name == "Hugo"
