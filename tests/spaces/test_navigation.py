"""The organisation's menu marks the section each page belongs to, whichever app serves it."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SECTIONS = [
    ("spaces:dashboard", "Tableau de bord"),
    ("campaigns:list", "Diagnostics"),
    ("discussions:list", "Discussions"),
    ("action_plans:list", "Plan d'action"),
    ("telework:inventory", "Télétravail"),
    ("telework:usage_rules", "Télétravail"),
    ("charters:list", "Télétravail"),
    ("organisations:members", "Équipe"),
]


@pytest.mark.parametrize(("url_name", "section"), SECTIONS)
def test_the_menu_marks_the_current_section(client, alice, org_a, url_name, section):
    client.force_login(alice)
    html = client.get(reverse(url_name, args=[org_a.slug])).content.decode()
    nav = html[html.index('aria-label="Rubriques de la structure"') :]
    current = re.findall(r'aria-current="page"\s*>([^<]+)<', nav)
    assert current == [section]
