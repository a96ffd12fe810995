"""Issue 16, a network writes its own questionnaire, in a real browser.

The network's administrator, at her desk (logging in with two-factor authentication), opens
« Questionnaires » from the network's navigation and downloads the shipped « Numérique et qualité
de vie au travail » as an XLSForm workbook. She renames it and imports it with a formula left in a
statement's label: the page lists the problem with its sheet, row and column, and nothing is
imported. The fixed workbook becomes a draft, which she reads on a phone as a respondent will,
page by page to the end, then publishes. The lead of a member organisation then prepares a
diagnostic with it, on her phone.

What the journey does not cover is set up with the ORM: the accounts, the network and its member
organisation, the shipped questionnaire. Every page visited is checked by axe-core at the phone's
size and at the desktop's, and may not scroll sideways at 320 px (tests/browser/conftest.py)."""

import io
import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook
from playwright.sync_api import expect

from reperes.campaigns.models import Campaign, Response
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire, QuestionnaireDraft
from reperes.instruments.xlsform import REPERES, SURVEY
from reperes.organisations.models import Affiliation, Role
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.conftest import VIEWPORTS, A11yChecker
from tests.browser.steps import enter_app_code, success
from tests.organisations.factories import (
    MembershipFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganisationFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = VIEWPORTS["phone"]
HUGO, ALICE = "hugo@example.org", "alice@example.org"
NETWORK, ORGANISATION = "Réseau ESS test", "Les Jardins du Lien"
SHIPPED = "Numérique et qualité de vie au travail"
SLUG, TITLE = "bien-etre-reseau", "Bien-être au travail (réseau)"
THEMES = 6  # the shipped questionnaire's, one page each in the preview (no open questions)
DIAGNOSTIC = "Bien-être au travail, printemps"


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    """Every person's browser opens the live server's relative URLs."""
    return {**browser_context_args, "base_url": live_server.url}


def set_up():
    """The network with its administrator (two-factor app on her phone) and one member
    organisation with its lead; the shipped questionnaires."""
    load_definitions(only=["qvt-numerique"])
    network = NetworkFactory(name=NETWORK, slug="reseau")
    hugo = UserFactory(email=HUGO, name="Hugo")
    NetworkMembershipFactory(network=network, user=hugo, role="admin")
    device = TOTPDevice.objects.create(user=hugo, name="Téléphone de Hugo", confirmed=True)
    organisation = OrganisationFactory(name=ORGANISATION, slug="jardins", headcount=12)
    Affiliation.objects.create(network=network, organisation=organisation)
    MembershipFactory(organisation=organisation, user=UserFactory(email=ALICE, name="Alice"), role=Role.LEAD)
    return network, device, organisation


def log_in(page, email, device=None):
    page.goto("/compte/connexion/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if device is not None:
        expect(page.get_by_role("heading", name="Code de vérification")).to_be_visible()
        enter_app_code(page, device)
    expect(page).not_to_have_url(re.compile("/compte/connexion/"))


def renamed(exported, *, formula_in_first_statement=False):
    """The exported workbook under the network's slug and title; with a formula in the label of
    its first statement, if asked. Returns the workbook's bytes and that label's cell (« C3 »)."""
    book = load_workbook(io.BytesIO(exported))
    for row in book[REPERES].iter_rows(min_row=2):
        if row[0].value == "slug":
            row[1].value = SLUG
        if row[0].value == "title":
            row[1].value = TITLE
    survey = book[SURVEY]
    headers = [cell.value for cell in survey[1]]
    statement = next(
        row for row in survey.iter_rows(min_row=2) if str(row[0].value or "").startswith("select_one")
    )
    label = statement[headers.index("label")]
    if formula_in_first_statement:
        label.value = '=CONCAT("Mon travail ","a du sens")'
    output = io.BytesIO()
    book.save(output)
    return output.getvalue(), label


def import_workbook(page, path):
    """Sends the workbook at `path` from the questionnaires' page; returns the answer's status."""
    import_form = page.locator("form", has=page.get_by_role("button", name="Importer"))
    import_form.locator("input[type=file]").set_input_files(path)
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        import_form.get_by_role("button", name="Importer").click()
    return answer.value.status


@pytest.mark.parametrize("viewport", ["desktop"], indirect=True)
def test_a_network_writes_a_questionnaire_and_a_member_organisation_runs_it(
    page, check_a11y, browser, browser_context_args, tmp_path
):
    network, device, organisation = set_up()

    # 1. The administrator opens the network's questionnaires and exports the shipped one.
    log_in(page, HUGO, device)
    page.goto(f"/r/{network.slug}/")
    check_a11y()
    page.get_by_role("navigation", name="Rubriques du réseau").get_by_role(
        "link", name="Questionnaires", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Questionnaires du réseau", level=1)).to_be_visible()
    expect(page.get_by_text("Aucun brouillon en cours.")).to_be_visible()
    check_a11y()
    with page.expect_download() as downloading:
        page.get_by_role("link", name=f"exporter en XLSForm « {SHIPPED} »").click()
    download = downloading.value
    assert download.suggested_filename == "qvt-numerique-v1.xlsx"
    exported_path = tmp_path / download.suggested_filename
    download.save_as(exported_path)
    exported = exported_path.read_bytes()
    assert load_workbook(io.BytesIO(exported)).sheetnames[:3] == ["survey", "choices", "settings"]

    # 2. Renamed, with a formula in a statement's label: refused, the problem shown where it is.
    broken, label = renamed(exported, formula_in_first_statement=True)
    broken_path = tmp_path / "bien-etre-avec-formule.xlsx"
    broken_path.write_bytes(broken)
    assert import_workbook(page, broken_path) == 400
    problems = page.get_by_role("alert").filter(has_text="Le classeur n'est pas importé")
    expect(problems).to_contain_text("1 problème à corriger, rien n'a été gardé.")
    table = problems.get_by_role("table", name="Problèmes du classeur, par feuille, ligne et colonne")
    expect(table.locator("tbody tr")).to_have_count(1)
    cells = table.locator("tbody tr").first.locator("td")
    expect(cells.nth(0)).to_have_text("survey")
    expect(cells.nth(1)).to_have_text(str(label.row))
    expect(cells.nth(2)).to_have_text(label.column_letter)
    expect(cells.nth(3)).to_contain_text("une formule")
    expect(page.get_by_text("Aucun brouillon en cours.")).to_be_visible()
    assert not QuestionnaireDraft.objects.exists()
    check_a11y()

    # 3. The fixed workbook: a draft, read as a respondent will on a phone, then published.
    fixed, _ = renamed(exported)
    fixed_path = tmp_path / "bien-etre.xlsx"
    fixed_path.write_bytes(fixed)
    assert import_workbook(page, fixed_path) == 302
    success(page, "Le classeur est importé en brouillon.")
    draft = QuestionnaireDraft.objects.get()
    assert (draft.slug, draft.file_name) == (SLUG, fixed_path.name)
    expect(page).to_have_url(re.compile(re.escape(draft.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_text(f"{THEMES} thèmes, 30 affirmations", exact=False)).to_be_visible()
    check_a11y()

    desktop = page.viewport_size
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Voir comme un·e répondant·e").click()
    for number in range(1, THEMES + 1):
        expect(page.get_by_text(f"Thème {number} sur {THEMES}", exact=True)).to_be_visible()
        statements = page.locator("fieldset.statement")
        expect(statements).to_have_count(5)
        statements.first.get_by_role("radio").first.check()  # nothing is saved
        check_a11y()
        if number < THEMES:
            page.get_by_role("link", name="Page suivante").click()
    # No open questions in this questionnaire: its last theme ends the preview.
    expect(page.get_by_role("link", name="Page suivante")).to_have_count(0)
    page.get_by_role("link", name="Fin de l'aperçu").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    page.set_viewport_size(desktop)
    assert not Response.objects.exists()  # what was ticked in the preview

    page.get_by_role("button", name="Publier pour les structures du réseau").click()
    success(page, f"« {TITLE} » est publié (version 1)")
    expect(page.get_by_role("heading", name="Questionnaires du réseau", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=f"exporter en XLSForm « {TITLE} »")).to_be_visible()
    expect(page.get_by_text("Aucun brouillon en cours.")).to_be_visible()
    check_a11y()
    questionnaire = Questionnaire.objects.get(slug=SLUG)
    assert questionnaire.network == network and questionnaire.latest_version().number == 1

    # 4. The lead of a member organisation prepares a diagnostic with it, on her phone.
    context = browser.new_context(**{**browser_context_args, "viewport": PHONE})
    try:
        phone = context.new_page()
        check_phone = A11yChecker(phone)
        log_in(phone, ALICE)
        phone.goto(reverse("campaigns:create", args=[organisation.slug]))
        expect(phone.get_by_role("heading", name="Préparer un diagnostic", level=1)).to_be_visible()
        choice = phone.get_by_role("radio", name=re.compile(f"^{re.escape(TITLE)} — 30 affirmations"))
        expect(choice).not_to_be_checked()  # the shipped questionnaire is proposed first
        check_phone()
        choice.check()
        phone.get_by_label("Titre du diagnostic").fill(DIAGNOSTIC)
        phone.get_by_role("button", name="Enregistrer").click()
        expect(phone.get_by_role("heading", name="Avant d'ouvrir")).to_be_visible()
        expect(phone.locator("dl.facts")).to_contain_text(f"{TITLE} (version 1)")
        check_phone()
    finally:
        context.close()
    campaign = Campaign.objects.get(title=DIAGNOSTIC)
    assert campaign.organisation == organisation
    assert campaign.questionnaire_version == questionnaire.latest_version()
