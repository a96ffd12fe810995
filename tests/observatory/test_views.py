"""The observatory's pages: who sees them, the release and its tables, the filter that reads the
fixed tables (and shows the reason, not the figure, when a cell is hidden), the comparison with
the previous release, the publish button, and bounded query counts."""

from datetime import date

import pytest
from django.urls import reverse

from reperes.observatory.actions import publish_release
from reperes.observatory.models import Release, ReleaseTable
from tests.accounts.factories import UserFactory
from tests.helpers import page_text
from tests.observatory.helpers import closed_campaign, member
from tests.organisations.factories import NetworkFactory, NetworkMembershipFactory

pytestmark = pytest.mark.django_db

NOT_ENOUGH = "Chiffre masqué : il reposerait sur trop peu de structures"


def cell(value, organisations=None, responses=None):
    return {"v": value, "n": organisations, "w": responses, "why": ""}


def hidden(reason="too_few"):
    return {"v": None, "n": None, "w": None, "why": reason}


REGIONS = [{"code": "53", "label": "Bretagne"}, {"code": "11", "label": "Île-de-France"}]
SIZES = [{"code": "1-10", "label": "1 à 10 salarié·es"}, {"code": "11-19", "label": "11 à 19 salarié·es"}]


def make_release(network, number=1, *, published_on=date(2026, 10, 1), organisations=14, tables=None):
    release = Release.objects.create(
        network=network,
        number=number,
        published_on=published_on,
        kind=Release.Kind.SCHEDULED,
        period_start=date(2024, 1, 1),
        period_end=published_on,
        organisations=organisations,
    )
    for position, spec in enumerate(tables if tables is not None else standard_tables(), start=1):
        ReleaseTable.objects.create(release=release, position=position, **spec)
    return release


def standard_tables(*, bretagne_responses=120):
    """Three tables as the observatory publishes them: participation by region (by measure),
    QVT scores by region (by theme) and responses by region and size (two-way, with a cell
    resting on one organisation hidden, and its partner hidden by secondary suppression)."""
    return [
        {
            "key": "participation-region",
            "figure": "participation",
            "title": "Participation aux diagnostics par région",
            "definition": "Diagnostics clôturés et réponses reçues.",
            "unit": "diagnostics, réponses, taux en %",
            "row_dimension": "region",
            "column_dimension": "measure",
            "rows": REGIONS,
            "columns": [
                {"code": "campaigns", "label": "Diagnostics"},
                {"code": "responses", "label": "Réponses"},
                {"code": "rate", "label": "Taux de réponse"},
            ],
            "data": {
                "cells": [
                    [cell(9, 6), cell(bretagne_responses, 6, bretagne_responses), cell(64.5, 4)],
                    [cell(11, 8), cell(150, 8, 150), hidden("dominance")],
                ],
                "row_totals": None,
                "column_totals": [cell(20, 14), cell(bretagne_responses + 150, 14), cell(61.2, 9)],
                "total": None,
            },
        },
        {
            "key": "qvt-region",
            "figure": "qvt",
            "title": "Qualité de vie au travail par région",
            "definition": "Score moyen sur 5 de chaque déterminant.",
            "unit": "score moyen sur 5",
            "row_dimension": "region",
            "column_dimension": "theme",
            "rows": REGIONS,
            "columns": [{"code": "projet", "label": "Projet"}, {"code": "temps", "label": "Temps"}],
            "data": {
                "cells": [[cell(3.4, 6, 120), cell(2.9, 6, 120)], [cell(3.1, 8, 150), cell(3.3, 8, 150)]],
                "row_totals": None,
                "column_totals": [cell(3.23, 14, 270), cell(3.13, 14, 270)],
                "total": None,
            },
        },
        {
            "key": "reponses-region-taille",
            "figure": "participation",
            "title": "Réponses par région et par taille",
            "definition": "Réponses aux diagnostics clôturés.",
            "unit": "réponses",
            "row_dimension": "region",
            "column_dimension": "size_band",
            "rows": REGIONS,
            "columns": SIZES,
            "data": {
                "cells": [[hidden("too_few"), hidden("secondary")], [cell(70, 4, 70), cell(80, 4, 80)]],
                "row_totals": [cell(120, 6, 120), cell(150, 8, 150)],
                "column_totals": [cell(95, 5, 95), cell(175, 9, 175)],
                "total": cell(270, 14, 270),
            },
        },
    ]


@pytest.fixture
def release(network):
    return make_release(network)


def url(name, network, *args):
    return reverse(f"observatory:{name}", args=[network.slug, *args])


