"""Which offers an organisation sees: its networks' current offers whose regions, size bands and
cap on employees admit it, and (when asked) that serve one of the subjects, ranked by how many."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reperes.offers import actions
from reperes.offers.matching import (
    admits,
    match_reasons,
    matching_offer,
    matching_offers,
    offers_for_weak_themes,
    select_offers,
)
from reperes.offers.models import Offer
from reperes.offers.subjects import subject_codes
from reperes.organisations import reference
from reperes.organisations.models import Affiliation, Organisation
from tests.offers.factories import OfferFactory
from tests.organisations.factories import NetworkFactory

TODAY = date(2026, 12, 1)
DAY = timedelta(days=1)


@pytest.fixture
def jardins(network, org_a):
    """Les Jardins du Lien: Pays de la Loire (52), 12 people (band 11-49), 9 employees."""
    org_a.employees = 9
    org_a.save()
    return org_a


# region, size bands, cap on employees, start, end, archived → seen by the Jardins?
CASES = [
    ({}, True),
    ({"regions": ["52"]}, True),
    ({"regions": ["27", "52"]}, True),
    ({"regions": ["27"]}, False),
    ({"size_bands": ["11-49"]}, True),
    ({"size_bands": ["1-10", "50-249"]}, False),
    ({"max_employees": 9}, True),
    ({"max_employees": 8}, False),
    ({"max_employees": 249, "regions": ["52"], "size_bands": ["11-49"]}, True),
    ({"starts_on": TODAY}, True),
    ({"starts_on": TODAY + DAY}, False),
    ({"ends_on": TODAY}, True),
    ({"ends_on": TODAY - DAY}, False),
    ({"starts_on": TODAY - 30 * DAY, "ends_on": TODAY + 30 * DAY}, True),
    ({"archived": True}, False),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "seen"), CASES)
def test_an_offer_is_seen_only_when_it_admits_the_organisation_and_is_current(jardins, network, fields, seen):
    offer = OfferFactory(network=network, **fields)
    found = matching_offers(jardins, today=TODAY)
    assert (offer in found) is seen
    assert (matching_offer(jardins, offer.pk, today=TODAY) == offer) is seen


@pytest.mark.django_db
def test_offers_of_a_network_the_organisation_has_not_joined_are_never_seen(jardins):
    OfferFactory(network=NetworkFactory())
    assert matching_offers(jardins, today=TODAY) == []


@pytest.mark.django_db
def test_unknown_employees_fall_back_to_the_headcount(network, org_a):
    assert org_a.employees is None and org_a.headcount == 12
    under, over = (
        OfferFactory(network=network, max_employees=12),
        OfferFactory(network=network, max_employees=11),
    )
    assert matching_offers(org_a, today=TODAY) == [under]
    assert any("indiquez-y votre nombre de salarié·es" in reason for reason in match_reasons(under, org_a))
    assert over.pk


@pytest.mark.django_db
def test_subjects_filter_and_rank_by_how_many_are_served_then_kind_then_title(jardins, network):
    both = OfferFactory(network=network, title="Z deux sujets", subjects=["collectif", "charte"])
    training = OfferFactory(network=network, title="A formation", subjects=["charte"])
    expert = OfferFactory(network=network, kind=Offer.Kind.EXPERT, title="B expert", subjects=["charte"])
    OfferFactory(network=network, title="Hors sujet", subjects=["equipement"])

    found = matching_offers(jardins, subjects=["charte", "collectif"], today=TODAY)

    assert found == [both, expert, training]
    assert found[0].matched_subjects == ["charte", "collectif"]
    assert matching_offers(jardins, subjects=["charte", "collectif"], today=TODAY, limit=2) == [both, expert]


@pytest.mark.django_db
def test_without_subjects_every_admitting_offer_comes_by_kind_then_title(jardins, network):
    training = OfferFactory(network=network, title="Atelier")
    programme = OfferFactory(network=network, kind=Offer.Kind.PROGRAMME, title="Zèbre")
    scheme = OfferFactory(network=network, kind=Offer.Kind.HR_SCHEME, title="Aide")
    assert matching_offers(jardins, today=TODAY) == [programme, training, scheme]


@pytest.mark.django_db
def test_matching_takes_a_bounded_number_of_queries(jardins, network, django_assert_max_num_queries):
    second = NetworkFactory()
    Affiliation.objects.create(network=second, organisation=jardins)
    for n in range(30):
        OfferFactory(
            network=network if n % 2 else second, subjects=["charte"], regions=["52"] if n % 3 else []
        )
    with django_assert_max_num_queries(1):
        found = matching_offers(jardins, subjects=["charte"], today=TODAY)
        assert len(found) == 30 and {offer.network.pk for offer in found} == {network.pk, second.pk}


@pytest.mark.django_db
def test_weak_themes_lead_to_offers_of_the_weakest_first(jardins, network):
    security = OfferFactory(network=network, title="Sauvegardes", subjects=["securite-donnees"])
    disconnect = OfferFactory(network=network, title="Déconnexion", subjects=["temps-deconnexion"])
    OfferFactory(network=network, title="Sans rapport", subjects=["emploi-rh"])

    found = offers_for_weak_themes(
        jardins, ["maturite-numerique:securite", "droit-deconnexion:dec-messages"], today=TODAY
    )

    assert found == [security, disconnect]
    assert found[0].matched_themes == ["maturite-numerique:securite"]
    assert offers_for_weak_themes(jardins, ["droit-deconnexion:dec-messages"], today=TODAY) == [disconnect]
    assert offers_for_weak_themes(jardins, [], today=TODAY) == []
    assert offers_for_weak_themes(jardins, ["qvt-numerique:inconnu"], today=TODAY) == []


@pytest.mark.django_db
def test_weak_themes_give_at_most_the_limit(jardins, network):
    for n in range(5):
        OfferFactory(network=network, title=f"Offre {n}", subjects=["securite-donnees"])
    assert len(offers_for_weak_themes(jardins, ["maturite-numerique:securite"], today=TODAY)) == 3
    assert len(offers_for_weak_themes(jardins, ["maturite-numerique:securite"], limit=1, today=TODAY)) == 1


@pytest.mark.django_db
def test_an_offer_expires_by_itself_the_day_after_its_end(jardins, network, fiona):
    offer = actions.create_offer(
        network, by=fiona, kind="training", title="Courte", summary="Un jour.", ends_on=TODAY
    )
    assert matching_offers(jardins, today=TODAY) == [offer]
    assert matching_offers(jardins, today=TODAY + DAY) == []
    assert list(Offer.objects.expired(TODAY + DAY)) == [offer]


def test_reasons_say_in_plain_words_why_the_offer_is_shown():
    organisation = Organisation(region="27", headcount=30, employees=25)
    offer = Offer(regions=["27"], size_bands=["11-49"], max_employees=249, subjects=["charte", "collectif"])

    reasons = match_reasons(offer, organisation, subjects=["charte"])

    assert reasons == [
        "Ouverte en Bourgogne-Franche-Comté, la région de votre structure.",
        "Pour les structures de votre taille (11 à 49 personnes).",
        "Réservée aux structures de moins de 250 salarié·es : vous en comptez 25.",
        "Répond à ce que vous cherchez : « Rédiger une charte ou un accord ».",
    ]
    assert match_reasons(Offer(), organisation) == [
        "Ouverte à toutes les structures du réseau, dans toutes les régions."
    ]


# Properties, on unsaved objects: no database

REGIONS = [code for code, _ in reference.choices("regions")]
BANDS = [code for code, _ in reference.choices("size_bands")]
SUBJECTS = subject_codes()

organisations = st.builds(
    lambda region, headcount, employees: Organisation(
        region=region, headcount=headcount, employees=employees
    ),
    st.sampled_from(REGIONS),
    st.integers(min_value=1, max_value=400),
    st.one_of(st.none(), st.integers(min_value=0, max_value=400)),
)
offers = st.builds(
    lambda regions, bands, cap, subjects: Offer(
        title="Offre",
        kind="training",
        regions=regions,
        size_bands=bands,
        max_employees=cap,
        subjects=subjects,
    ),
    st.lists(st.sampled_from(REGIONS), unique=True, max_size=3),
    st.lists(st.sampled_from(BANDS), unique=True, max_size=2),
    st.one_of(st.none(), st.integers(min_value=1, max_value=400)),
    st.lists(st.sampled_from(SUBJECTS), unique=True, max_size=4),
)


@given(
    offer=offers,
    organisation=organisations,
    asked=st.lists(st.sampled_from(SUBJECTS), max_size=3),
    extra=st.sampled_from(SUBJECTS),
)
def test_adding_a_subject_to_an_offer_never_removes_it_from_results(offer, organisation, asked, extra):
    before = bool(select_offers([offer], organisation, subjects=asked))
    if extra not in offer.subjects:
        offer.subjects = [*offer.subjects, extra]
    assert bool(select_offers([offer], organisation, subjects=asked)) >= before


@given(offer=offers, organisation=organisations, region=st.sampled_from(REGIONS))
def test_opening_an_offer_to_one_more_region_never_removes_an_organisation(offer, organisation, region):
    before = admits(offer, organisation)
    if offer.regions and region not in offer.regions:
        offer.regions = [*offer.regions, region]
    assert admits(offer, organisation) >= before


@given(offer=offers, organisation=organisations)
def test_an_offer_without_restrictions_admits_everyone_and_restrictions_only_narrow(offer, organisation):
    open_offer = Offer(title="Ouverte", kind="training")
    assert admits(open_offer, organisation)
    if admits(offer, organisation):
        assert not offer.regions or organisation.region in offer.regions
        assert not offer.size_bands or organisation.size_band in offer.size_bands
