"""A sharing case from the diagnostic to its closing, through the actions and the pages, and
the transitions it refuses."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from reperes.lib.actions import ActionRefused
from reperes.listings.models import Contact, Listing
from reperes.matchmaking import actions
from reperes.matchmaking.models import Case, Entry
from reperes.organisations.models import Event
from tests.helpers import page_text
from tests.matchmaking.conftest import LENDING, TODAY, new_case

pytestmark = pytest.mark.django_db
Step = Case.Step


def post(client, name, case, data=None, **kwargs):
    return client.post(
        reverse(f"matchmaking:{name}", args=[case.network.slug, case.pk]), data or {}, **kwargs
    )


def form_data(values):
    return {key: "" if value is None else str(value) for key, value in values.items()}


def test_the_whole_workflow_through_the_pages(
    client_of, network, org_a, org_b, mia, alice, dave, bob, django_capture_on_commit_callbacks
):
    client = client_of(mia)
    response = client.post(
        reverse("matchmaking:create", args=[network.slug]),
        {
            "organisation": org_a.pk,
            "category": Listing.Category.STAFF_LENDING,
            "title": "Animatrice d'atelier",
            "need": "Il nous faut quelqu'un pour les ateliers bois.",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_network_url()
    assert (case.step, case.matchmaker, case.arrangement) == (Step.DIAGNOSTIC, mia, Case.Arrangement.LENDING)

    post(client, "diagnostic", case, {"sought": "Deux jours par semaine.", "notes": "Appel du 3."})
    post(client, "calibration", case, form_data(LENDING))
    case.refresh_from_db()
    assert case.step == Step.SEARCH and case.invoiced == Decimal("3550.00")

    with django_capture_on_commit_callbacks(execute=True):
        post(client, "partner", case, {"partner": org_b.pk})
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@example.org", "dave@example.org"]
    assert all("dave@example.org" not in m.body and "alice@example.org" not in m.body for m in mail.outbox)
    mail.outbox.clear()

    # Each organisation agrees from its own space; a plain member may not.
    assert (
        client_of(bob).post(reverse("matchmaking:org_agree", args=[org_a.slug, case.pk])).status_code == 404
    )
    page = page_text(client_of(alice).get(reverse("matchmaking:org_case", args=[org_a.slug, case.pk])))
    assert "Nous sommes d'accord" in page and "Bois & Compagnie" in page
    client_of(alice).post(reverse("matchmaking:org_agree", args=[org_a.slug, case.pk]))
    client_of(dave).post(reverse("matchmaking:org_agree", args=[org_b.slug, case.pk]))

    client = client_of(mia)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, "introduce", case)
    case.refresh_from_db()
    assert case.step == Step.LEGAL and case.introduced_at is not None
    to_alice = next(m for m in mail.outbox if m.to == ["alice@example.org"])
    assert "dave@example.org" in to_alice.body and "Bois & Compagnie" in to_alice.subject

    for item in ("employee-agreement", "lending-agreement", "amendment", "no-sanction", "return"):
        post(client, "tick", case, {"item": item, "done": "on"})
    post(client, "employee", case, {"name": "Camille Martin", "qualification": "Menuisière"})
    post(client, "complete_legal", case)
    case.refresh_from_db()
    assert case.step == Step.FOLLOW_UP and case.employee_name == "Camille Martin"

    post(
        client,
        "follow_up",
        case,
        {
            "happened": "oui",
            "shared_from": TODAY.isoformat(),
            "shared_until": TODAY.isoformat(),
            "days_shared": "24",
            "follow_up_note": "Les ateliers ont repris.",
            "need_satisfaction": "4",
            "partner_satisfaction": "3",
        },
    )
    post(client, "note", case, {"text": "Bilan téléphonique avec les deux structures."})
    response = post(client, "close", case, {"outcome": "done"})
    case.refresh_from_db()
    assert case.step == Step.CLOSED and case.outcome == Case.Outcome.DONE and case.happened is True
    assert case.days_shared == Decimal("24") and case.need_satisfaction == 4

    page = page_text(client.get(case.get_network_url()))
    assert "Bilan téléphonique" in page and "Partage réalisé" in page
    assert case.entries.filter(kind=Entry.Kind.NOTE).count() == 1
    assert case.entries.filter(kind=Entry.Kind.STEP).count() >= 10
    verbs = set(Event.objects.filter(network=network).values_list("verb", flat=True))
    assert {"matchmaking.case_created", "matchmaking.introduced", "matchmaking.case_closed"} <= verbs


def test_a_case_from_a_contact_request_keeps_both_agreements(network, contact, org_a, org_b, mia, client_of):
    response = client_of(mia).post(reverse("matchmaking:from_contact", args=[network.slug, contact.pk]))
    case = Case.objects.get()
    assert response["Location"] == case.get_network_url()
    # The listing is an offer of B: A asked, so A has the need and B is the partner.
    assert (case.organisation, case.partner, case.listing, case.contact) == (
        org_a,
        org_b,
        contact.listing,
        contact,
    )
    assert case.both_agreed and case.category == Listing.Category.STAFF_LENDING
    with pytest.raises(ActionRefused, match="déjà ouvert"):
        actions.create_case_from_contact(network, contact=contact, by=mia)
    # Its introduction is the request's too: the listing's side sees it done, no second mail.
    Case.objects.filter(pk=case.pk).update(step=Step.INTRODUCTION)  # diagnostic and calibration skipped
    actions.introduce(Case.objects.get(pk=case.pk), by=mia)
    contact.refresh_from_db()
    assert contact.state == Contact.State.INTRODUCED and contact.introduced_by == mia


def test_the_list_offers_contact_requests_and_filters_by_step_and_category(
    client_of, network, contact, org_a, mia, at_step
):
    legal = at_step(Step.LEGAL)
    premises = new_case(network, org_a, mia, category=Listing.Category.PREMISES, title="Salle le vendredi")
    client = client_of(mia)
    page = page_text(client.get(reverse("matchmaking:cases", args=[network.slug])))
    assert "Demandes de mise en lien sans dossier" in page and contact.listing.title in page
    assert legal.title in page and premises.title in page
    page = page_text(client.get(reverse("matchmaking:cases", args=[network.slug]), {"etape": "legal"}))
    assert legal.title in page and premises.title not in page
    page = page_text(client.get(reverse("matchmaking:cases", args=[network.slug]), {"categorie": "premises"}))
    assert legal.title not in page and premises.title in page


def test_putting_in_touch_without_both_agreements_is_refused(at_step, client_of, org_a, alice, mia):
    case = at_step(Step.INTRODUCTION)
    with pytest.raises(ActionRefused, match="l'accord des deux structures.*Jardins du Lien et de Bois"):
        actions.introduce(case, by=mia)
    actions.record_agreement(case, organisation=org_a, by=alice)
    response = post(client_of(mia), "introduce", case, follow=True)
    assert "il manque celui de Bois & Compagnie" in page_text(response)
    case.refresh_from_db()
    assert case.step == Step.INTRODUCTION and case.introduced_at is None
    with pytest.raises(ActionRefused, match="déjà noté"):
        actions.record_agreement(case, organisation=org_a, by=alice)


def test_an_organisation_not_concerned_cannot_agree(at_step, network, mia):
    from tests.organisations.factories import OrganisationFactory

    case = at_step(Step.INTRODUCTION)
    with pytest.raises(ActionRefused, match="pas concernée"):
        actions.record_agreement(case, organisation=OrganisationFactory(), by=mia)


def test_changing_the_partner_forgets_its_agreement(at_step, network, org_b, dave, mia):
    from reperes.organisations.models import Affiliation
    from tests.organisations.factories import OrganisationFactory

    case = at_step(Step.INTRODUCTION)
    actions.record_agreement(case, organisation=org_b, by=dave)
    other = OrganisationFactory(name="Troisième")
    Affiliation.objects.create(network=network, organisation=other)
    case = actions.choose_partner(case, partner=other, by=mia)
    assert case.partner == other and case.partner_agreed_at is None


def test_lending_above_cost_is_refused_with_the_reason(at_step, client_of, mia):
    case = at_step(Step.CALIBRATION)
    with pytest.raises(ActionRefused) as refusal:
        actions.calibrate(case, by=mia, **{**LENDING, "invoiced": Decimal("4000.00")})
    assert "bénéfice de 450,00 €" in str(refusal.value) and "L8241-1" in str(refusal.value)
    response = post(client_of(mia), "calibration", case, form_data({**LENDING, "invoiced": "4000"}))
    assert response.status_code == 400
    assert "prêt de main-d'œuvre à but lucratif est interdit" in page_text(response)
    case.refresh_from_db()
    assert case.step == Step.CALIBRATION and case.invoiced is None


def test_a_shared_cost_is_not_checked_as_a_lending(at_step, mia):
    """Above cost is only unlawful for staff lending: premises may be rented with a margin."""
    case = at_step(Step.CALIBRATION)
    values = {**LENDING, "arrangement": Case.Arrangement.NONE, "invoiced": Decimal("9000.00")}
    case = actions.calibrate(case, by=mia, **values)
    assert case.step == Step.SEARCH and case.lender_side == "" and case.checklist_items() == []


def test_the_employee_is_never_identified_before_agreeing(at_step, client_of, mia):
    case = at_step(Step.LEGAL)
    with pytest.raises(ActionRefused, match="jamais identifiée avant d'avoir donné son accord écrit"):
        actions.set_employee(case, name="Camille Martin", qualification="Menuisière", by=mia)
    page = page_text(client_of(mia).get(case.get_network_url()))
    assert 'name="name"' not in page and "cochez d'abord ce point" in page
    response = post(
        client_of(mia), "employee", case, {"name": "Camille", "qualification": "Menuisière"}, follow=True
    )
    assert "jamais identifiée" in page_text(response)
    case.refresh_from_db()
    assert case.employee_name == ""

    actions.tick_item(case, item_id="employee-agreement", done=True, by=mia)
    case = actions.set_employee(case, name="Camille Martin", qualification="Menuisière", by=mia)
    assert case.employee_name == "Camille Martin"
    # Withdrawn agreement: the identity goes with it.
    case = actions.tick_item(case, item_id="employee-agreement", done=False, by=mia)
    assert case.employee_name == "" and case.employee_qualification == ""


def test_the_database_refuses_a_named_employee_without_agreement(at_step):
    from django.db import IntegrityError, transaction

    case = at_step(Step.LEGAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=case.pk).update(employee_name="Camille Martin")


def test_legal_assistance_ends_only_when_every_applicable_point_is_checked(at_step, org_b, mia):
    org_b.has_cse = True  # the lender has a CSE: it must be consulted beforehand
    org_b.save()
    case = at_step(Step.LEGAL)
    for item in ("employee-agreement", "lending-agreement", "amendment", "no-sanction"):
        actions.tick_item(case, item_id=item, done=True, by=mia)
    with pytest.raises(ActionRefused) as refusal:
        actions.complete_legal(case, by=mia)
    assert "Le CSE de la structure prêteuse" in str(refusal.value)
    assert "retour se fait sans perte" in str(refusal.value)
    assert "utilisatrice" not in str(refusal.value)  # org A has no CSE: not applicable
    with pytest.raises(ActionRefused, match="montants du calibrage"):
        actions.tick_item(case, item_id="no-profit", done=True, by=mia)
    with pytest.raises(ActionRefused, match="ne fait pas partie"):
        actions.tick_item(case, item_id="group-form", done=True, by=mia)
    for item in ("lender-cse", "return"):
        actions.tick_item(case, item_id=item, done=True, by=mia)
    assert actions.complete_legal(case, by=mia).step == Step.FOLLOW_UP


def test_an_employer_group_has_its_own_checklist(network, org_a, org_b, mia, alice, dave):
    case = new_case(network, org_a, mia, category=Listing.Category.SHARED_JOB)
    assert case.arrangement == Case.Arrangement.EMPLOYER_GROUP
    actions.record_diagnostic(case, sought="Une comptable à mi-temps.", notes="", by=mia)
    case = actions.calibrate(case, by=mia, **{**LENDING, "arrangement": Case.Arrangement.EMPLOYER_GROUP})
    ids = [row["item"].id for row in case.checklist_items()]
    assert ids == ["group-form", "joint-liability", "written-contract", "staff-representatives"]
    labels = [ref.label for row in case.checklist_items() for ref in row["item"].references]
    assert "Code du travail, article L1253-8" in labels


def test_a_premises_case_skips_the_legal_step(network, org_a, org_b, mia, alice, dave):
    case = new_case(network, org_a, mia, category=Listing.Category.PREMISES)
    actions.record_diagnostic(case, sought="Une salle le vendredi.", notes="", by=mia)
    actions.calibrate(case, by=mia, arrangement=Case.Arrangement.NONE, unit=Case.Unit.DAYS)
    actions.choose_partner(case, partner=org_b, by=mia)
    actions.record_agreement(case, organisation=org_a, by=alice)
    actions.record_agreement(case, organisation=org_b, by=dave)
    assert actions.introduce(case, by=mia).step == Step.FOLLOW_UP


@pytest.mark.parametrize(
    ("step", "verb", "message"),
    [
        (Step.DIAGNOSTIC, lambda case, mia: actions.introduce(case, by=mia), "mettre les structures en lien"),
        (Step.DIAGNOSTIC, lambda case, mia: actions.calibrate(case, by=mia), "calibrer"),
        (
            Step.CALIBRATION,
            lambda case, mia: actions.complete_legal(case, by=mia),
            "terminer l'accompagnement",
        ),
        (
            Step.SEARCH,
            lambda case, mia: actions.tick_item(case, item_id="amendment", done=True, by=mia),
            "liste de vérification",
        ),
        (
            Step.LEGAL,
            lambda case, mia: actions.record_follow_up(case, happened=True, by=mia),
            "noter le suivi",
        ),
        (
            Step.LEGAL,
            lambda case, mia: actions.record_diagnostic(case, sought="x", notes="", by=mia),
            "noter le diagnostic",
        ),
        (Step.SEARCH, lambda case, mia: actions.close_case(case, outcome="done", by=mia), "suivi noté"),
        (
            Step.FOLLOW_UP,
            lambda case, mia: actions.close_case(case, outcome="done", by=mia),
            "partage effectif",
        ),
        (Step.SEARCH, lambda case, mia: actions.close_case(case, outcome="abandoned", by=mia), "pourquoi"),
        ("closed", lambda case, mia: actions.add_note(case, text="Encore ?", by=mia), "clos"),
        (
            "closed",
            lambda case, mia: actions.close_case(case, outcome="abandoned", reason="x", by=mia),
            "déjà clos",
        ),
        ("closed", lambda case, mia: actions.calibrate(case, by=mia), "étape « Clos »"),
    ],
)
def test_impossible_transitions_are_refused(at_step, mia, step, verb, message):
    case = at_step(step)
    before = case.step
    with pytest.raises(ActionRefused, match=message):
        verb(case, mia)
    case.refresh_from_db()
    assert case.step == before


def test_a_case_is_abandoned_with_its_reason(at_step, client_of, mia):
    case = at_step(Step.SEARCH)
    response = post(client_of(mia), "close", case, {"outcome": "abandoned", "reason": ""})
    assert response.status_code == 400 and "Dites pourquoi" in page_text(response)
    post(client_of(mia), "close", case, {"outcome": "abandoned", "reason": "Aucune structure disponible."})
    case.refresh_from_db()
    assert case.outcome == Case.Outcome.ABANDONED and case.outcome_reason == "Aucune structure disponible."


def test_the_introduction_is_counted_in_the_daily_quotas(at_step, settings, org_a, org_b, alice, dave, mia):
    case = at_step(Step.INTRODUCTION)
    actions.record_agreement(case, organisation=org_a, by=alice)
    actions.record_agreement(case, organisation=org_b, by=dave)
    settings.MAIL_QUOTA_ACCOUNT_PER_DAY = 1
    with pytest.raises(ActionRefused, match="limite d'envois"):
        actions.introduce(case, by=mia)
    case.refresh_from_db()
    assert case.step == Step.INTRODUCTION


def test_another_matchmaker_takes_the_case_over(at_step, hugo, client_of):
    case = at_step(Step.SEARCH)
    post(client_of(hugo), "follow", case)
    case.refresh_from_db()
    assert case.matchmaker == hugo