def all_urls(network):
    return [
        url("home", network),
        url("release", network, 1),
        url("table", network, 1, "reponses-region-taille"),
        url("table_csv", network, 1, "reponses-region-taille"),
        url("table_xlsx", network, 1, "reponses-region-taille"),
        url("key_figures_pdf", network, 1),
    ]


# Who sees what


@pytest.mark.parametrize("persona", ["fiona", "nina", "hugo"])
def test_every_network_role_reads_the_observatory(client_of, personas, network, release, persona):
    client = client_of(personas[persona])
    page = client.get(url("home", network))
    assert page.status_code == 200
    text = page_text(page)
    assert "Publication n° 1 du 1 octobre 2026" in text
    assert "14 structures contributrices" in text
    assert "ne sont pas\n  recalculés" in text or "pas recalculés" in " ".join(text.split())
    for name in ("release", "table"):
        args = [1] if name == "release" else [1, "reponses-region-taille"]
        assert client.get(url(name, network, *args)).status_code == 200


@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "dave"])
def test_organisation_members_get_404_everywhere(client_of, personas, network, release, persona):
    client = client_of(personas[persona])
    for address in all_urls(network):
        assert client.get(address).status_code == 404, address
    assert client.post(url("publish", network)).status_code == 404
    assert Release.objects.count() == 1


def test_outsider_gets_404_everywhere(client_of, network, release):
    client = client_of(UserFactory())
    for address in all_urls(network):
        assert client.get(address).status_code == 404, address


def test_anonymous_visitor_is_sent_to_login(client, network, release):
    response = client.get(url("home", network))
    assert response.status_code == 302
    assert "connexion" in response["Location"] or "login" in response["Location"]


def test_analyst_of_another_network_gets_404(client_of, network, release):
    other = NetworkFactory(name="Autre réseau", slug="autre")
    make_release(other, number=1)
    analyst = NetworkMembershipFactory(network=other, role="analyst").user
    client = client_of(analyst)
    assert client.get(url("home", other)).status_code == 200
    for address in all_urls(network):
        assert client.get(address).status_code == 404, address
    assert client.post(url("publish", network)).status_code == 404


def test_release_or_table_that_does_not_exist_is_404(client_of, nina, network, release):
    client = client_of(nina)
    assert client.get(url("release", network, 2)).status_code == 404
    assert client.get(url("table", network, 2, "reponses-region-taille")).status_code == 404
    assert client.get(url("table", network, 1, "pas-un-tableau")).status_code == 404
    assert client.get(url("table_csv", network, 1, "pas-un-tableau")).status_code == 404
    assert client.get(url("key_figures_pdf", network, 7)).status_code == 404


# The release page


def test_no_release_yet_says_so_and_offers_the_button_to_analysts(client_of, nina, fiona, network):
    text = page_text(client_of(nina).get(url("home", network)))
    assert "Aucune publication pour l'instant." in text
    assert "Publier maintenant" in text
    text = page_text(client_of(fiona).get(url("home", network)))
    assert "Aucune publication pour l'instant." in text
    assert "Publier maintenant" not in text


def test_release_without_tables_is_a_clear_page(client_of, nina, network):
    make_release(network, tables=[], organisations=0)
    text = page_text(client_of(nina).get(url("home", network)))
    assert "ne contient aucun chiffre" in text


def test_home_shows_key_figures_and_tables_by_figure(client_of, nina, network, release):
    text = page_text(client_of(nina).get(url("home", network)))
    assert "Chiffres clés" in text
    # Campaigns and responses: the national totals of the participation table.
    assert "20" in text and "270" in text
    # Mean QVT theme scores: the national column of the QVT table.
    assert "Projet" in text and "3,2" in text
    assert "Participation" in text and "Qualité de vie au travail" in text
    assert "Réponses par région et par taille" in text
    assert "2 cases masquées" in text


def test_filter_offers_only_values_of_the_release(client_of, nina, network, release):
    page = client_of(nina).get(url("home", network))
    form = page.context["form"]
    assert [code for code, _ in form.fields["region"].choices] == ["", "53", "11"]
    assert "secteur" not in form.fields  # no table of this release is by sector


def test_filter_isolating_an_organisation_shows_the_reason_not_the_figure(client_of, nina, network, release):
    page = client_of(nina).get(url("home", network), {"region": "53", "taille": "1-10"})
    text = page_text(page)
    readings = page.context["readings"]
    assert [r["table"].key for r in readings] == ["reponses-region-taille"]
    [(_label, shown_cell)] = readings[0]["items"]
    assert not shown_cell["shown"] and shown_cell["value"] is None
    assert NOT_ENOUGH in text


