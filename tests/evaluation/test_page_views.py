"""Page views of fiches and of the glossary: counted in the cache per page and per month, written
once a day to the database by the fiches' periodic job, and nothing else kept."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from reperes.fiches.loading import load_fiches
from reperes.fiches.models import Fiche, PageViewCount
from reperes.fiches.pageviews import (
    GLOSSARY,
    count_page_view,
    fiche_item,
    page_view_figures,
    write_page_views,
)
from reperes.lib.schedule import periodic_jobs, run_once

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiche(db):
    load_fiches()
    return Fiche.objects.order_by("collection", "number").first()


def this_month():
    return timezone.localdate().replace(day=1)


def test_opening_a_fiche_counts_it_in_the_cache_then_the_daily_job_writes_it_once(client, fiche):
    for _ in range(3):
        assert client.get(fiche.get_absolute_url()).status_code == 200
    assert not PageViewCount.objects.exists()  # nothing written while people read

    job = next(job for job in periodic_jobs() if job.name == "fiches.page_views")
    assert str(job.every) == "chaque jour après 02:10"
    assert "3" in run_once(job, "2026-12-01")
    assert run_once(job, "2026-12-01") is None  # the same day is not run twice
    assert write_page_views() == 0  # and running the function again adds nothing

    row = PageViewCount.objects.get()
    assert (row.item, row.month, row.views) == (fiche_item(fiche.slug), this_month(), 3)
    client.get(fiche.get_absolute_url())
    write_page_views()
    assert PageViewCount.objects.get().views == 4


def test_only_the_page_and_the_month_are_stored(client, fiche, alice):
    client.force_login(alice)
    client.get(fiche.get_absolute_url(), HTTP_REFERER="https://example.org/from", REMOTE_ADDR="203.0.113.9")
    write_page_views()
    fields = {f.name for f in PageViewCount._meta.get_fields()}
    assert fields == {"id", "item", "month", "views"}
    row = PageViewCount.objects.values().get()
    assert "alice" not in str(row) and "203.0.113.9" not in str(row) and "example.org" not in str(row)


def test_the_glossary_is_counted_and_an_unknown_fiche_is_not(client, fiche):
    client.get(reverse("programmes:glossary"))
    assert client.get(reverse("fiches:detail", args=["n-existe-pas"])).status_code == 404
    write_page_views()
    assert dict(PageViewCount.objects.values_list("item", "views")) == {GLOSSARY: 1}


def test_views_of_the_last_day_of_a_month_go_to_that_month(fiche):
    count_page_view(fiche_item(fiche.slug), today=date(2026, 11, 30))
    count_page_view(fiche_item(fiche.slug), today=date(2026, 12, 1))
    write_page_views(today=date(2026, 12, 1))
    assert dict(PageViewCount.objects.values_list("month", "views")) == {
        date(2026, 11, 1): 1,
        date(2026, 12, 1): 1,
    }


def test_a_view_counted_while_the_job_runs_waits_for_the_next_run(fiche):
    item = fiche_item(fiche.slug)
    count_page_view(item)
    write_page_views()
    count_page_view(item)  # after the run
    assert PageViewCount.objects.get().views == 1
    write_page_views()
    assert PageViewCount.objects.get().views == 2


def test_figures_per_page_and_per_month(fiche):
    PageViewCount.objects.create(item=fiche_item(fiche.slug), month=date(2026, 10, 1), views=5)
    PageViewCount.objects.create(item=fiche_item(fiche.slug), month=date(2026, 11, 1), views=2)
    PageViewCount.objects.create(item=GLOSSARY, month=date(2026, 11, 1), views=4)
    PageViewCount.objects.create(item=GLOSSARY, month=date(2025, 1, 1), views=100)  # outside

    figures = page_view_figures(date(2026, 10, 15), date(2026, 11, 3))

    assert figures["total"] == 11
    assert [(i["label"].startswith(fiche.label), i["views"]) for i in figures["items"]] == [
        (True, 7),
        (False, 4),
    ]
    assert figures["months"] == [(date(2026, 10, 1), 5), (date(2026, 11, 1), 6)]


def test_the_cache_counter_is_per_page_and_month(fiche):
    count_page_view(GLOSSARY, today=date(2026, 12, 5))
    assert cache.get("pageviews:2026-12:glossaire") == 1
