"""PDF report and XLSX export times, for a campaign with 250 responses and 20 actions, and the
telework charter (builder page, DOCX, PDF) drafted from the full proposal.

Printed as `name: value unit` lines; each time also as a ratio to the French 404 page measured
in-process in the same run (the baseline of bench/run.py). Target: PDF < 1 s for ~10 pages.
"""

import io
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from common import BASELINE_PATH, configure_django, create_tables


def count_pages(pdf):
    """The page count from poppler's pdfinfo (installed with the test dependencies), or "?"."""
    if not shutil.which("pdfinfo"):
        return "?"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    return match.group(1) if match else "?"


def median_ms(function, repeat):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def build():
    from django.core.management import call_command
    from django.utils import timezone

    from reperes.action_plans.models import Action, Status
    from reperes.campaigns.models import Answer, Campaign, RespondentGroup, Response, new_token
    from reperes.instruments.models import Questionnaire
    from tests.accounts.factories import UserFactory
    from tests.organisations.factories import MembershipFactory, OrganisationFactory

    create_tables()
    call_command("load_content", stdout=io.StringIO())
    organisation = OrganisationFactory(name="Coopérative du banc d'essai", slug="banc", headcount=250)
    lead = MembershipFactory(organisation=organisation, user=UserFactory(), role="lead").user
    version = Questionnaire.objects.get(slug="qvt-numerique").latest_version()
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        organisation=organisation,
        questionnaire_version=version,
        title="Diagnostic de 250 réponses",
        state=Campaign.State.CLOSED,
        closes_on=today,
        opened_on=today - timedelta(days=20),
        closed_on=today,
    )
    groups = [
        RespondentGroup.objects.create(campaign=campaign, label=f"Collège {n}", position=n) for n in range(4)
    ]
    rng = random.Random(250)
    for n in range(250):
        response = Response.objects.create(
            campaign=campaign, group=groups[n % 4], submitted_on=today, submission_key=new_token()
        )
        Answer.objects.bulk_create(
            Answer(response=response, item_id=item, value=rng.choice(["oui", "nsp", "non"]))
            for item in version.spec.item_ids
        )
    statuses = list(Status)
    for n in range(20):
        Action.objects.create(
            organisation=organisation,
            title=f"Action {n + 1} du plan",
            status=statuses[n % 4],
            owner=lead,
            due_on=today + timedelta(days=n),
            indicator="Un indicateur",
            campaign=campaign,
            theme_id=version.spec.themes[n % 6]["id"],
        )
    return organisation, campaign, lead


def main():
    with tempfile.TemporaryDirectory(prefix="reperes-bench-reports-") as var_dir:
        configure_django(Path(var_dir))
        from django.test import Client
        from django.urls import reverse

        organisation, campaign, lead = build()
        client = Client()
        client.force_login(lead)
        pdf_url = reverse("reports:report_pdf", args=[organisation.slug, campaign.pk])
        xlsx_url = reverse("reports:results_export", args=[organisation.slug, campaign.pk, "xlsx"])
        plan_url = reverse("reports:actions_export", args=[organisation.slug, "xlsx"])
        pdf = client.get(pdf_url)
        assert pdf.status_code == 200, pdf.status_code
        pages = count_pages(pdf.content)
        baseline = median_ms(lambda: client.get(BASELINE_PATH), 100)
        pdf_ms = median_ms(lambda: client.get(pdf_url), 5)
        xlsx_ms = median_ms(lambda: client.get(xlsx_url), 20)
        plan_ms = median_ms(lambda: client.get(plan_url), 20)
        # The telework charter from the full proposal (21 clauses): the builder page and its files.
        from reperes.charters.actions import create_charter

        charter = create_charter(organisation, by=lead, instrument="charter", title="Télétravail")
        charter_urls = {
            "page": charter.get_absolute_url(),
            "docx": reverse("charters:export", args=[organisation.slug, charter.pk, "docx"]),
            "pdf": reverse("charters:export", args=[organisation.slug, charter.pk, "pdf"]),
        }
        charter_pages = count_pages(client.get(charter_urls["pdf"]).content)
        charter_ms = {name: median_ms(lambda u=url: client.get(u), 5) for name, url in charter_urls.items()}
        print("Reports — 250 responses in 4 groups, 20 actions; in-process, DEBUG off, SQLite.")
        print(f"reports.baseline_404: {baseline:.2f} ms")
        print(f"reports.pdf_time: {pdf_ms:.0f} ms")
        print(f"reports.pdf_ratio: {pdf_ms / baseline:.0f} ratio")
        print(f"reports.pdf_pages: {pages} pages")
        print(f"reports.xlsx_results_time: {xlsx_ms:.1f} ms")
        print(f"reports.xlsx_results_ratio: {xlsx_ms / baseline:.1f} ratio")
        print(f"reports.xlsx_plan_time: {plan_ms:.1f} ms")
        print(f"reports.xlsx_plan_ratio: {plan_ms / baseline:.1f} ratio")
        for name, value in charter_ms.items():
            print(f"reports.charter_{name}_time: {value:.1f} ms")
            print(f"reports.charter_{name}_ratio: {value / baseline:.1f} ratio")
        print(f"reports.charter_pdf_pages: {charter_pages} pages")
        print("Target (reported, not asserted): pdf_time < 1000 ms for about 10 pages.")
        from django.db import connections

        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
