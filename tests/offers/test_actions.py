"""Keeping the catalogue: the verbs check what the form checks (dates, sizes, reference codes)
and write one line of the network's journal each; the form refuses tampered codes."""

from datetime import date

import pytest

from reperes.lib.actions import ActionRefused
from reperes.offers import actions
from reperes.offers.forms import OfferForm
from reperes.offers.models import Offer
from reperes.organisations.models import Event

pytestmark = pytest.mark.django_db

VALID = {"kind": "training", "title": "Manager à distance", "summary": "Deux jours pour les encadrant·es."}


def form_data(**changes):
    data = {**VALID, "subjects": ["management-distance"], "regions": ["27"], "funders": ["uniformation"]}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_create_offer_stores_it_and_writes_one_journal_line(network, fiona):
    offer = actions.create_offer(network, by=fiona, **VALID, subjects=["collectif"], max_employees=249)

    assert offer.network == network and offer.created_by == fiona
    assert Offer.objects.for_network(network).get() == offer
    event = Event.objects.get(network=network)
    assert (event.verb, event.actor, event.target) == ("offers.created", fiona, "Manager à distance")


def test_an_end_before_the_start_is_refused_by_the_action_and_the_form(network, fiona):
    with pytest.raises(ActionRefused, match="La fin de validité ne peut pas précéder son début"):
        actions.create_offer(
            network, by=fiona, **VALID, starts_on=date(2026, 6, 1), ends_on=date(2026, 5, 31)
        )
    form = OfferForm(form_data(starts_on="2026-06-01", ends_on="2026-05-31"))
    assert not form.is_valid()
    assert form.errors["ends_on"] == ["La fin de validité ne peut pas précéder son début."]
    assert not Offer.objects.exists() and not Event.objects.exists()


def test_the_same_day_for_start_and_end_is_accepted(network, fiona):
    offer = actions.create_offer(
        network, by=fiona, **VALID, starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 1)
    )
    assert offer.pk


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "T" * 201),
        ("summary", "S" * 301),
        ("description", "D" * 5001),
        ("provider", "P" * 201),
        ("duration", "x" * 101),
        ("cost", "x" * 201),
        ("eligibility", "E" * 1001),
        ("contact_phone", "0" * 31),
        ("link", "https://example.org/" + "a" * 500),
    ],
)
def test_every_text_has_a_size_limit_in_the_form_and_the_action(network, fiona, field, value):
    form = OfferForm(form_data(**{field: value}))
    assert not form.is_valid() and field in form.errors
    with pytest.raises(ActionRefused):
        actions.create_offer(network, by=fiona, **{**VALID, field: value})
    assert not Offer.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "cours-du-soir"),
        ("regions", ["99"]),
        ("size_bands", ["1-1000"]),
        ("funders", ["opco-imaginaire"]),
        ("subjects", ["cuisine"]),
        ("format", "en-avion"),
    ],
)
def test_tampered_codes_are_refused_by_the_form_and_the_action(network, fiona, field, value):
    form = OfferForm(form_data(**{field: value}))
    assert not form.is_valid() and field in form.errors
    with pytest.raises(ActionRefused):
        actions.create_offer(network, by=fiona, **{**VALID, field: value})
    assert not Offer.objects.exists()


def test_a_list_field_must_be_a_list_of_distinct_codes(network, fiona):
    with pytest.raises(ActionRefused, match="Une liste de codes est attendue"):
        actions.create_offer(network, by=fiona, **VALID, regions="27")
    with pytest.raises(ActionRefused, match="choisie deux fois"):
        actions.create_offer(network, by=fiona, **VALID, regions=["27", "27"])


def test_a_phone_number_is_digits_and_separators(network):
    assert OfferForm(form_data(contact_phone="+33 1 23-45.67.89")).is_valid()
    form = OfferForm(form_data(contact_phone="appelez-moi"))
    assert not form.is_valid() and "contact_phone" in form.errors


def test_the_form_gives_the_action_what_it_takes(network, fiona):
    form = OfferForm(form_data(max_employees="249", starts_on="2026-01-01", link="exemple.org/offre"))
    assert form.is_valid(), form.errors

    offer = actions.create_offer(network, by=fiona, **form.cleaned_data)

    assert (offer.regions, offer.subjects, offer.funders) == (
        ["27"],
        ["management-distance"],
        ["uniformation"],
    )
    assert offer.max_employees == 249 and offer.link == "https://exemple.org/offre"


def test_update_names_what_changed_and_does_nothing_when_nothing_did(network, fiona):
    offer = actions.create_offer(network, by=fiona, **VALID)

    actions.update_offer(
        offer, by=fiona, title="Manager une équipe à distance", cost="690 €", summary=VALID["summary"]
    )
    actions.update_offer(offer, by=fiona, title="Manager une équipe à distance")

    offer.refresh_from_db()
    assert offer.title == "Manager une équipe à distance" and offer.cost == "690 €"
    updates = Event.objects.filter(verb="offers.updated")
    assert updates.count() == 1
    assert "(titre, coût)" in updates.get().description


def test_update_refuses_an_end_before_the_start_and_keeps_the_offer(network, fiona):
    offer = actions.create_offer(network, by=fiona, **VALID, starts_on=date(2026, 3, 1))
    with pytest.raises(ActionRefused):
        actions.update_offer(offer, by=fiona, ends_on=date(2026, 2, 1))
    offer.refresh_from_db()
    assert offer.ends_on is None


def test_an_unknown_field_is_a_programming_error(network, fiona):
    with pytest.raises(TypeError):
        actions.create_offer(network, by=fiona, **VALID, archived=True)


def test_archive_and_restore_are_idempotent_and_journaled(network, fiona):
    offer = actions.create_offer(network, by=fiona, **VALID)

    actions.archive_offer(offer, by=fiona)
    actions.archive_offer(offer, by=fiona)
    assert Offer.objects.get().archived
    actions.restore_offer(offer, by=fiona)
    actions.restore_offer(offer, by=fiona)

    assert not Offer.objects.get().archived
    verbs = list(Event.objects.filter(network=network).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["offers.created", "offers.archived", "offers.restored"]


def test_the_database_refuses_an_end_before_the_start_too(network):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.create(network=network, **VALID, starts_on=date(2026, 6, 2), ends_on=date(2026, 6, 1))


def test_the_contact_of_an_offer_goes_a_year_after_it_ended(db):
    from datetime import timedelta

    from django.utils import timezone

    from reperes.offers.actions import CONTACT_RETENTION_DAYS, forget_old_contacts
    from tests.offers.factories import OfferFactory

    today = timezone.localdate()
    ended = OfferFactory(
        ends_on=today - timedelta(days=10), contact_name="Sam", contact_email="sam@example.org"
    )
    running = OfferFactory(contact_name="Lou", contact_email="lou@example.org")
    assert forget_old_contacts() == 0
    assert forget_old_contacts(today=today + timedelta(days=CONTACT_RETENTION_DAYS)) == 1
    ended.refresh_from_db()
    running.refresh_from_db()
    assert (ended.contact_name, ended.contact_email) == ("", "")
    assert running.contact_email == "lou@example.org"
