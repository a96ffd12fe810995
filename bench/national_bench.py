"""Repères at national scale: the observatory of a network of about 20,000 organisations and a
million responses, built synthetically on a throwaway database, then timed.

`make bench` runs it last (a few minutes; it stays out of CI). It prints, as ratios to the
French 404 page of the same run and in milliseconds:

- the time to rebuild every stored result from the raw answers (`manage.py rebuild_results
  --all`, target under 60 s) and to publish a release of the observatory;
- the observatory's main page and a filtered table, in-process (target under 50 ms each), with
  their SQL query counts;
- the peak Python memory of the streamed CSV and XLSX exports of the largest table.

`--organisations` and `--responses` scale it down for a quick look (`--organisations 2000
--responses 100000` takes under a minute). See bench/README.md, « National scale ».
"""

import argparse
import datetime
import gc
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from common import BASELINE_PATH, configure_django, create_tables

REGIONS_WEIGHTS = {  # roughly where the social economy's employers are
    "11": 18, "84": 12, "75": 9, "76": 9, "44": 8, "32": 8, "93": 8, "52": 6, "53": 6, "28": 5,
    "24": 4, "27": 4, "94": 1, "01": 1, "02": 1, "03": 0.5, "04": 1, "06": 0.3,
}  # fmt: skip
EMPLOYEES = [(1, 10, 45), (11, 19, 20), (20, 49, 18), (50, 99, 9), (100, 249, 6), (250, 600, 2)]
CHUNK = 20_000


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def build(organisations, responses, rng):
    """The network, its organisations, their closed QVT diagnostics with every answer row."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from reperes.accounts.models import User
    from reperes.campaigns.models import Campaign
    from reperes.instruments.models import QuestionnaireVersion
    from reperes.organisations import reference
    from reperes.organisations.models import (
        Affiliation,
        Network,
        NetworkMembership,
        NetworkRole,
        Organisation,
    )

    call_command("load_content", verbosity=0)
    version = (
        QuestionnaireVersion.objects.filter(questionnaire__slug="qvt-numerique").order_by("-number").first()
    )
    items = [item["id"] for theme in version.spec.themes for item in theme["items"]]
    network = Network.objects.create(name="Union nationale (banc d'essai)", slug="national", scope="national")
    analyst = User.objects.create_user(
        email="analyste@bench.example.org", name="Analyste", email_verified=True
    )
    NetworkMembership.objects.create(network=network, user=analyst, role=NetworkRole.ANALYST)

    regions = [code for code, _ in reference.choices("regions")]
    weights = [REGIONS_WEIGHTS.get(code, 1) for code in regions]
    sectors = [code for code, _ in reference.choices("sectors")]
    forms = [code for code, _ in reference.choices("legal_forms")]
    bands = [(low, high) for low, high, _ in EMPLOYEES]
    band_weights = [weight for _, _, weight in EMPLOYEES]

    start = datetime.date(2023, 1, 1)
    rows = []
    for n in range(organisations):
        low, high = rng.choices(bands, band_weights)[0]
        employees = rng.randint(low, high)
        rows.append(
            Organisation(
                name=f"Structure {n:05d}",
                slug=f"structure-{n:05d}",
                legal_form=rng.choice(forms),
                headcount=employees + rng.randint(0, 5),
                employees=employees,
                sector=rng.choice(sectors),
                region=rng.choices(regions, weights)[0],
                shares_statistics=rng.random() < 0.9,
                statistics_consent_on=start,
            )
        )
    with transaction.atomic():
        created = Organisation.objects.bulk_create(rows, batch_size=2000)
        Affiliation.objects.bulk_create(
            (Affiliation(network=network, organisation=o) for o in created), batch_size=2000
        )

    # Responses per organisation: about its employees, scaled so that the total is `responses`.
    wanted = [max(3, min(o.employees, 120)) for o in created]
    scale = responses / sum(w * 1.6 for w in wanted)
    campaigns, plan = [], []
    for organisation, size in zip(created, wanted, strict=True):
        count = 2 if rng.random() < 0.6 else 1  # 60 % answered twice (T0 and T1)
        bias = rng.uniform(0.25, 0.8)  # how well this team is doing, on the whole
        for index in range(count):
            closed = start + datetime.timedelta(days=rng.randint(0, 1000) + 180 * index)
            n = max(1, round(size * scale * rng.uniform(0.6, 1.4)))
            campaign = Campaign(
                organisation=organisation,
                questionnaire_version=version,
                title=f"Diagnostic {closed.year}",
                state=Campaign.State.CLOSED,
                opened_on=closed - datetime.timedelta(days=21),
                closes_on=closed,
                closed_on=closed,
                closing_figures={
                    "channels": {"link": n},
                    "responses": n,
                    "countable": n,
                    "groups": {},
                    "hidden_groups": False,
                    "invitations_outside": 0,
                },
            )
            campaigns.append(campaign)
            plan.append((campaign, n, min(0.95, bias + 0.08 * index)))
    with transaction.atomic():
        Campaign.objects.bulk_create(campaigns, batch_size=2000)

    response_sql = (
        "INSERT INTO campaigns_response (id, campaign_id, group_id, submitted_on, source, "
        "paper_batch_id, submission_key) VALUES (%s, %s, NULL, %s, 'withheld', NULL, %s)"
    )
    answer_sql = "INSERT INTO campaigns_answer (response_id, item_id, value) VALUES (%s, %s, %s)"
    uuid_value = (lambda u: u.hex) if connection.vendor == "sqlite" else str
    total = 0
    response_rows, answer_rows = [], []
    with transaction.atomic(), connection.cursor() as cursor:
        for campaign, n, bias in plan:
            campaign_id = uuid_value(campaign.pk)
            for _ in range(n):
                response_id = uuid_value(uuid.UUID(int=rng.getrandbits(128), version=4))
                response_rows.append((response_id, campaign_id, campaign.closed_on, uuid.uuid4().hex))
                for item in items:
                    draw = rng.random()
                    value = "oui" if draw < bias else ("nsp" if draw < bias + 0.1 else "non")
                    answer_rows.append((response_id, item, value))
            total += n
            if len(answer_rows) >= CHUNK * 30:
                cursor.executemany(response_sql, response_rows)
                cursor.executemany(answer_sql, answer_rows)
                response_rows, answer_rows = [], []
        cursor.executemany(response_sql, response_rows)
        cursor.executemany(answer_sql, answer_rows)
    return {
        "network": network,
        "analyst": analyst,
        "organisations": len(created),
        "campaigns": len(campaigns),
        "responses": total,
        "answers": total * len(items),
    }


def median_ms(client, path, *, repeat, warmup=5):
    for _ in range(warmup):
        client.get(path)
    gc.collect()
    timings = []
    for _ in range(repeat):
        start = time.perf_counter_ns()
        client.get(path)
        timings.append(time.perf_counter_ns() - start)
    return statistics.median(timings) / 1e6


def query_count(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response, len(queries)


def streamed_peak(client, path):
    """(bytes of the body, peak Python memory in MiB while producing and reading it)."""
    gc.collect()
    tracemalloc.start()
    response = client.get(path)
    size = 0
    if getattr(response, "streaming", False):
        for chunk in response.streaming_content:
            size += len(chunk)
    else:
        size = len(response.content)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if hasattr(response, "close"):
        response.close()
    return response.status_code, size, peak / 2**20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    args = parser.parse_args()
    rng = random.Random(2026)

    with tempfile.TemporaryDirectory(prefix="reperes-national-") as var_dir:
        configure_django(Path(var_dir))
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from reperes.observatory.actions import publish_release
        from reperes.observatory.models import Release
        from tests.helpers import force_login_verified

        create_tables()
        data, build_seconds = timed(build, args.organisations, args.responses, rng)
        print(
            f"national: built {data['organisations']:,} organisations, {data['campaigns']:,} closed "
            f"campaigns, {data['responses']:,} responses, {data['answers']:,} answers in "
            f"{build_seconds:.0f} s ({connection.vendor})"
        )
        print(f"national.build_time: {build_seconds:.1f} s")

        _, rebuild_seconds = timed(call_command, "rebuild_results", "--all", verbosity=0)
        print(f"national.rebuild_results: {rebuild_seconds:.1f} s (one process; target < 60 s)")
        workers = min(4, os.cpu_count() or 1)
        _, parallel_seconds = timed(
            call_command, "rebuild_results", "--all", f"--workers={workers}", verbosity=0
        )
        print(
            f"national.rebuild_results_{workers}_workers: {parallel_seconds:.1f} s "
            f"({rebuild_seconds / parallel_seconds:.2f}× one process; target < 60 s)"
        )

        network = data["network"]
        release, publish_seconds = timed(publish_release, network, kind=Release.Kind.REQUESTED)
        print(f"national.publish_release: {publish_seconds:.1f} s ({release.tables.count()} tables)")

        analyst = force_login_verified(Client(), data["analyst"])
        anonymous = Client()
        largest = max(release.tables.all(), key=lambda table: len(table.rows) * max(1, len(table.columns)))
        region = "11"  # Île-de-France, the largest region
        pages = {
            "baseline: 404 page, anonymous": (anonymous, BASELINE_PATH, 404),
            "observatory home, as analyst": (
                analyst,
                reverse("observatory:home", args=[network.slug]),
                200,
            ),
            "observatory home filtered (region, size band)": (
                analyst,
                reverse("observatory:home", args=[network.slug]) + f"?region={region}&size_band=11-19",
                200,
            ),
            f"table « {largest.key} »": (
                analyst,
                reverse("observatory:table", args=[network.slug, release.number, largest.key]),
                200,
            ),
        }
        baseline = None
        width = max(len(label) for label in pages)
        print(f"{'page':<{width}}  {'× baseline':>10}  {'median ms':>9}  {'SQL queries':>11}")
        for label, (client, path, status) in pages.items():
            response, queries = query_count(client, path)
            if response.status_code != status:
                sys.exit(f"{label}: status {response.status_code}, expected {status} ({path})")
            ms = median_ms(client, path, repeat=args.repeat)
            baseline = baseline or ms
            print(f"{label:<{width}}  {ms / baseline:>10.1f}  {ms:>9.2f}  {queries:>11}")
        for kind in ("csv", "xlsx"):
            path = reverse(f"observatory:table_{kind}", args=[network.slug, release.number, largest.key])
            status, size, peak = streamed_peak(analyst, path)
            if status != 200:
                sys.exit(f"export {kind}: status {status}")
            print(f"national.export_{kind}_peak_memory: {peak:.1f} MiB ({size:,} bytes, « {largest.key} »)")


if __name__ == "__main__":
    main()
