"""Rebuilding the stored results of many closed campaigns from their raw answers (rebuild_results).

A throwaway SQLite database (with --postgresql, a throwaway PostgreSQL database, as
http_bench.py makes and drops it) gets --campaigns closed campaigns of --responses responses each
(30 answers per response, in four groups and none), written with plain INSERTs; then
`rebuild_stored_results()` is timed, as
`manage.py rebuild_results --all` runs it. The national-scale target of the issue is 40,000
campaigns, 1 million responses, 30 million answers in under 60 s: the default is a twentieth of
that, and the figure printed per million answers lets the two be compared.
"""

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from common import configure_django, create_tables

GROUPS = ["Direction", "Salarié·es", "Bénévoles", "Administrateurs·rices"]


def build(campaigns, responses):
    from django.db import connection, transaction
    from django.utils import timezone

    from reperes.campaigns.models import Campaign, RespondentGroup
    from reperes.instruments.loading import load_definitions
    from reperes.instruments.models import Questionnaire
    from tests.organisations.factories import OrganisationFactory

    load_definitions()
    version = Questionnaire.objects.get(slug="qvt-numerique").latest_version()
    spec = version.spec
    organisation = OrganisationFactory(name="Structure du banc", slug="banc")
    today = timezone.localdate()
    rng = random.Random(40_000)
    sqlite = connection.vendor == "sqlite"
    answer_sql = 'INSERT INTO "campaigns_answer" ("response_id", "item_id", "value") VALUES (%s, %s, %s)'
    response_sql = (
        'INSERT INTO "campaigns_response" ("id", "campaign_id", "group_id", "submitted_on", "source", '
        '"paper_batch_id", "submission_key") VALUES (%s, %s, %s, %s, %s, NULL, %s)'
    )
    with transaction.atomic():
        made = Campaign.objects.bulk_create(
            Campaign(
                organisation=organisation,
                questionnaire_version=version,
                title=f"Diagnostic {n}",
                state=Campaign.State.CLOSED,
                closes_on=today,
                closed_on=today,
                closing_figures={
                    "channels": {},
                    "responses": responses,
                    "countable": responses,
                    "groups": {},
                    "hidden_groups": False,
                    "invitations_outside": 0,
                },
            )
            for n in range(campaigns)
        )
        groups = RespondentGroup.objects.bulk_create(
            RespondentGroup(campaign=campaign, label=label, position=position)
            for campaign in made
            for position, label in enumerate(GROUPS)
        )
        by_campaign = {}
        for group in groups:
            by_campaign.setdefault(group.campaign_id, []).append(group.pk)
        with connection.cursor() as cursor:
            for campaign in made:
                choices = [*by_campaign[campaign.pk], None]
                rows, answers = [], []
                sizes = dict.fromkeys(by_campaign[campaign.pk], 0)
                for _ in range(responses):
                    # SQLite stores a UUID as 32 hexadecimal digits, PostgreSQL as a uuid.
                    response_id = uuid.uuid4().hex if sqlite else str(uuid.uuid4())
                    group_id = rng.choice(choices)
                    if group_id:
                        sizes[group_id] += 1
                    rows.append(
                        (
                            response_id,
                            campaign.pk.hex if sqlite else str(campaign.pk),
                            group_id,
                            today,
                            "withheld",
                            uuid.uuid4().hex,
                        )
                    )
                    answers.extend((response_id, item, rng.choice(spec.values)) for item in spec.item_ids)
                cursor.executemany(response_sql, rows)
                cursor.executemany(answer_sql, answers)
                campaign.closing_figures["groups"] = {str(g): n for g, n in sizes.items() if n >= 5}
        Campaign.objects.bulk_update(made, ["closing_figures"], batch_size=1000)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--campaigns", type=int, default=2000)
    parser.add_argument("--responses", type=int, default=25, help="responses per campaign")
    parser.add_argument("--postgresql", action="store_true", help="on PostgreSQL (127.0.0.1:5432)")
    args = parser.parse_args()
    database = None
    if args.postgresql:
        from http_bench import create_pg_database

        database = create_pg_database()
    try:
        return run(args, database)
    finally:
        if database:
            from http_bench import drop_pg_database

            drop_pg_database(database)


def run(args, database):
    from http_bench import HOST, PG_PORT, PG_ROLE

    url = f"postgres://{PG_ROLE}:{PG_ROLE}@{HOST}:{PG_PORT}/{database}" if database else None
    with tempfile.TemporaryDirectory(prefix="reperes-rebuild-bench-") as var_dir:
        configure_django(Path(var_dir), database_url=url)
        from django.db import connection

        from reperes.results.models import StoredResults
        from reperes.results.rebuild import rebuild_stored_results

        create_tables()
        started = time.monotonic()
        build(args.campaigns, args.responses)
        built = time.monotonic()
        count = rebuild_stored_results()
        elapsed = time.monotonic() - built
        assert count == args.campaigns == StoredResults.objects.count()
        answers = args.campaigns * args.responses * 30
        print(
            f"Rebuilt the stored results of {count} campaigns ({args.campaigns * args.responses} responses, "
            f"{answers} answers) on {connection.vendor}; data built in {built - started:.1f} s."
        )
        print(f"rebuild.time: {elapsed:.1f} s")
        print(f"rebuild.per_million_answers: {elapsed / answers * 1e6:.1f} s")
        print(
            f"rebuild.national_estimate: {elapsed / answers * 30e6:.0f} s (30 million answers, target 60 s)"
        )
        # The same with one process per core (manage.py rebuild_results --workers N): the same
        # figures, checked, in less time.
        workers = min(4, os.cpu_count() or 1)
        fields = ["campaign_id", "respondents", "theme_scores", "distribution", "groups", "hidden_groups"]
        alone = sorted(StoredResults.objects.values_list(*fields), key=str)
        StoredResults.objects.all().delete()
        started = time.monotonic()
        rebuild_stored_results(workers=workers)
        parallel = time.monotonic() - started
        assert sorted(StoredResults.objects.values_list(*fields), key=str) == alone
        print(
            f"rebuild.time_{workers}_workers: {parallel:.1f} s "
            f"({elapsed / parallel:.2f}× faster, same figures)"
        )
        print(
            f"rebuild.national_estimate_{workers}_workers: {parallel / answers * 30e6:.0f} s "
            "(30 million answers, target 60 s)"
        )
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
