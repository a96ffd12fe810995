"""A team exercise in a real browser at phone size (axe-core at every size, no sideways scroll
at 320, valid HTML): the lead of a 12-person association reviews a shared calendar before
adopting it, with the risks of collaboration tools in view, records a decision on its rules of
use that becomes an action of the plan in one click, then starts the « after adoption » review
that recalls the earlier answers. A member reads the review but cannot edit it."""

import pytest
from playwright.sync_api import expect

from reperes.action_plans.models import Action
from reperes.exercises.models import Exercise
from reperes.organisations.models import Role
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.steps import success
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RULES = "Les règles d'usage, déconnexion comprise"


def log_in(page, live_url, email):
    page.goto(live_url("/compte/connexion/"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("link", name="Exercices", exact=True)).to_be_visible()


def section(page, title):
    return page.locator("section", has=page.get_by_role("heading", name=title, exact=True))


def test_a_tool_review_decision_becomes_an_action(page, other_page, live_url, check_a11y):
    organisation = OrganisationFactory(name="Les Jardins du Lien", slug="jardins", headcount=12)
    lead = MembershipFactory(
        organisation=organisation, user=UserFactory(email="lea@example.org", name="Léa Morel"), role=Role.LEAD
    ).user
    member = MembershipFactory(
        organisation=organisation,
        user=UserFactory(email="sami@example.org", name="Sami Benali"),
        role=Role.MEMBER,
    ).user

    log_in(page, live_url, lead.email)
    page.get_by_role("link", name="Exercices", exact=True).click()
    expect(page.get_by_role("heading", name="Exercices d'équipe")).to_be_visible()
    check_a11y()

    # Start a review before adopting a shared calendar; first without choosing its family.
    page.get_by_role("link", name="Commencer : revue d'un outil numérique").click()
    page.get_by_label("Outil", exact=True).fill("Agenda partagé")
    page.get_by_role("button", name="Commencer l'exercice").click()
    expect(page.get_by_text("Ce champ est obligatoire.")).to_be_visible()
    expect(page.get_by_label("Outil", exact=True)).to_have_value("Agenda partagé")
    check_a11y()
    page.get_by_label("Collaboration : agenda partagé", exact=False).check()
    page.get_by_role("button", name="Commencer l'exercice").click()
    success(page, "L'exercice « Revue de « Agenda partagé » » est commencé.")
    expect(page.get_by_text("L'obligation de « collaborer » en permanence")).to_be_visible()
    check_a11y()

    # The team's answers on the rules of use.
    page.get_by_role("link", name="Compléter les réponses").click()
    rules = section(page, RULES)
    rules.get_by_label("Ce que l'équipe en dit").fill(
        "Des invitations arrivent le soir pour le lendemain matin."
    )
    rules.get_by_label("Ajuster", exact=True).check()
    rules.get_by_label("Ce que nous retenons").fill("Pas d'invitation après 18 h pour le lendemain")
    section(page, "Le sens : à quoi doit-il servir ?").get_by_label("Continuer ainsi", exact=True).check()
    check_a11y()
    page.get_by_role("button", name="Enregistrer").click()
    success(page, "Les réponses de l'équipe sont enregistrées.")
    check_a11y()

    # One click: the decision is an action of the plan, prefilled.
    page.get_by_role("button", name=f"Inscrire au plan d'action : {RULES}").click()
    success(page, "La décision est devenue une action du plan")
    expect(page.get_by_role("heading", name="Pas d'invitation après 18 h pour le lendemain")).to_be_visible()
    check_a11y()
    action = Action.objects.get()
    assert action.organisation == organisation and action.created_by == lead
    assert action.determinants == ["labqvt:sante", "anact:articulation-temps"]

    # Back on the review: the action is linked; the « after » review recalls the answers.
    page.goto(live_url(Exercise.objects.get().get_absolute_url()))
    expect(
        page.get_by_role("link", name="Voir l'action du plan : Pas d'invitation après 18 h")
    ).to_be_visible()
    page.get_by_role("button", name="Commencer la revue après l'adoption").click()
    success(page, "La revue après l'adoption est commencée")
    expect(page.get_by_text("Pas d'invitation après 18 h pour le lendemain").first).to_be_visible()
    check_a11y()
    after = Exercise.objects.get(stage="after")
    assert after.previous.tool_name == "Agenda partagé"

    # A member reads, and has nothing to edit.
    log_in(other_page, live_url, member.email)
    other_page.goto(live_url(after.previous.get_absolute_url()))
    expect(other_page.get_by_text("Pas d'invitation après 18 h pour le lendemain").first).to_be_visible()
    expect(other_page.get_by_role("link", name="Compléter les réponses")).to_have_count(0)
    expect(other_page.get_by_role("button", name=f"Inscrire au plan d'action : {RULES}")).to_have_count(0)