def test_filter_reads_the_shown_cell(client_of, nina, network, release):
    page = client_of(nina).get(url("home", network), {"region": "11", "taille": "11-19"})
    [reading] = page.context["readings"]
    [(_label, shown_cell)] = reading["items"]
    assert shown_cell["value"] == 80
    assert "80" in page_text(page) and "4 structures" in page_text(page)


def test_filter_on_a_region_reads_its_rows(client_of, nina, network, release):
    page = client_of(nina).get(url("home", network), {"region": "53"})
    keys = [reading["table"].key for reading in page.context["readings"]]
    assert keys == ["participation-region", "qvt-region"]
    participation = page.context["readings"][0]["items"]
    assert [(label, c["value"]) for label, c in participation[:2]] == [("Diagnostics", 9), ("Réponses", 120)]


def test_filter_on_a_size_falls_back_on_column_totals(client_of, nina, network, release):
    page = client_of(nina).get(url("home", network), {"taille": "11-19"})
    [reading] = page.context["readings"]
    assert reading["items"][0][1]["value"] == 175


def test_filter_with_a_value_outside_the_release_shows_nothing(client_of, nina, network, release):
    page = client_of(nina).get(url("home", network), {"region": "99"})
    assert page.status_code == 200
    assert page.context["readings"] == []
    assert page.context["form"].errors


def period_table():
    """Participation by year, as the release's tables by period are."""
    return {
        "key": "participation-period",
        "figure": "participation",
        "title": "Participation aux diagnostics par année",
        "definition": "Diagnostics clôturés et réponses reçues.",
        "unit": "diagnostics, réponses, taux en %",
        "row_dimension": "period",
        "column_dimension": "measure",
        "rows": [{"code": "2025", "label": "2025"}, {"code": "2026", "label": "2026"}],
        "columns": [
            {"code": "campaigns", "label": "Diagnostics"},
            {"code": "responses", "label": "Réponses"},
        ],
        "data": {
            "cells": [[cell(8, 6), cell(110, 6, 110)], [cell(12, 8), cell(160, 8, 160)]],
            "row_totals": None,
            "column_totals": [cell(20, 14), cell(270, 14, 270)],
            "total": None,
        },
    }


def test_filter_on_a_year_reads_its_row(client_of, nina, network):
    make_release(network, tables=[*standard_tables(), period_table()])
    client = client_of(nina)
    page = client.get(url("home", network))
    assert [code for code, _ in page.context["form"].fields["annee"].choices] == ["", "2025", "2026"]
    page = client.get(url("home", network), {"annee": "2026"})
    [reading] = page.context["readings"]
    assert reading["table"].key == "participation-period"
    assert [(label, c["value"]) for label, c in reading["items"]] == [("Diagnostics", 12), ("Réponses", 160)]
    assert "2026" in page_text(page)


def test_a_year_without_data_is_refused_and_a_year_with_a_region_says_no_table_crosses_them(
    client_of, nina, network
):
    make_release(network, tables=[*standard_tables(), period_table()])
    client = client_of(nina)
    page = client.get(url("home", network), {"annee": "2019"})
    assert page.context["form"].errors and page.context["readings"] == []
    # No table of the release crosses years and regions: nothing is read, and the page says so.
    page = client.get(url("home", network), {"annee": "2026", "region": "53"})
    assert page.context["readings"] == []
    assert "Aucun tableau" in page_text(page) or "aucun tableau" in page_text(page)


def test_past_releases_are_listed_and_readable(client_of, nina, network, release):
    make_release(network, number=2, published_on=date(2026, 11, 1))
    client = client_of(nina)
    text = page_text(client.get(url("home", network)))
    assert "Publication n° 2 du 1 novembre 2026" in text
    assert "Publication n° 1" in text
    older = page_text(client.get(url("release", network, 1)))
    assert "Ce n'est pas la dernière publication." in older


# The table page


def test_table_page_shows_hidden_cells_with_their_reason(client_of, nina, network, release):
    page = client_of(nina).get(url("table", network, 1, "reponses-region-taille"))
    text = page_text(page)
    assert "<caption>" in page.content.decode()
    assert 'scope="row"' in page.content.decode() and 'scope="col"' in page.content.decode()
    assert NOT_ENOUGH in text
    assert "Chiffre masqué pour qu’un autre chiffre masqué ne puisse pas être retrouvé" in text
    assert "masqué, voir la note 1" in text and "masqué, voir la note 2" in text
    assert "(4 struct.)" in text  # organisations per shown cell
    assert "Réponses aux diagnostics clôturés." in text  # definition
    # The chart and the map, server-side SVG.
    assert text.count("<svg") == 2
    assert "Carte des régions" in text
    assert "Bretagne : masqué" in text  # the hatched tile says why


