"""The registry of retention periods (reperes/lib/retention.py) against what really runs: every
periodic job that deletes something is in it, every period is the constant its job reads, the
privacy page shows every entry, and docs/operations.md holds the same table."""

import importlib
import inspect
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.module_loading import import_string

from reperes.lib import retention
from reperes.lib.retention import REGISTRY, Retention, duration_en, duration_fr
from reperes.lib.schedule import periodic_jobs
from tests.helpers import page_text

ROOT = Path(__file__).resolve().parent.parent

# The periodic jobs that delete nothing. A new job is either here or in the registry.
NOT_PURGING = {
    "lib.requeue": "puts interrupted tasks back in the queue",
    "campaigns.close_due": "closes campaigns past their date (closing erases drafts and invitations; "
    "campaigns.purge enforces that)",
    "campaigns.closing_soon": "mails the closing notices",
    "action_plans.weekly_digest": "mails the digest",
    "listings.tell_expiring": "mails the authors of listings about to end",
    "fiches.page_views": "moves page view counts from the cache to the monthly totals",
}


def test_every_job_that_deletes_is_in_the_registry():
    declared = {job.name for job in periodic_jobs()}
    enforcing = {entry.job for entry in REGISTRY if entry.job}
    assert set(NOT_PURGING) <= declared
    assert declared - set(NOT_PURGING) == enforcing


def test_every_job_of_the_registry_is_declared():
    declared = {job.name for job in periodic_jobs()}
    assert {entry.job for entry in REGISTRY if entry.job} <= declared


@pytest.mark.parametrize("entry", [e for e in REGISTRY if e.reads], ids=lambda e: e.constant)
def test_every_period_is_read_from_the_constant_its_job_uses(entry):
    """The constant exists, is a duration, and is used where it is defined (not only declared),
    or is a setting read by the code, or a function that computes it from the rules in force:
    the registry cannot name a number that nothing enforces."""
    assert isinstance(entry.value, timedelta) and entry.value > timedelta(0)
    if entry.reads.startswith("settings."):
        name = entry.reads.removeprefix("settings.")
        uses = sum(
            len(re.findall(rf"\bsettings\.{name}\b", path.read_text(encoding="utf-8")))
            for path in (ROOT / "reperes").rglob("*.py")
        )
        assert uses >= 1, f"settings.{name} n'est lu nulle part"
        return
    if callable(import_string(entry.reads)):
        return
    module_path, _, name = entry.reads.rpartition(".")
    source = inspect.getsource(importlib.import_module(module_path))
    assert len(re.findall(rf"\b{name}\b", source)) >= 2, f"{entry.reads} n'est utilisé nulle part"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("reperes.requests.actions.RETENTION_DAYS", timedelta(days=2 * 365)),
        ("reperes.programmes.actions.ATTENDANCE_RETENTION_DAYS", timedelta(days=3 * 365)),
        ("reperes.matchmaking.actions.ERASE_PERSONAL_DATA_AFTER", timedelta(days=183)),
        ("reperes.evaluation.actions.COMMITTEE_RECORDS_YEARS", timedelta(days=3650)),
        ("reperes.reports.models.DOCUMENT_LIFETIME", timedelta(days=1)),
        ("reperes.organisations.jobs.INVITATIONS_KEPT_DAYS", timedelta(days=7)),
    ],
)
def test_the_registry_reads_the_value_in_force(path, expected):
    (entry,) = [e for e in REGISTRY if e.reads == path]
    assert entry.value == expected


def test_a_changed_constant_changes_the_period(monkeypatch):
    (entry,) = [e for e in REGISTRY if e.reads and e.reads.endswith("INVITATIONS_KEPT_DAYS")]
    monkeypatch.setattr("reperes.organisations.jobs.INVITATIONS_KEPT_DAYS", 10)
    assert entry.period_fr.startswith("10 jours après")
    assert entry.period_in_english.startswith("10 days after")


def test_a_setting_replaces_its_default(settings):
    (entry,) = [e for e in REGISTRY if e.setting == "MAIL_KEYS_DAYS"]
    settings.MAIL_KEYS_DAYS = 45
    assert entry.period_fr == "45 jours après l'envoi"


@pytest.mark.parametrize(
    ("duration", "french", "english"),
    [
        (timedelta(days=365), "un an", "1 year"),
        (timedelta(days=3650), "10 ans", "10 years"),
        (timedelta(days=183), "6 mois", "6 months"),
        (timedelta(days=90), "3 mois", "3 months"),
        (timedelta(days=30), "30 jours", "30 days"),
        (timedelta(days=1), "un jour", "1 day"),
        (timedelta(hours=12), "12 heures", "12 hours"),
        (timedelta(minutes=15), "15 minutes", "15 minutes"),
    ],
)
def test_durations_read_naturally(duration, french, english):
    assert (duration_fr(duration), duration_en(duration)) == (french, english)


def test_an_entry_without_a_constant_says_its_period_as_written():
    entry = Retention("T", "Donnée", "personne", "à la clôture", "Data", "at closing")
    assert (entry.value, entry.constant, entry.period_fr, entry.period_in_english) == (
        None,
        "",
        "à la clôture",
        "at closing",
    )


def squash(text):
    return re.sub(r"\s+", " ", text)


@pytest.mark.django_db
def test_the_privacy_page_shows_every_entry_in_a_table(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(reverse("answer:privacy"))
    assert response.status_code == 200
    page = squash(page_text(response))
    assert '<section class="card" id="durees">' in page
    assert "Combien de temps nous gardons quoi</caption>" in page
    assert '<a href="#durees">combien de temps nous gardons quoi</a>' in page
    table = page.split('id="durees"')[1].split("</table>")[0]
    assert table.count('<th scope="col">') == 3
    assert table.count('<th scope="rowgroup" colspan="3">') == len(retention.by_topic())
    for entry in REGISTRY:
        assert f'<th scope="row">{squash(entry.data)}</th>' in table
        assert f"{squash(entry.seen_by)}</td>" in table
        assert f"{squash(entry.period_fr)}</td>" in table


@pytest.mark.django_db
def test_the_privacy_page_follows_a_changed_constant(client, monkeypatch):
    monkeypatch.setattr("reperes.listings.jobs.REPORTS_KEPT", timedelta(days=90))
    page = squash(page_text(client.get(reverse("answer:privacy"))))
    assert "3 mois après son traitement</td>" in page


def test_docs_operations_holds_the_table_of_the_registry():
    """docs/operations.md, « Retention periods », is `retention.markdown_table()` pasted: when a
    constant or an entry changes, paste the table again."""
    docs = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    missing = [row for row in retention.markdown_table().splitlines() if row not in docs.splitlines()]
    assert not missing, "docs/operations.md n'a pas ces lignes :\n" + "\n".join(missing)
