"""The charter builder's remaining pages in a real browser, at phone and desktop sizes: the
approval route with its kit, an archived version, the approval record and the legal references.
axe-core on every page; nothing wider than the screen."""

import datetime
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reperes.charters import actions
from reperes.charters.models import Instrument
from reperes.organisations.models import Role
from tests.accounts.factories import UserFactory
from tests.organisations.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "un mot de passe solide 2026"


def fits(page, viewport):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"{page.url} déborde : {width}px"


def test_approval_route_archived_version_and_references(page, live_url, viewport, check_a11y):
    call_command("load_content", stdout=io.StringIO())
    organisation = OrganisationFactory(name="La Petite Épicerie", slug="epicerie", headcount=6)
    lead = UserFactory(email="lea@example.org", name="Léa")
    lead.set_password(PASSWORD)
    lead.save()
    MembershipFactory(organisation=organisation, user=lead, role=Role.LEAD)
    charter = actions.create_charter(
        organisation, by=lead, instrument=Instrument.RATIFIED, title="Accord de télétravail"
    )
    actions.set_communicated(charter, on=datetime.date(2026, 10, 1))
    actions.adopt_charter(charter, by=lead, on=datetime.date(2026, 10, 20))

    page.goto(live_url("/compte/connexion/"))
    page.get_by_label("Adresse e-mail").fill(lead.email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.goto(live_url(charter.get_absolute_url()))
    expect(page.get_by_role("heading", name="Approbation par le personnel")).to_be_visible()
    expect(page.get_by_text("hors de Repères")).to_be_visible()
    expect(page.get_by_text("Les sept points sont traités.")).to_be_visible()
    check_a11y()
    fits(page, viewport)
    with page.expect_download() as download:
        page.get_by_role("button", name="Kit d'approbation par le personnel (DOCX)").click()
    assert download.value.suggested_filename == "approbation-accord-epicerie.docx"

    page.get_by_role("link", name="Version 1 — adopté").click()
    expect(page.get_by_role("heading", name="Accord de télétravail", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Références juridiques citées")).to_be_visible()
    check_a11y()
    fits(page, viewport)

    page.goto(live_url("/reperes-juridiques/"))
    expect(page.get_by_role("heading", name="Barème de l'allocation de télétravail")).to_be_visible()
    expect(page.get_by_role("link", name="Code du travail, article L1222-9")).to_be_visible()
    check_a11y()
    fits(page, viewport)
