"""The programmes' glossary: a public page, and a file checked before it is shown."""

import pytest
from django.urls import NoReverseMatch, path, reverse

from config import urls as site_urls
from reperes.programmes import glossary
from reperes.programmes.glossary import GlossaryError, parse_glossary, read_glossary
from reperes.programmes.glossary_views import glossary as glossary_view
from tests.fiches.factories import create_fiche
from tests.helpers import page_text

# The site routes the page as programmes:glossary; until it does, these tests add the route.
try:
    GLOSSARY_URL = reverse("programmes:glossary", urlconf=site_urls)
    urlpatterns = site_urls.urlpatterns
except NoReverseMatch:
    GLOSSARY_URL = "/glossaire/"
    urlpatterns = [path("glossaire/", glossary_view), *site_urls.urlpatterns]
handler404 = site_urls.handler404

pytestmark = pytest.mark.urls(__name__)


def test_the_shipped_glossary_has_the_key_terms_of_the_first_workshop():
    ids = [term.id for term in glossary.terms()]
    assert len(ids) >= 12 and len(ids) == len(set(ids))
    for expected in ("teletravail", "travail-a-distance", "management-a-distance", "droit-a-la-deconnexion"):
        assert expected in ids


@pytest.mark.django_db
def test_the_page_answers_anonymously_and_lists_every_term(client):
    create_fiche()  # conduite-projet, loaded: linked from « Diagnostic partagé »

    response = client.get(GLOSSARY_URL)

    assert response.status_code == 200
    page = page_text(response)
    for term in glossary.terms():
        assert f'<dt id="{term.id}">' in page
        assert f'href="#{term.id}"' in page
        assert term.term in page
    assert 'href="/fiches/conduite-projet/"' in page
    assert "/fiches/teletravail-cadre-juridique/" not in page  # not loaded here: no dead link


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["teletravail"], "glossary.yaml, racine : le fichier doit contenir une seule clé, « terms »"),
        ({"terms": []}, "glossary.yaml, terms : au moins un terme est nécessaire"),
        ({"terms": ["Télétravail"]}, "glossary.yaml, terms, terme 1 : un terme a « id », « term »"),
        (
            {"terms": [{"id": "Télétravail", "term": "Télétravail", "definition": "…"}]},
            "glossary.yaml, terms, terme 1 : « id » doit être fait de minuscules",
        ),
        (
            {"terms": [{"id": "teletravail", "term": "Télétravail"}]},
            "glossary.yaml, terms, terme 1 (« teletravail ») : « definition » doit être un texte non vide",
        ),
        (
            {"terms": [{"id": "a", "term": "A", "definition": "Un.", "see": "b"}]},
            "glossary.yaml, terms, terme 1 : clé inconnue « see »",
        ),
        (
            {
                "terms": [
                    {"id": "a", "term": "A", "definition": "Un."},
                    {"id": "a", "term": "B", "definition": "B."},
                ]
            },
            "glossary.yaml, terms, terme 2 (« a ») : identifiant « a » en double",
        ),
        (
            {"terms": [{"id": "a", "term": "A", "definition": "Un.", "fiches": ["inconnue"]}]},
            "glossary.yaml, terms, terme 1 (« a ») : aucune fiche de reperes/fiches/content/ ne s'appelle",
        ),
    ],
)
def test_a_malformed_glossary_is_refused_with_the_place(data, message):
    with pytest.raises(GlossaryError) as caught:
        parse_glossary(data, source="glossary.yaml")
    assert str(caught.value).startswith(message)


def test_an_unreadable_glossary_file_is_refused_with_its_name(tmp_path):
    path = tmp_path / "glossary.yaml"
    path.write_text("terms: [", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"^glossary\.yaml : YAML illisible"):
        read_glossary(path)