def test_table_chart_draws_the_chosen_column(client_of, nina, network, release):
    page = client_of(nina).get(url("table", network, 1, "reponses-region-taille"), {"colonne": "11-19"})
    assert page.context["column"]["code"] == "11-19"
    assert "Île-de-France : 80 réponses" in page_text(page)


def test_table_not_by_region_has_no_map(client_of, nina, network):
    tables = standard_tables()
    tables[1] |= {
        "row_dimension": "theme",
        "rows": [{"code": "projet", "label": "Projet"}],
        "column_dimension": "",
    }
    tables[1]["columns"] = [{"code": "score", "label": "Score"}]
    tables[1]["data"] = {"cells": [[cell(3.2, 14)]], "row_totals": None, "column_totals": None, "total": None}
    make_release(network, tables=tables)
    page = client_of(nina).get(url("table", network, 1, "qvt-region"))
    assert page.context["region_map"] is None
    assert page_text(page).count("<svg") == 1


def test_table_compares_with_the_previous_release_side_by_side(client_of, nina, network, release):
    make_release(
        network, number=2, published_on=date(2026, 11, 1), tables=standard_tables(bretagne_responses=133)
    )
    client = client_of(nina)
    page = client.get(url("table", network, 2, "participation-region"))
    assert "Afficher côte à côte avec la publication n° 1" in page_text(page)
    page = client.get(url("table", network, 2, "participation-region"), {"comparer": "1"})
    text = page_text(page)
    assert "(publication n° 2)" in text and "(publication n° 1)" in text
    assert "133" in text and "120" in text


# Publishing


def test_publish_refused_twice_in_a_month_with_the_french_reason(client_of, nina, network):
    client = client_of(nina)
    response = client.post(url("publish", network), follow=True)
    assert response.status_code == 200
    assert Release.objects.filter(network=network).count() == 1
    assert "La publication n° 1 est en ligne." in page_text(response)
    response = client.post(url("publish", network), follow=True)
    assert Release.objects.filter(network=network).count() == 1
    assert "Une publication a déjà été demandée il y a moins d'un mois" in page_text(response)


def test_with_a_worker_the_page_says_the_release_is_being_prepared(client_of, nina, network, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_of(nina)
    response = client.post(url("publish", network), follow=True)
    text = page_text(response)
    assert not Release.objects.exists()
    assert "La publication est en préparation" in text
    assert "est en préparation : elle paraîtra dans la liste des publications" in text
    assert "Publier maintenant" not in text  # nothing to press twice
    response = client.post(url("publish", network), follow=True)
    assert "est en préparation" in page_text(response) and not Release.objects.exists()


def test_facilitator_cannot_publish(client_of, fiona, network):
    assert client_of(fiona).post(url("publish", network)).status_code == 404
    assert not Release.objects.exists()


def test_publish_is_post_only(client_of, nina, network):
    assert client_of(nina).get(url("publish", network)).status_code == 405


# A real release, built by the observatory's own action


def test_pages_of_a_real_release(client_of, nina, network):
    for region, employees in [("53", 5), ("53", 15), ("53", 15), ("53", 25), ("11", 5), ("11", 60)]:
        organisation = member(network, region=region, employees=employees)
        closed_campaign(organisation, closed_on=date(2026, 3, 1), respondents=12)
    published = publish_release(network, kind=Release.Kind.SCHEDULED, today=date(2026, 10, 1))
    client = client_of(nina)
    assert client.get(url("home", network)).status_code == 200
    for table in published.tables.all():
        assert client.get(url("table", network, published.number, table.key)).status_code == 200, table.key
    # Île-de-France has two organisations: nothing about it may show.
    page = client.get(url("home", network), {"region": "11"})
    items = [c for reading in page.context["readings"] for _label, c in reading["items"]]
    assert items and all(not c["shown"] or c["empty"] for c in items)
    assert "Chiffre masqué" in page_text(page)


# Query counts


def test_home_and_table_query_counts_do_not_grow_with_tables(
    client_of, nina, network, django_assert_max_num_queries
):
    tables = standard_tables()
    many = [dict(tables[n % 3], key=f"{tables[n % 3]['key']}-{n}") for n in range(40)]
    make_release(network, tables=many)
    make_release(network, number=2, tables=many)
    client = client_of(nina)
    client.get(url("home", network))  # sessions, caches warm
    with django_assert_max_num_queries(10):
        assert client.get(url("home", network), {"region": "53"}).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("table", network, 2, "qvt-region-1"), {"comparer": "1"}).status_code == 200
