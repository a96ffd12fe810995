"""The fiche pages in a real browser, at phone and desktop sizes: the list grouped by
collection, each telework fiche with its notice and references, no horizontal scrolling on a
phone, and axe-core on every page visited."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reperes.fiches.models import Collection, Fiche

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_telework_fiches_read_well_everywhere(page, live_url, viewport, check_a11y):
    call_command("load_content", stdout=io.StringIO())
    page.goto(live_url("/fiches/"))
    expect(page.get_by_role("heading", name="Télétravail", level=2)).to_be_visible()
    check_a11y()

    for fiche in Fiche.objects.filter(collection=Collection.TELETRAVAIL):
        page.goto(live_url(fiche.get_absolute_url()))
        expect(page.get_by_role("heading", name=fiche.title, level=1)).to_be_visible()
        expect(page.get_by_role("note")).to_contain_text("pas un avis juridique")
        expect(page.get_by_role("heading", name="Textes de référence")).to_be_visible()
        check_a11y()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{fiche.slug} déborde : {width}px"
