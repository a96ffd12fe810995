"""Issue 16, a network writes its questionnaire in the interface, without a workbook.

The network's administrator starts from the shipped « Numérique et qualité de vie au travail »
(« Partir de ce questionnaire »: a copy, the original stays as it is), opens its first theme,
rewrites its first statement and tags it with a determinant of the QVT, reads the page on a
phone as a respondent will, and publishes the copy for the network's organisations.

The accounts, the network and the shipped questionnaire are set up with the ORM
(test_authoring_journey.set_up). Every page visited is checked by axe-core and the HTML
validator, and may not scroll sideways at 320 px (tests/browser/conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from reperes.instruments.models import Questionnaire, QuestionnaireDraft
from tests.browser.conftest import VIEWPORTS
from tests.browser.steps import success
from tests.browser.test_authoring_journey import HUGO, SHIPPED, log_in, set_up

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = VIEWPORTS["phone"]
COPY = f"{SHIPPED} (copie)"
REWRITTEN = "Nous choisissons ensemble les outils numériques de l'équipe."


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url}


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_an_author_copies_edits_tags_previews_and_publishes(page, check_a11y):
    network, device, _organisation = set_up()
    shipped = Questionnaire.objects.get(slug="qvt-numerique")
    original = shipped.latest_version().definition

    # 1. From the network's questionnaires, a copy of the shipped one.
    log_in(page, HUGO, device)
    page.goto(f"/r/{network.slug}/questionnaires/")
    page.get_by_role("button", name=f"Partir de ce questionnaire « {SHIPPED} »").click()
    success(page, f"« {COPY} » est un brouillon copié")
    expect(page.get_by_role("heading", name=COPY, level=1)).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("fourni avec Repères, qui ne change pas")
    check_a11y()
    draft = QuestionnaireDraft.objects.get()
    first_theme = draft.definition["themes"][0]

    # 2. Its first theme: the first statement rewritten and tagged « Santé au travail ».
    page.get_by_role("link", name=f"Modifier le thème « {first_theme['title']} »").click()
    expect(page.get_by_role("heading", name=first_theme["title"], level=1)).to_be_visible()
    check_a11y()
    statement = page.locator("#affirmation-1")
    statement.get_by_label("Affirmation 1").fill(REWRITTEN)
    statement.locator("summary").click()
    statement.get_by_role("checkbox", name="Santé au travail").check()
    check_a11y()
    page.get_by_role("button", name="Enregistrer").first.click()
    success(page, "Thème enregistré.")
    expect(page.locator("#affirmation-1").get_by_label("Affirmation 1")).to_have_value(REWRITTEN)
    draft.refresh_from_db()
    item = draft.definition["themes"][0]["items"][0]
    assert item["text"] == REWRITTEN and "labqvt:sante" in item["determinants"]

    # 3. On a phone, the page as a respondent will see it.
    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    check_a11y()
    page.get_by_role("link", name="Voir cette page comme un·e répondant·e").click()
    expect(page.get_by_text("Thème 1 sur 6", exact=True)).to_be_visible()
    expect(page.locator("fieldset.statement").first).to_contain_text(REWRITTEN)
    check_a11y()
    page.get_by_role("link", name="Retour au brouillon").click()
    page.set_viewport_size(desktop)

    # 4. Published: a questionnaire of the network; the shipped one has not changed.
    page.get_by_role("button", name="Publier pour les structures du réseau").click()
    success(page, f"« {COPY} » est publié (version 1)")
    expect(page.get_by_role("button", name=f"Modifier « {COPY} »")).to_be_visible()
    check_a11y()
    published = Questionnaire.objects.get(slug=draft.slug)
    assert published.network == network
    assert published.latest_version().definition["themes"][0]["items"][0]["text"] == REWRITTEN
    assert shipped.versions.count() == 1 and shipped.latest_version().definition == original
    expect(page).to_have_url(re.compile(f"/r/{network.slug}/questionnaires/$"))
